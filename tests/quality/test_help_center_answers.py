"""Answers from the demo help center, on messages labelled for it (datasets/helpcenter_eval.jsonl).

The floors are the figures measured when passages joined the answers (README, "Help center");
a change that finds fewer pages, cites fewer sections, or answers more messages wrongly fails here.
"""

from __future__ import annotations

import pytest

from devtools.evaluate_help_center import evaluate
from shared.embeddings import get_embedder
from shared.knowledge.sync import sync_file


def test_questions_only_a_page_answers_are_answered_from_it_and_entries_keep_theirs():
    if get_embedder() is None:
        pytest.skip("the default mode's encoders are not installed")
    sync_file()
    found = evaluate(fresh=False)
    assert found.pages_found >= 0.64
    assert found.sections_cited >= 0.55
    assert found.facts_in_reply >= 0.56
    assert found.entries_right >= 0.83
    assert found.not_covered_refused >= 0.75
    assert found.confidently_wrong <= 0.158
