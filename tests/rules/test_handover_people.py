"""Handover in seven languages: per label and per language on the labelled set, and the behaviours behind it.

datasets/handover_people.jsonl is the development half of a set written for this (labels person,
frustration, legal, safety, ordinary and answer_and_offer; each message with its language and the
kind of case it is). The other half is written by someone else after the rules are frozen.
datasets/handover_probes.jsonl holds the messages the rules' author wrote in waves while tuning,
each wave on phrasings the rules had not seen: a guard against regressions, not a measure.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from typing import NamedTuple

import pytest

from shared.answering.suggestions import HUMAN_OFFERS
from shared.core.settings import PROJECT_ROOT
from shared.handover.lexicons import LEXICONS
from shared.handover.triggers import PERSON_REASON, detect

FIXTURE = PROJECT_ROOT / "datasets" / "handover_people.jsonl"
PROBES = PROJECT_ROOT / "datasets" / "handover_probes.jsonl"
HAND_OVER = ("person", "frustration", "legal", "safety")
LANGUAGES = {lexicon.language for lexicon in LEXICONS}
MIN_RECALL = 0.9  # each label, each language
MAX_FALSE_HANDOVER = 0.03  # the whole set
MAX_FALSE_HANDOVERS_A_LANGUAGE = 1  # of 9 ordinary messages
MIN_ANSWERED_WITH_OFFER = 0.9


class Example(NamedTuple):
    text: str
    label: str
    lang: str
    kind: str


def _examples(path=FIXTURE) -> list[Example]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(row["text"], row["label"], row["lang"], row.get("kind", "")) for row in rows]


EXAMPLES = _examples()


def _outcome(text: str) -> str:
    trigger = detect(text)
    if trigger is None:
        return "answer"
    return "offer" if trigger.strength == "mild" else "handover"


def _missed(examples: list[Example]) -> list[str]:
    return [e.text for e in examples if e.label in HAND_OVER and _outcome(e.text) != "handover"]


def _by(field: str, examples: list[Example]) -> dict[str, list[Example]]:
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        groups[getattr(example, field)].append(example)
    return groups


def test_the_set_covers_every_label_and_language_with_ordinary_messages_in_each():
    assert {e.label for e in EXAMPLES} == {*HAND_OVER, "ordinary", "answer_and_offer"}
    assert {e.lang for e in EXAMPLES} == LANGUAGES
    for language, group in _by("lang", EXAMPLES).items():
        assert {"person", "frustration", "ordinary"} <= {e.label for e in group}, language
    assert len({e.text for e in EXAMPLES}) == len(EXAMPLES), "duplicate messages"


def _patterns(value: object) -> list[str]:
    if isinstance(value, dict):
        return [p for patterns in value.values() for p in patterns]
    return list(value) if isinstance(value, tuple) else [str(value)]


@pytest.mark.parametrize("lexicon", LEXICONS, ids=lambda x: x.language)
def test_no_lexicon_pattern_matches_a_blank_message(lexicon):
    # An empty alternative ("a||b") would match every message and hand them all over.
    for field in dataclasses.fields(lexicon):
        for pattern in _patterns(getattr(lexicon, field.name)):
            assert re.search(pattern, " ") is None, (field.name, pattern)


@pytest.mark.parametrize("label", HAND_OVER)
def test_each_label_that_needs_a_person_hands_over(label, record_property):
    examples = _by("label", EXAMPLES)[label]
    missed = _missed(examples)
    recall = 1 - len(missed) / len(examples)
    record_property(f"{label} recall", f"{recall:.3f}")
    assert recall >= MIN_RECALL, f"{label}: recall {recall:.1%}, missed {missed}"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_each_language_hands_over_what_needs_a_person_and_answers_the_rest(lang, record_property):
    examples = _by("lang", EXAMPLES)[lang]
    due = [e for e in examples if e.label in HAND_OVER]
    missed = _missed(examples)
    mistaken = [e.text for e in examples if e.label == "ordinary" and _outcome(e.text) == "handover"]
    recall = 1 - len(missed) / len(due)
    record_property(f"{lang} recall", f"{recall:.3f}")
    record_property(f"{lang} false handovers", str(len(mistaken)))
    assert recall >= MIN_RECALL, f"{lang}: recall {recall:.1%}, missed {missed}"
    assert len(mistaken) <= MAX_FALSE_HANDOVERS_A_LANGUAGE, f"{lang}: handed over by mistake {mistaken}"


def test_ordinary_messages_are_rarely_handed_over(record_property):
    ordinary = [e for e in EXAMPLES if e.label == "ordinary"]
    mistaken = [e.text for e in ordinary if _outcome(e.text) == "handover"]
    rate = len(mistaken) / len(ordinary)
    record_property("false-handover rate", f"{rate:.3f}")
    assert rate <= MAX_FALSE_HANDOVER, f"false handovers {rate:.1%}: {mistaken}"


def test_mild_frustration_with_a_question_is_answered_with_the_offer_of_a_person():
    examples = _by("label", EXAMPLES)["answer_and_offer"]
    wrong = [(e.text, _outcome(e.text)) for e in examples if _outcome(e.text) != "offer"]
    assert 1 - len(wrong) / len(examples) >= MIN_ANSWERED_WITH_OFFER, wrong


def test_the_messages_written_while_tuning_stay_recognised():
    probes = _examples(PROBES)
    due = [e for e in probes if e.label in HAND_OVER]
    ordinary = [e for e in probes if e.label == "ordinary"]
    missed, mistaken = _missed(probes), [e.text for e in ordinary if _outcome(e.text) == "handover"]
    assert 1 - len(missed) / len(due) >= 0.97, missed
    assert len(mistaken) / len(ordinary) <= MAX_FALSE_HANDOVER, mistaken


@pytest.mark.parametrize("label", ["safety", "legal", "person"])
def test_a_handover_names_the_kind_the_set_labels(label):
    wrong = [(e.text, t.kind) for e in _by("label", EXAMPLES)[label] if (t := detect(e.text)) and t.kind != label]
    assert not wrong


@pytest.mark.parametrize("offer", sorted(HUMAN_OFFERS.values()))
def test_the_one_tap_offer_of_a_person_asks_for_one_in_its_language(offer):
    trigger = detect(offer)
    assert trigger is not None and trigger.reason == PERSON_REASON


@pytest.mark.parametrize(
    "text",
    [
        "Je veux parler à un humain",
        "Un conseiller pourrait-il me rappeler cet après-midi ?",
        "¿Puedo hablar con un asesor?",
        "Necesito que alguien de su equipo revise mi pedido",
        "Bitte leiten Sie mich an einen Mitarbeiter weiter",
        "Könnte mich ein Berater anrufen?",
        "Posso parlare con un vostro operatore?",
        "Chiedo di essere contattato da un responsabile",
        "Me coloca em contato com um humano",
        "Alguém pode me ligar? É sobre uma cobrança",
        "Verbind me door met een medewerker",
        "Kunt u mij terugbellen?",
    ],
)
def test_a_request_for_a_person_is_understood_in_every_language(text):
    assert detect(text).kind == "person"


@pytest.mark.parametrize(
    "text",
    [
        "Est-ce que le service client répond le dimanche ?",
        "Est-ce que je peux joindre le service client par téléphone ?",
        "¿A qué hora abre atención al cliente?",
        "Wann ist der Kundenservice erreichbar?",
        "L'assistenza è aperta il sabato?",
        "O atendimento funciona no domingo?",
        "Is de klantenservice telefonisch bereikbaar?",
    ],
)
def test_a_question_about_support_in_any_language_is_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Pas besoin de transfert, dites-moi juste si vous livrez en Suisse",
        "No necesito un agente, ¿dónde veo mi factura?",
        "Ich brauche keinen Menschen, nur den Rückgabelink",
        "Non serve parlare con nessuno, mi dite solo se spedite in Svizzera?",
        "Não preciso de atendente, só quero saber o prazo de entrega",
        "Ik heb geen medewerker nodig, alleen de verzendkosten",
    ],
)
def test_declining_a_person_in_any_language_is_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Je suis responsable informatique, avez-vous des tarifs pro ?",
        "El manager de mi equipo quiere 20 auriculares, ¿hay descuento?",
        "Unser Personalchef will Laptops bestellen",
        "Il mio responsabile vuole 15 monitor, fate fattura?",
        "Meu gerente pediu orçamento de 10 notebooks",
        "Onze manager wil 12 toetsenborden bestellen",
    ],
)
def test_a_manager_who_is_the_customers_own_is_no_request(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Mon chat adore le carton, bravo pour l'emballage 😂 vous livrez le dimanche ?",
        "Joder qué rápido ha llegado 😄 ¿tienen funda?",
        "Verdammt gute Kopfhörer! Gibt es die auch in Blau?",
        "Cazzo che suono, bellissimo. Avete la custodia?",
        "Porra, que som incrível! Tem capinha?",
        "Mist, falsche Größe bestellt. Wie tausche ich um?",
    ],
)
def test_swearing_in_delight_or_at_oneself_is_answered(text):
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Je suis excédé, c'est la quatrième fois que je vous contacte",
        "Llevo un mes esperando, es indignante",
        "Ich bin extrem verärgert über Ihren Service",
        "Che vergogna di servizio",
        "É a quarta vez que entro em contato!",
        "Schandalig hoe jullie met klanten omgaan",
    ],
)
def test_anger_in_any_language_hands_over(text):
    trigger = detect(text)
    assert trigger.kind == "frustration" and trigger.strength == "strong"


@pytest.mark.parametrize(
    "text",
    [
        "Un peu énervé, la facture n'arrive pas. Où puis-je la télécharger ?",
        "Pregunto otra vez: ¿cuánto cuesta el envío a Canarias?",
        "Etwas ungeduldig: wann wird meine Bestellung verschickt?",
        "Un po' deluso, come faccio a cambiare indirizzo?",
        "Já perguntei antes: vocês entregam no sábado?",
        "Ik vraag het nogmaals: hoe lang is de garantie?",
    ],
)
def test_impatience_with_a_question_in_any_language_is_mild(text):
    trigger = detect(text)
    assert trigger.kind == "frustration" and trigger.strength == "mild"


@pytest.mark.parametrize(
    "text",
    [
        "L'adaptateur a fondu dans la prise",
        "La batería del móvil se ha hinchado",
        "Das Ladekabel hat Funken geschlagen",
        "Il caricatore puzzava di bruciato e si è sciolto",
        "A bateria inchou e o celular abriu",
        "De kabel gaf vonken toen ik hem insteekt",
    ],
)
def test_a_safety_report_in_any_language_hands_over_as_safety(text):
    assert detect(text).kind == "safety"


@pytest.mark.parametrize(
    "text",
    [
        "J'ai contacté ma banque pour contester le paiement",
        "He pedido a mi banco que anule el cargo",
        "Ich habe bei meiner Bank eine Rückbuchung beantragt",
        "Procederò per vie legali",
        "Vou reclamar no Procon",  # "no" is "in the" in Portuguese, not a negation
        "Ik neem juridische stappen",
    ],
)
def test_a_legal_threat_or_chargeback_in_any_language_hands_over_as_legal(text):
    assert detect(text).kind == "legal"


@pytest.mark.parametrize(
    "text",
    [
        "¿Hay algún agente disponible?",
        "Ist ein Mitarbeiter verfügbar?",
        "C'è un operatore disponibile?",
        "Tem algum atendente disponível?",
        "Is er een medewerker beschikbaar?",
    ],
)
def test_asking_whether_a_person_is_free_now_is_a_request(text):
    assert detect(text).kind == "person"


@pytest.mark.parametrize(
    "text",
    [
        "Vous êtes nuls",
        "Son unos incompetentes",
        "Sie sind eine Katastrophe",
        "Siete degli incapaci",
        "Vocês são uns incompetentes",
        "Jullie zijn echt incompetent",
    ],
)
def test_insulting_the_team_in_any_language_hands_over(text):
    assert detect(text).kind == "frustration"


@pytest.mark.parametrize(
    "report, question",
    [
        ("Le chargeur chauffe énormément", "Le chargeur chauffe-t-il beaucoup ?"),
        ("Das Ladegerät wird extrem heiß", "Wird das Ladegerät heiß?"),
        ("O carregador esquenta muito", "O carregador esquenta?"),
    ],
)
def test_heat_reported_hands_over_and_heat_asked_about_is_answered(report, question):
    assert detect(report).kind == "safety"
    assert detect(question) is None


def test_a_safeguard_named_in_one_language_keeps_another_languages_safety_word_a_question():
    assert detect("¿El cargador tiene protección contra incendios?") is None


@pytest.mark.parametrize(
    "text",
    [
        "Can a power bank swell if it stays in a hot car?",
        "La batterie peut-elle gonfler avec le temps ?",
        "¿La batería puede hincharse con el tiempo?",
        "Kann sich der Akku mit der Zeit aufblähen?",
        "La batteria può gonfiarsi col tempo?",
        "A bateria pode estufar com o tempo?",
        "Kan de batterij na verloop van tijd opzwellen?",
    ],
)
def test_asking_whether_something_can_happen_is_no_safety_report(text):
    assert detect(text) is None


def test_a_safety_report_followed_by_a_question_is_still_one():
    assert detect("My charger melted, can you replace it?").kind == "safety"


HOLD_OUT = PROJECT_ROOT / "datasets" / "handover_holdout.jsonl"


def test_the_hold_out_half_keeps_the_figures_it_was_measured_at_once():
    # Written blind after the rules were frozen and measured once (95.7% recall, 3.3% false
    # handovers): a floor against regressions, never a set to tune on.
    examples = _examples(HOLD_OUT)
    should = [e for e in examples if e.label in HAND_OVER]
    ordinary = [e for e in examples if e.label == "ordinary"]
    recall = 1 - len(_missed(should)) / len(should)
    false_handovers = sum(_outcome(e.text) == "handover" for e in ordinary) / len(ordinary)
    assert (len(examples), recall >= 0.95, false_handovers <= 0.034) == (201, True, True)
