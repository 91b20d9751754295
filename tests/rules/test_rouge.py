"""ROUGE, as the summary evaluation computes it: F1 on lowercased words, clipped n-gram overlap, longest common run."""

from __future__ import annotations

import pytest

from devtools import rouge


def test_rouge_scores_a_known_pair_as_the_reference_implementation_does():
    scores = rouge.score("The cat was found under the bed.", "the cat was under the bed")
    assert scores.rouge1 == pytest.approx(12 / 13)  # 6 of 7 words, all 6 of the reference's
    assert scores.rouge2 == pytest.approx(8 / 11)  # 4 of 6 bigrams, 4 of 5
    assert scores.rougeL == pytest.approx(12 / 13)


def test_a_word_repeated_in_the_summary_counts_only_as_often_as_in_the_reference():
    assert rouge.score("refund refund refund", "refund issued").rouge1 == pytest.approx(0.4)


def test_a_summary_with_no_shared_word_scores_zero():
    assert rouge.score("hello there", "order lost") == rouge.Rouge(0.0, 0.0, 0.0)
    assert rouge.score("", "order lost") == rouge.Rouge(0.0, 0.0, 0.0)


def test_the_mean_gives_each_conversation_one_vote():
    assert rouge.mean([rouge.Rouge(1.0, 0.5, 0.0), rouge.Rouge(0.0, 0.5, 1.0)]) == rouge.Rouge(0.5, 0.5, 0.5)
