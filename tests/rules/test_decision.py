"""The decision between answering, suggesting and not knowing, from what retrieval ranked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.core.settings import get_settings
from shared.knowledge.decision import decide, decide_passage
from shared.knowledge.retrieval import ScoredEntry

THRESHOLD = 10.0


def _entry(
    entry_id: str, score: float, *, lexical: float = 1.0, dense: float = 0.5, centroid: float = 0.4, unknown=()
) -> ScoredEntry:
    return ScoredEntry(
        entry_id,
        f"Question {entry_id}?",
        f"Answer {entry_id}.",
        None,
        score,
        hybrid=True,
        calibrated=THRESHOLD,
        features={"lexical": lexical, "dense": dense, "centroid": centroid},
        unknown_words=tuple(unknown),
    )


@pytest.fixture
def settings():
    return get_settings()


def test_an_entry_well_above_the_threshold_answers(settings):
    decided = decide([_entry("a", 20.0), _entry("b", 19.5)], settings, words=6)
    assert (decided.outcome, decided.reason) == ("answered", "clear_match")
    assert [e.id for e in decided.entries] == ["a", "b"]


def test_an_entry_just_above_the_threshold_answers_when_no_evidence_speaks_against_it(settings):
    decided = decide([_entry("a", 12.0), _entry("b", 5.0, lexical=0.2, dense=0.3)], settings, words=6)
    assert (decided.outcome, decided.reason) == ("answered", "evidence_agrees")


def test_a_key_term_no_entry_uses_makes_an_answer_a_suggestion(settings):
    found = [_entry("a", 12.0, unknown=["skateboards"]), _entry("b", 5.0, lexical=0.2, dense=0.3)]
    decided = decide(found, settings, words=6)
    assert (decided.outcome, decided.reason) == ("suggested", "key_terms_not_in_kb")
    assert decided.entries == [] and [e.id for e in decided.offered] == ["a"]


def test_naming_something_no_entry_mentions_takes_a_surer_match_to_be_answered_regardless(settings):
    runner_up = _entry("b", 5.0, lexical=0.2, dense=0.3)
    named = decide([_entry("a", 15.0, unknown=["student"]), runner_up], settings, words=6)
    assert (named.outcome, named.reason) == ("suggested", "key_terms_not_in_kb")
    assert decide([_entry("a", 15.0), runner_up], settings, words=6).reason == "clear_match"
    assert decide([_entry("a", 17.0, unknown=["student"]), runner_up], settings, words=6).reason == "clear_match"
    as_a_part = decide([_entry("a", 15.0, unknown=["student"]), runner_up], settings, words=6, key_terms_margin=0.0)
    assert as_a_part.reason == "clear_match"


def test_unknown_words_of_a_language_the_knowledge_base_does_not_read_are_no_evidence(settings):
    found = [_entry("a", 12.0, unknown=["hoe", "ik", "mijn", "nieuwsbrief"]), _entry("b", 5.0, lexical=0, dense=0.3)]
    assert decide(found, settings, words=6).outcome == "answered"


def test_nearest_phrasing_and_centroid_pointing_to_different_entries_only_suggest(settings):
    found = [_entry("a", 12.0, dense=0.6, centroid=0.2), _entry("b", 8.0, dense=0.4, centroid=0.5)]
    assert decide(found, settings, words=6).reason == "views_disagree"


def test_a_paraphrase_sharing_more_words_with_another_entry_still_answers(settings):
    found = [_entry("a", 12.0, lexical=0.2, dense=0.6), _entry("b", 8.0, lexical=2.0, dense=0.4, centroid=0.3)]
    assert decide(found, settings, words=6).outcome == "answered"


def test_two_entries_about_as_likely_ask_which_one_is_meant(settings):
    found = [_entry("a", 12.0), _entry("b", 11.5, lexical=0.5, dense=0.4), _entry("c", 8.0, lexical=0.1, dense=0.1)]
    decided = decide(found, settings, words=6)
    assert (decided.outcome, decided.reason) == ("suggested", "close_runner_up")
    assert [e.id for e in decided.offered] == ["a", "b"]


def test_near_the_threshold_suggests_and_far_under_it_does_not_know(settings):
    assert decide([_entry("a", 8.0)], settings, words=6).outcome == "suggested"
    assert decide([_entry("a", 5.0)], settings, words=6).outcome == "unknown"
    assert decide([], settings, words=6).reason == "nothing_found"


def test_words_that_only_say_when_or_who_else_are_no_evidence_against_an_entry(settings):
    found = [_entry("a", 12.0, unknown=["still", "ago", "dad", "lol"]), _entry("b", 5.0, lexical=0.2, dense=0.3)]
    assert decide(found, settings, words=12).outcome == "answered"


def test_a_key_term_among_vague_words_still_makes_an_answer_a_suggestion(settings):
    found = [_entry("a", 12.0, unknown=["still", "skateboards"]), _entry("b", 5.0, lexical=0.2, dense=0.3)]
    assert decide(found, settings, words=12).reason == "key_terms_not_in_kb"


def test_what_is_left_of_a_contraction_or_a_chat_word_is_no_evidence_against_an_entry(settings):
    unknown = ["m", "doesn", "guys", "realised"]  # "I'm", "doesn't", "you guys", "I just realised"
    found = [_entry("a", 12.0, unknown=unknown), _entry("b", 5.0, lexical=0.2, dense=0.3)]
    assert decide(found, settings, words=14).outcome == "answered"


def _passage(passage_id: str, score: float, document: str) -> ScoredEntry:
    return ScoredEntry(
        f"passage:{passage_id}",
        f"Guide › {passage_id}",
        "Text.",
        None,
        score,
        hybrid=True,
        calibrated=THRESHOLD,
        features={"lexical": 1.0, "dense": 0.5},
        kind="passage",
        document=document,
    )


def test_two_pages_about_as_plausible_make_a_passage_a_guess(settings):
    found = [_passage("setup", 12.0, "setup.md"), _passage("returns", 10.0, "returns.html")]
    assert decide_passage(found, settings, words=10).reason == "close_runner_up"


def test_neighbouring_sections_of_one_page_scoring_alike_still_answer(settings):
    found = [_passage("canada", 12.0, "shipping.md"), _passage("europe", 11.5, "shipping.md")]
    assert decide_passage(found, settings, words=10).outcome == "answered"


def test_a_passage_well_ahead_of_other_pages_answers(settings):
    found = [_passage("setup", 16.0, "setup.md"), _passage("returns", 10.0, "returns.html")]
    assert decide_passage(found, settings, words=10).outcome == "answered"


def test_a_section_quoted_for_its_sentences_is_as_sure_as_its_pages_best_section(settings):
    # lookup moves the section holding the answer before a neighbour that the words match better.
    quoted = replace(_passage("care", 1.9 * THRESHOLD, "buds.md"), unknown_words=("total",))
    best = replace(_passage("charging", 2.4 * THRESHOLD, "buds.md"), unknown_words=("total",))
    assert decide_passage([quoted, best], settings, words=12).outcome == "answered"
    assert decide_passage([quoted], settings, words=12).reason == "key_terms_not_in_kb"
