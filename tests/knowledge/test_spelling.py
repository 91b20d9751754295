"""A customer's misspelt words are corrected to the knowledge base's own words before the message is embedded."""

from __future__ import annotations

import pytest

from shared.knowledge import spelling
from shared.knowledge.documents.sync import remove_source, sync_sources
from shared.knowledge.spelling import Vocabulary, edit_distance
from shared.knowledge.sync import sync_entries, sync_file
from shared.schemas.faq import FaqEntry, Translation


def _no_word_known(word: str) -> bool:
    return False


SHOP = Vocabulary(
    {
        "en": {"return": 3, "refund": 2, "warranty": 2, "charger": 4, "changer": 1, "card": 2, "money": 1},
        "fr": {"remboursement": 2, "livraison": 3},
    }
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("how do i retrn it", "how do i return it"),  # a letter left out
        ("where is my refnud", "where is my refund"),  # two letters swapped
        ("is the waranty long", "is the warranty long"),
        ("no mony yet", "no money yet"),
    ],
)
def test_a_misspelt_word_becomes_the_knowledge_base_word_one_edit_away(typed, meant):
    assert SHOP.corrected(typed, "en", _no_word_known) == meant


def test_among_equally_near_words_the_one_more_entries_use_wins():
    assert SHOP.corrected("my chager broke", "en", _no_word_known) == "my charger broke"


def test_a_word_the_encoders_know_is_left_as_typed_though_a_knowledge_base_word_is_near():
    assert SHOP.corrected("add it to my cart", "en", lambda word: word == "cart") == "add it to my cart"


def test_words_two_edits_from_every_knowledge_base_word_and_short_words_are_left_as_typed():
    assert SHOP.corrected("a student discount for the cat", "en", _no_word_known) == "a student discount for the cat"
    assert SHOP.corrected("rtrn it", "en", _no_word_known) == "rtrn it"
    assert SHOP.corrected("remborsment", "fr", _no_word_known) == "remborsment"


def test_letters_left_out_added_or_swapped_are_corrected_in_every_language_of_the_knowledge_base():
    assert SHOP.corrected("remboursment livrasion", "fr", _no_word_known) == "remboursement livraison"
    assert SHOP.corrected("reutrn wrranty", "en", _no_word_known) == "return warranty"


def test_a_message_is_corrected_only_towards_words_of_its_own_language():
    assert SHOP.corrected("où est mon refnud", "fr", _no_word_known) == "où est mon refnud"
    assert SHOP.corrected("waar is mijn refnud", "nl", _no_word_known) == "waar is mijn refnud"


def test_the_edit_distance_counts_a_swap_of_two_letters_as_one_edit():
    assert edit_distance("lnog", "long") == 1
    assert edit_distance("long", "long") == 0
    assert edit_distance("retrn", "return") == 1
    assert edit_distance("cart", "card") == 1
    assert edit_distance("abc", "") == 3


@pytest.fixture
def restore_knowledge_base():
    yield
    sync_file()


def test_a_sync_stores_each_languages_words_with_how_many_entries_use_them(restore_knowledge_base):
    entries = [
        FaqEntry(
            id="refunds",
            question="When will I get my refund?",
            answer="Refunds reach your card within 5 days.",
            translations={"fr": Translation(question="Quand serai-je remboursé ?", answer="Sous 5 jours.")},
        ),
        FaqEntry(id="cards", question="Which cards do you take?", answer="Every card, and PayPal.", keywords=["visa"]),
    ]
    sync_entries(entries)
    words = spelling.vocabulary().words
    assert words["en"]["card"] == 2
    assert words["en"]["refund"] == 1
    assert words["en"]["visa"] == 1
    assert words["fr"]["remboursé"] == 1
    assert "remboursé" not in words["en"]
    assert not any(len(word) < spelling.SHORTEST_WORD for language in words.values() for word in language)


def test_the_words_read_again_unchanged_keep_the_index_built_for_them(restore_knowledge_base):
    sync_entries([FaqEntry(id="refunds", question="When will I get my refund?", answer="Within 5 days.")])
    first = spelling.vocabulary()
    assert first.corrected("my refnud", "en", _no_word_known) == "my refund"
    spelling.vocabulary_now.forget()
    assert spelling.vocabulary() is first
    sync_entries([FaqEntry(id="returns", question="Can I return it?", answer="Within 30 days.")])
    assert spelling.vocabulary() is not first


def test_the_help_centers_words_are_corrected_to_too_and_leave_with_their_source(tmp_path):
    folder = tmp_path / "help"
    folder.mkdir()
    (folder / "shipping.md").write_text("# Shipping\n\n## Guatemala\n\nParcels reach Guatemala in nine days.\n")
    try:
        sync_sources([str(folder)])
        assert spelling.vocabulary().words["en"]["guatemala"] == 1
        assert spelling.vocabulary().corrected("do you ship to guatemla", "en", _no_word_known) == (
            "do you ship to guatemala"
        )
    finally:
        remove_source(str(folder))
    assert "guatemala" not in spelling.vocabulary().words.get("en", {})
