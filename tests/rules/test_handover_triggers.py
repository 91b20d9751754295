"""Handover triggers: recall and false handovers on a labelled set, and the behaviours behind them.

datasets/handover_messages.jsonl was written before the legal, safety and mild kinds: it labels
chargeback threats as frustration, and a mild trigger counts as caught (without an answer from
the help center, it hands over).
"""

from __future__ import annotations

import json
import time
from dataclasses import FrozenInstanceError
from typing import NamedTuple

import pytest

from shared.core.settings import PROJECT_ROOT
from shared.handover.triggers import LEGAL_REASON, SAFETY_REASON, UNANSWERED_IN_A_ROW, Trigger, detect

FIXTURE = PROJECT_ROOT / "datasets" / "handover_messages.jsonl"
LABELS = {"person", "frustration", "ordinary"}
MIN_RECALL = 0.95
MAX_FALSE_HANDOVER = 0.02


class Example(NamedTuple):
    line: int
    text: str
    label: str


def _examples() -> list[Example]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(n, row["text"], row["label"]) for n, row in enumerate(rows, start=1)]


EXAMPLES = _examples()
# Every third line was written before any pattern existed and kept out of tuning. Its first run gave recall 100%
# and 1 false handover in 45 (2.2%): a negation bug ("I don't need an agent"), fixed in general since.
HELD_OUT = [e for e in EXAMPLES if e.line % 3 == 0]


class Figures(NamedTuple):
    recall: float
    false_handover: float
    missed: list[str]
    false_handovers: list[str]

    def __str__(self) -> str:
        return (
            f"recall {self.recall:.1%}, false-handover rate {self.false_handover:.1%}; "
            f"missed {self.missed}; handed over by mistake {self.false_handovers}"
        )


def _figures(examples: list[Example]) -> Figures:
    worthy = [e for e in examples if e.label != "ordinary"]
    ordinary = [e for e in examples if e.label == "ordinary"]
    missed = [e.text for e in worthy if detect(e.text) is None]
    mistaken = [e.text for e in ordinary if detect(e.text) is not None]
    return Figures(1 - len(missed) / len(worthy), len(mistaken) / len(ordinary), missed, mistaken)


def _assert_good_enough(figures: Figures, which: str, record_property) -> None:
    # Reported three ways, none needing -s: the assertion message, -rP output, and the JUnit XML properties.
    record_property(f"{which} recall", f"{figures.recall:.3f}")
    record_property(f"{which} false-handover rate", f"{figures.false_handover:.3f}")
    print(f"{which}: {figures}")
    assert figures.recall >= MIN_RECALL and figures.false_handover <= MAX_FALSE_HANDOVER, f"{which}: {figures}"


def test_the_labelled_set_is_large_varied_and_mostly_ordinary():
    assert len(EXAMPLES) >= 200
    assert {e.label for e in EXAMPLES} == LABELS
    assert sum(e.label == "ordinary" for e in EXAMPLES) >= len(EXAMPLES) / 2
    assert len({e.text for e in EXAMPLES}) == len(EXAMPLES), "duplicate messages"


def test_handover_recall_and_false_handover_rate_on_the_whole_set(record_property):
    _assert_good_enough(_figures(EXAMPLES), "whole set", record_property)


def test_handover_recall_and_false_handover_rate_on_the_held_out_third(record_property):
    _assert_good_enough(_figures(HELD_OUT), "held-out third", record_property)


def test_a_handover_names_the_kind_the_set_labels():
    same_as = {"legal": "frustration"}  # the set predates the legal kind
    wrong = [
        (e.text, e.label, t.kind)
        for e in EXAMPLES
        if (t := detect(e.text)) and e.label not in ("ordinary", same_as.get(t.kind, t.kind))
    ]
    assert len(wrong) <= len(EXAMPLES) * 0.02, wrong


