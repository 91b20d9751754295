"""ROUGE-1, ROUGE-2 and ROUGE-L F1 of a summary against a reference, on lowercased words (no stemming)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Rouge:
    """F1 scores between 0 and 1."""

    rouge1: float
    rouge2: float
    rougeL: float


def tokens(text: str) -> list[str]:
    """The lowercased words of `text`, punctuation dropped."""
    return _WORD.findall(text.lower())


def score(candidate: str, reference: str) -> Rouge:
    """ROUGE-1/2/L F1 of `candidate` against `reference`."""
    ours, theirs = tokens(candidate), tokens(reference)
    return Rouge(
        rouge1=_ngram_f1(ours, theirs, 1),
        rouge2=_ngram_f1(ours, theirs, 2),
        rougeL=_f1(_lcs_length(ours, theirs), len(ours), len(theirs)),
    )


def mean(scores: Sequence[Rouge]) -> Rouge:
    """The average of each score (macro, one conversation one vote)."""
    count = max(1, len(scores))
    return Rouge(
        rouge1=sum(s.rouge1 for s in scores) / count,
        rouge2=sum(s.rouge2 for s in scores) / count,
        rougeL=sum(s.rougeL for s in scores) / count,
    )


def _ngram_f1(ours: list[str], theirs: list[str], n: int) -> float:
    mine, reference = _ngrams(ours, n), _ngrams(theirs, n)
    overlap = sum((mine & reference).values())  # each n-gram counts at most as often as in both
    return _f1(overlap, sum(mine.values()), sum(reference.values()))


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _lcs_length(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _f1(overlap: int, candidate_total: int, reference_total: int) -> float:
    if not overlap:
        return 0.0
    precision, recall = overlap / candidate_total, overlap / reference_total
    return 2 * precision * recall / (precision + recall)
