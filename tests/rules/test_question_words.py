"""Two questions in one message, and follow-ups, read in Italian, Portuguese and Dutch as in the other languages."""

from __future__ import annotations

import pytest

from shared.knowledge import followups
from shared.knowledge.lookup import split_questions
from shared.text.turns import Turn


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "Quanto costa la spedizione in Germania e quando arriva il mio ordine?",
            ["Quanto costa la spedizione in Germania", "quando arriva il mio ordine?"],
        ),
        (
            "Quanto custa o envio para Espanha e quando chega a minha encomenda?",
            ["Quanto custa o envio para Espanha", "quando chega a minha encomenda?"],
        ),
        (
            "Hoe lang duurt de verzending, ook hoeveel kost het?",
            ["Hoe lang duurt de verzending", "hoeveel kost het?"],
        ),
        # Spanish "en" before a question word is "in", not Dutch "and".
        (
            "Quiero saber en qué fecha llega mi pedido y cuánto cuesta el envío exprés",
            ["Quiero saber en qué fecha llega mi pedido", "cuánto cuesta el envío exprés"],
        ),
    ],
)
def test_a_message_asking_two_things_is_split_at_the_second_question(message, parts):
    assert split_questions(message) == parts


@pytest.mark.parametrize(
    ("previous", "question", "form"),
    [
        ("Quanto costa la spedizione?", "e per la Svizzera?", "elliptic"),
        ("Quanto costa la spedizione?", "quanto tempo ci vuole per questo?", "refers_back"),
        ("Fazem envios para Espanha?", "e para os Açores?", "elliptic"),
        ("Fazem envios para Espanha?", "quanto tempo demora isso?", "refers_back"),
        ("Verzenden jullie naar België?", "en naar Duitsland?", "elliptic"),
        ("Verzenden jullie naar België?", "hoe lang duurt dat?", "refers_back"),
        ("Verzenden jullie naar België?", "Kan ik mijn wachtwoord wijzigen via de app zonder mijn e-mailadres?", None),
    ],
)
def test_a_follow_up_in_italian_portuguese_or_dutch_is_read_with_the_previous_message(previous, question, form):
    history = [Turn("user", previous), Turn("bot", "…")]
    assert followups.form_of(question, history) == form


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("Is there a phone number I can call you on?", None),
        ("Are there any fees when I send something back?", None),
        ("Gibt es einen Rabatt für Studenten?", None),
        ("is it there yet?", "refers_back"),
    ],
)
def test_an_existential_there_or_es_points_back_at_nothing(question, form):
    history = [Turn("user", "Can I pay with Apple Pay?"), Turn("bot", "Yes.")]
    assert followups.form_of(question, history) == form
