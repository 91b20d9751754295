"""Which language a customer writes in, from short real-looking messages in each supported language."""

from __future__ import annotations

import pytest

from shared.text.language import LANGUAGES, NAMES, language_of, locale_language

MESSAGES = {
    "en": [
        "Can I return headphones I already opened?",
        "where is my order",
        "Is the charger compatible with my phone?",
        "Do you ship to the Netherlands?",
        "hi, how long does shipping to Portugal take?",
    ],
    "fr": [
        "Je voudrais savoir où en est ma commande",
        "Vous livrez en Belgique ?",
        "Est-ce que je peux payer avec PayPal ?",
        "Je n'ai pas reçu mon remboursement",
        "C'est possible de changer l'adresse de livraison ?",
    ],
    "es": [
        "Quiero devolver unos auriculares que no me gustan",
        "¿Puedo pagar con tarjeta de débito?",
        "Como puedo cambiar la dirección de mi pedido?",
        "No me ha llegado el reembolso todavía",
    ],
    "de": [
        "Wie lange dauert die Lieferung nach Österreich?",
        "Kann ich meine Bestellung noch stornieren?",
        "Ich habe mein Passwort vergessen",
        "Gibt es Rabatt für Firmenkunden?",
    ],
    "it": [
        "Posso restituire un prodotto che ho già aperto?",
        "Come faccio a cambiare la password?",
        "Non ho ancora ricevuto il rimborso",
        "Accettate pagamenti con PayPal?",
        "Il mio ordine non è ancora arrivato",
    ],
    "pt": [
        "Ainda não recebi o meu reembolso",
        "Posso pagar com cartão de crédito?",
        "Como faço para cancelar a minha encomenda?",
        "Quanto tempo demora a entrega?",
        "O meu pedido chegou danificado",
    ],
    "nl": [
        "Hoe lang duurt de verzending naar België?",
        "Kan ik mijn bestelling nog annuleren?",
        "Wat kost verzending naar Nederland?",
        "Ik heb mijn wachtwoord vergeten",
        "Is er garantie op de koptelefoon?",
        "Wanneer krijg ik mijn geld terug?",
    ],
}


@pytest.mark.parametrize(
    ("language", "text"), [(language, text) for language, texts in MESSAGES.items() for text in texts]
)
def test_a_short_message_is_read_in_its_language(language, text):
    assert language_of(text) == language


# Spanish, Portuguese and Italian share words ("quanto", "posso", "con", "para"), and a message
# may name another language's country: neither may tip it into the wrong language.
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "¿Cuánto cuesta el envío a Portugal?"),
        ("es", "¿Tienen una tienda en Roma?"),
        ("es", "¿Cuánto tarda el envío a Canarias?"),
        ("pt", "Quanto custa o envio para a Espanha?"),
        ("pt", "Vocês têm loja em Madrid?"),
        ("pt", "Posso trocar por outro tamanho?"),
        ("pt", "Vocês enviam para Portugal?"),
        ("it", "Quanto costa la spedizione in Spagna?"),
        ("it", "Avete un negozio a Madrid?"),
        ("it", "Spedite anche in Portogallo?"),
        ("nl", "Verzenden jullie ook naar Spanje?"),
        ("de", "Liefert ihr auch nach Belgien?"),
        ("fr", "Vous livrez aussi en Italie ?"),
    ],
)
def test_a_neighbouring_language_does_not_take_over_a_message(language, text):
    assert language_of(text) == language


@pytest.mark.parametrize(
    ("text", "locale", "language"),
    [("12345", "pt-BR", "pt"), ("ok", "nl", "nl"), ("#A-1182", "it_IT", "it"), ("ok", "ja-JP", "en")],
)
def test_a_message_with_no_telling_word_keeps_the_widgets_language(text, locale, language):
    assert language_of(text, locale) == language


def test_every_supported_language_has_a_name_for_the_models_instructions():
    assert set(NAMES) == set(LANGUAGES) and locale_language("nl-BE") == "nl"