@pytest.mark.parametrize(
    "text",
    [
        "How do I contact support?",
        "When can I reach customer service?",
        "how can I speak to customer service?",
        "Are your agents available on weekends?",
        "Can I talk to someone on Sunday?",
        "do you guys offer callbacks?",
        "Do I have to call someone to cancel, or can I do it online?",
    ],
)
def test_a_question_about_contacting_support_is_not_a_handover(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "speak to a human",
        "how do I talk to a real person?",
        "rep pls",
        "hello?? anyone there?",
        "can somebody phone me back today",
        "put me through to your supervisor",
        "I'd like a colleague of yours to check my order",
    ],
)
def test_a_request_for_a_person_is_a_handover(text):
    assert detect(text) == Trigger("person", "customer asked for a person")


@pytest.mark.parametrize(
    "text",
    [
        "no need for a human, what's the return window?",
        "I don't need an agent, just the tracking link",
        "dont transfer me",
    ],
)
def test_a_negated_request_for_a_person_is_not_a_handover(text):
    assert detect(text) is None


def test_negating_the_bot_still_asks_for_a_person():
    assert detect("I don't want a bot, I want a human") == Trigger("person", "customer asked for a person")


@pytest.mark.parametrize(
    "text",
    [
        "WHERE IS THE CHARGER I ORDERED",
        "WHY IS MY LAPTOP STILL NOT HERE",
        "my order is late AND NOBODY TELLS ME ANYTHING",
    ],
)
def test_shouting_is_frustration(text):
    assert detect(text) == Trigger("frustration", "customer is frustrated: shouting")


@pytest.mark.parametrize(
    "text",
    [
        "Does the USB-C dock output HDMI and DP?",
        "Is it LPDDR5 RAM or DDR4?",
        "USB C HDMI VGA adapter in stock?",
        "OK",
        "THANK YOU SO MUCH",
    ],
)
def test_acronyms_and_happy_capitals_are_not_shouting(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "language, text",
    [
        ("French", "Je voudrais parler à un conseiller, s'il vous plaît"),
        ("French", "pouvez-vous me mettre en relation avec quelqu’un ?"),
        ("Spanish", "¿Me puede pasar con un agente?"),
        ("Spanish", "Necesito hablar con una persona real"),
        ("German", "Ich will mit einem echten Menschen reden"),
        ("German", "Können Sie mich bitte mit dem Kundendienst verbinden?"),
    ],
)
def test_a_request_for_a_person_in_another_language_is_a_handover(language, text):
    assert detect(text) == Trigger("person", "customer asked for a person"), language


@pytest.mark.parametrize(
    "text, cause",
    [
        ("This is the fourth time I'm asking about my refund", "repeated contact"),
        ("nobody has replied to my three emails", "repeated contact"),
        ("I've been waiting 6 weeks for a replacement", "long wait or repeated problem"),
        ("I expect compensation for the delay", "compensation demand"),
        ("I'll leave a one-star review everywhere", "threat to complain or leave"),
        ("this bot is useless", "insult toward the bot or the shop"),
        ("I'm so annoyed right now", "angry wording"),
    ],
)
def test_a_frustration_names_its_cause(text, cause):
    assert detect(text) == Trigger("frustration", f"customer is frustrated: {cause}")


@pytest.mark.parametrize(
    "text",
    [
        "Can the manager role add a second team member?",
        "Can my flatmate sign for the parcel?",
        "My old earbuds were useless, are the Aura Buds better at noise cancelling?",
        "My daughter is upset the case is pink, can we exchange it?",
        "This is my second time ordering, is there a loyalty discount?",
        "I'm not angry, just wondering when the refund lands",
    ],
)
def test_trigger_words_used_harmlessly_are_not_a_handover(text):
    assert detect(text) is None


def test_asking_for_a_person_wins_over_frustration():
    assert detect("THIS IS USELESS, GET ME A HUMAN").kind == "person"


def test_a_trigger_cannot_be_changed():
    trigger = detect("agent")
    assert trigger is not None
    with pytest.raises(FrozenInstanceError):
        trigger.kind = "frustration"


def _seconds_a_message() -> float:
    started = time.perf_counter()
    for example in EXAMPLES:
        detect(example.text)
    return (time.perf_counter() - started) / len(EXAMPLES)


