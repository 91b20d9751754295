"""The agents' summary without a model picks content, not positions, and says how the conversation ended."""

from __future__ import annotations

import pytest

from shared.answering.providers.offline import OfflineProvider
from shared.answering.structured import ModelSummary
from shared.answering.types import Summary, SummaryRequest
from shared.text.sentiment import customer_sentiment
from shared.text.turns import Turn

BLENDER = [
    ("user", "@AcmeHelp hi there!"),
    ("user", "https://t.co/x1y2Ab #help"),
    ("user", "thanks in advance"),
    ("user", "My blender stopped working after two days, the motor just hums #fail"),
]


def _summary(messages: list[tuple[str, str]], state: str = "bot", reason: str | None = None) -> Summary:
    turns = [Turn(sender=sender, content=content) for sender, content in messages]
    return OfflineProvider().summarize(SummaryRequest(turns, state, reason))


def _field(summary: Summary, label: str) -> str:
    return next(line for line in summary.text.splitlines() if line.startswith(f"{label}: "))[len(label) + 2 :]


def _status(summary: Summary) -> str:
    return summary.text.split("\n\n")[0]


def test_the_issue_skips_greetings_handles_links_hashtags_and_thanks():
    summary = _summary([*BLENDER, ("agent", "Sorry to hear that! A replacement ships today.")], state="assigned")
    assert _field(summary, "Issue") == "My blender stopped working after two days, the motor just hums."


def test_a_request_for_a_person_is_not_taken_for_the_issue():
    summary = _summary([("user", "can I talk to someone?"), ("user", "I was charged twice for order 77342")], "waiting")
    assert _field(summary, "Issue") == "I was charged twice for order 77342."


def test_what_an_agent_answered_is_in_the_summary_without_their_greeting_or_signature():
    agent = "@sam_k Hi Sam, so sorry about that! A replacement blender ships today, no need to return the old one. ^JD"
    summary = _summary([*BLENDER, ("agent", agent), ("user", "great thanks!")], state="assigned")
    resolved = _field(summary, "Resolved")
    assert resolved == "An agent answered: A replacement blender ships today, no need to return the old one."


def test_a_reply_split_over_posts_loses_its_markers_and_html_escapes():
    agent = "@sam_k Sorry! We've refunded the $14.50 &amp; flagged it with the restaurant (1/2)"
    summary = _summary([*BLENDER, ("agent", agent)], state="resolved")
    resolved = _field(summary, "Resolved")
    assert resolved == "An agent answered: We've refunded the $14.50 & flagged it with the restaurant."


def test_what_follows_a_thank_you_or_a_link_is_kept():
    agents = [("agent", "Thanks, we've refunded the extra $15.99."), ("agent", "More on refunds here: https://t.co/r3")]
    summary = _summary([*BLENDER, *agents], state="resolved")
    assert _field(summary, "Resolved") == "An agent answered: We've refunded the extra $15.99. More on refunds here."


def test_the_bots_offer_of_a_colleague_is_not_taken_for_an_answer():
    summary = _summary(
        [
            ("user", "My refund never arrived, the return was delivered 3 weeks ago"),
            ("bot", "I'm sorry, I can't check refunds from here. Would you like me to pass this to a colleague?"),
            ("user", "yes"),
            ("bot", "Done. A colleague will reply in this chat; our team is available Monday to Friday."),
        ],
        state="waiting",
        reason="the customer asked for a person",
    )
    assert _field(summary, "Resolved") == "Nothing yet."
    assert (
        _status(summary) == "Handed over to a human agent, waiting for one to reply (the customer asked for a person)."
    )


def test_a_conversation_that_ended_with_an_answer_is_answered_not_waiting():
    answered = [*BLENDER, ("agent", "A replacement ships today; keep the old one."), ("user", "perfect, thanks!")]
    assert _status(_summary(answered, state="waiting")) == "An agent answered and nothing is left open."
    assert _field(_summary(answered, state="waiting"), "Next steps") == "none"
    assert _status(_summary(answered, state="resolved")) == "The conversation is resolved."


def test_a_question_left_without_reply_is_still_open_with_a_next_step():
    messages = [*BLENDER, ("agent", "A replacement ships today."), ("user", "will it come with the 2-year warranty?")]
    summary = _summary(messages, state="assigned", reason="the customer asked for a person")
    assert "Still open: “Will it come with the 2-year warranty?”" in _status(summary)
    assert _field(summary, "Next steps") == "Answer what is still open"


def test_an_agent_asking_the_customer_for_something_waits_for_their_reply():
    messages = [*BLENDER, ("agent", "Could you DM us your order number and a photo of the label?")]
    summary = _summary(messages, state="assigned")
    assert _status(summary) == "An agent asked the customer for something and waits for their reply."
    assert _field(summary, "Next steps") == "Wait for the customer's reply"


def test_new_questions_asked_after_an_answer_join_the_issue():
    summary = _summary(
        [
            ("user", "Do you accept PayPal?"),
            ("bot", "Yes, we accept PayPal, Apple Pay and all major cards."),
            ("user", "And how do I unsubscribe from the newsletter?"),
            ("bot", "Use the link at the bottom of any newsletter; it takes effect within 48 hours."),
        ]
    )
    assert _field(summary, "Issue") == "Do you accept PayPal? And how do I unsubscribe from the newsletter?"
    assert "within 48 hours" in _field(summary, "Resolved")


def test_a_long_message_is_cut_at_a_word_end():
    words = [f"parcel{n}" for n in range(80)]
    summary = _summary([("user", "My order never arrived: " + " ".join(words))])
    issue = _field(summary, "Issue")
    assert issue.endswith("…")
    assert set(issue.removesuffix("…").split()) <= {"My", "order", "never", "arrived:", *words}


def test_the_summary_without_a_model_has_the_models_fields_and_lines():
    summary = _summary([*BLENDER, ("agent", "A replacement ships today.")], state="assigned")
    assert set(summary.details) == set(ModelSummary.model_fields)
    labels = [line.split(":")[0] for line in summary.text.split("\n\n")[1].splitlines()]
    assert labels == ["Issue", "Resolved", "Next steps", "Sentiment"]


@pytest.mark.parametrize(
    ("said", "sentiment"),
    [
        ("where is my order", "neutral"),
        ("still nobody?? this is ridiculous", "negative"),
        ("perfect, thanks!", "positive"),
        ("3 days late, unacceptable. ok thanks for the refund", "mixed"),
    ],
)
def test_the_customers_mood_is_read_from_their_own_words(said, sentiment):
    assert customer_sentiment([Turn("bot", "Thanks!"), Turn("user", said)]) == sentiment
