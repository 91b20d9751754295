"""The agents' summary without a model reads what was said: it beats the first messages on the written summaries.

The sets (datasets/summaries.jsonl, summaries_social.jsonl) are support conversations with a person's
summary each; `python -m devtools.evaluate --summaries [SET]` prints the same figures.
"""

from __future__ import annotations

import pytest

from devtools import summary_quality
from devtools.evaluate import DATASETS

# ROUGE-2 ahead of the first customer message and first reply by at least this much (F1).
CLEAR_MARGIN = 0.04


@pytest.mark.parametrize("name", ["summaries.jsonl", "summaries_social.jsonl"])
def test_the_summary_without_a_model_beats_the_first_messages_by_a_clear_margin(name):
    figures = summary_quality.measure(DATASETS / name)
    ours, baseline = figures["offline summary"], figures["first messages"]
    assert ours.rouge2 >= baseline.rouge2 + CLEAR_MARGIN, figures
    assert ours.rouge1 > baseline.rouge1 and ours.rougeL > baseline.rougeL, figures
