"""Customers writing Italian, Portuguese or Dutch: their entry found, its version in their language, else said so."""

from __future__ import annotations

from shared.knowledge import retrieval
from shared.knowledge.retrieval import read_as, version_languages
from tests.factories import ask_bot, new_operator

GIFT_CARDS = {
    "question": "Do you sell gift cards?",
    "answer": "Yes: digital gift cards from $10 to $500, delivered by email.",
    "examples": ["can I buy a gift voucher", "gift card for a friend"],
    "keywords": ["gift card", "voucher"],
    "translations": {
        "nl": {
            "question": "Verkopen jullie cadeaubonnen?",
            "answer": "Ja: digitale cadeaubonnen van $10 tot $500, per e-mail bezorgd.",
            "examples": ["kan ik een cadeaubon kopen", "cadeaukaart voor een vriend"],
        },
        "it": {
            "question": "Vendete buoni regalo?",
            "answer": "Sì: buoni regalo digitali da 10 a 500 dollari, inviati per e-mail.",
            "examples": ["posso comprare una carta regalo", "buono regalo per un amico"],
        },
    },
}


def _create(function_client, draft):
    admin = new_operator("admin")
    created = function_client("operator_api").post("/kb/entries", json=draft, headers=admin.auth)
    assert created.status_code == 201, created.json
    return created.json["entry"]


def test_an_entry_can_carry_italian_portuguese_and_dutch_versions(function_client, restore_knowledge_base):
    entry = _create(function_client, GIFT_CARDS)
    assert set(entry["translations"]) == {"nl", "it"}


def test_a_dutch_customer_gets_the_entrys_dutch_version(function_client, restore_knowledge_base):
    _create(function_client, GIFT_CARDS)
    reply = ask_bot(function_client, "Kan ik bij jullie een cadeaubon kopen voor mijn zus?")
    assert reply["content"].startswith("Ja: digitale cadeaubonnen") or "Ja: digitale cadeaubonnen" in reply["content"]
    assert "Engels" not in reply["content"]


def test_an_italian_customer_gets_the_entrys_italian_version(function_client, restore_knowledge_base):
    _create(function_client, GIFT_CARDS)
    reply = ask_bot(function_client, "Vorrei comprare un buono regalo per mio fratello, è possibile?")
    assert "buoni regalo digitali" in reply["content"] and "inglese" not in reply["content"]


def test_a_portuguese_customer_is_told_the_answer_is_only_in_english_before_reading_it(function_client):
    # The demo knowledge base has French, Spanish and German versions, none in Portuguese.
    reply = ask_bot(function_client, "Esqueci-me da minha password. Como faço para a redefinir?")
    note = "(Esta resposta só está disponível em inglês:)\n"
    assert [source["id"] for source in reply["sources"]] == ["password-reset"]
    assert note in reply["content"] and reply["content"].index(note) < reply["content"].index("Forgot password")


def test_a_message_is_stemmed_as_its_language_when_entries_have_versions_in_it_else_as_a_neighbours_or_english():
    demo = frozenset({"fr", "es", "de"})
    assert [read_as(language, demo) for language in ("fr", "pt", "nl", "it")] == ["fr", "es", "de", "en"]
    assert read_as("pt", demo | {"pt"}) == "pt" and read_as("nl", frozenset()) == "en"


def test_the_languages_entries_have_versions_in_are_read_from_the_knowledge_base(
    function_client, db, restore_knowledge_base
):
    _create(function_client, GIFT_CARDS)
    assert version_languages(db) == {"fr", "es", "de", "nl", "it"}


def test_words_of_a_language_no_entry_is_written_in_are_no_sign_that_the_topic_is_not_covered(function_client, db):
    # Read afresh: another test may have left versions in more languages in the minute's cache.
    retrieval.version_languages_now.forget()
    dutch = retrieval.search(db, "Hoe kan ik mijn wachtwoord opnieuw instellen?", language="nl")
    assert dutch and all(entry.unknown_words == () for entry in dutch)
    english = retrieval.search(db, "Can I pay for my order with skateboards?", language="en")
    assert "skateboards" in english[0].unknown_words