def test_detection_takes_well_under_a_millisecond_a_message():
    # The fastest of three passes, as timeit reports: the machine's other work only ever adds time.
    per_message = min(_seconds_a_message() for _ in range(3))
    assert per_message < 0.001, f"{per_message * 1e6:.0f} µs a message"


def test_two_unanswered_questions_in_a_row_hand_over():
    assert UNANSWERED_IN_A_ROW == 2


@pytest.mark.parametrize(
    "text",
    [
        "the usb charger made a popping noise and now it smells burnt",
        "My laptop battery is expanding, the trackpad won't click",
        "I got shocked touching the laptop while it was plugged in",
        "the earbuds case is too hot to touch",
    ],
)
def test_a_safety_report_hands_over_at_once_and_says_it_is_top_priority(text):
    assert detect(text) == Trigger("safety", SAFETY_REASON)
    assert "top priority" in SAFETY_REASON


def test_a_safety_report_wins_over_every_other_trigger():
    text = "This is the third time I write: the charger caught fire, get me a human or my lawyer"
    assert detect(text).kind == "safety"


@pytest.mark.parametrize(
    "text",
    [
        "Does the charger have overheating protection?",
        "Is the battery likely to swell over time?",
        "Will the power bank catch fire if I leave it charging overnight?",
        "do you sell smoke alarms?",
        "Does the OLED screen get burn-in?",
        "Is the laptop shockproof?",
    ],
)
def test_a_question_about_safety_features_is_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Fix this or I'm filing a chargeback",
        "I've already contacted my credit card provider to dispute the transaction",
        "I will be taking this further with my solicitor",
        "I'm going to file a complaint with the Federal Trade Commission",
    ],
)
def test_a_legal_threat_or_chargeback_hands_over_as_legal(text):
    assert detect(text) == Trigger("legal", LEGAL_REASON)


@pytest.mark.parametrize(
    "text",
    [
        "I'm a lawyer, do you offer business accounts?",
        "What's the legal warranty period in the EU?",
        "Can I pay with my bank card?",
    ],
)
def test_legal_words_in_ordinary_questions_are_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Second time asking: do you ship to Ireland?",
        "Slightly irritated, the discount code isn't working. Is there a minimum order?",
        "asking again since nobody replied: do you price match?",
        "still waiting on my refund, how long does it usually take?",
    ],
)
def test_impatience_with_a_question_is_mild_so_the_answer_can_come_first(text):
    trigger = detect(text)
    assert trigger is not None and (trigger.kind, trigger.strength) == ("frustration", "mild")


def test_impatience_without_a_question_hands_over():
    assert detect("a bit annoyed that my parcel is still not here").strength == "strong"


def test_anger_with_a_question_still_hands_over():
    assert detect("This is ridiculous, where is my order?").strength == "strong"


@pytest.mark.parametrize(
    "text",
    [
        "Which headset is best for customer service agents?",
        "I'm an agent for a school, can we get an edu discount?",
        "Is there a limit of one per person on the sale?",
        "Does the keyboard work with the human interface device driver?",
        "I demand the best from my tech, which laptop has the best battery?",
        "These are bloody brilliant, do you ship to Scotland?",
        "the bass is wicked, damn. any deals on the matching speaker?",
        "my mum keeps asking for a tablet, which one is simplest?",
        "Do I need a person at home to sign for delivery?",
    ],
)
def test_trigger_words_in_other_senses_are_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "oh fantastic, my cat knocked the speaker off the shelf 🙃 do you sell wall mounts?",
        "Hilarious, the earbuds auto-paused every time I yawned. Is there a setting for that?",
        "Oh great, another firmware update 🙄 how do I install it?",
    ],
)
def test_sarcasm_that_is_not_anger_is_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I don't need to speak to anyone, just want the invoice",
        "no human needed, what's your VAT number?",
        "I'm not mad, just curious when my order ships",
    ],
)
def test_a_declined_person_or_a_denied_feeling_is_answered(text):
    assert detect(text) is None
