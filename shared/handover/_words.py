"""Folding a message for the patterns, and each language's words for one thing with what takes them back.

The guard belongs to the language of the words: Portuguese "no" means "in the", and "vou
reclamar no Procon" is no negated threat; Spanish "se" is no "if" before "se derritió".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shared.handover.lexicons import LEXICONS
from shared.handover.lexicons.lexicon import Lexicon, union

_SENTENCE_END = re.compile(r"[.?!]")
_REST_IS_A_QUESTION = re.compile(r"[^.!?]*\?")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents stripped, curly apostrophes straight, runs of spaces as one: what the patterns see."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).lower()


@dataclass(frozen=True)
class Words:
    """One language's pattern for one thing; `unless_before` takes a match back when it ends the sentence's text
    before it, `unless_asked` when it occurs in that text and the sentence is a question."""

    pattern: re.Pattern[str]
    unless_before: re.Pattern[str]
    unless_asked: re.Pattern[str] | None = None

    def occur_in(self, folded: str) -> bool:
        """Whether the words occur once and are not taken back."""
        return any(not self._taken_back(folded, match) for match in self.pattern.finditer(folded))

    def _taken_back(self, folded: str, match: re.Match[str]) -> bool:
        before = _SENTENCE_END.split(folded[max(0, match.start() - 80) : match.start()])[-1]
        if self.unless_before.search(before[-40:]):
            return True
        if self.unless_asked is None or not _REST_IS_A_QUESTION.match(folded, match.end()):
            return False
        return bool(self.unless_asked.search(before))


def negated(lexicon: Lexicon) -> str:
    """A negation just before: "not", "not really"."""
    return rf"(?:n't|\b(?:{lexicon.negator}))\s+(?:\w+\s+)?$"


_SAFEGUARD = "|".join(f"(?:{x.safeguard})" for x in LEXICONS)


def hypothetical(lexicon: Lexicon) -> str:
    """Within four words before: a question or a denial in the same language ("does it", "not"), or a
    safeguard in any ("protection against", "protección contra"): safeguard words are no function words."""
    return rf"\b(?:{lexicon.hypothetical}|{_SAFEGUARD})\b(?:\W+\w+){{0,3}}\W*$"


def modal(lexicon: Lexicon) -> str:
    """A modal verb anywhere before, in a question: "Can a power bank swell in a hot car?"."""
    return rf"\b(?:{lexicon.modal})\b"


def in_every_language(
    words_of: Callable[[Lexicon], Iterable[str]],
    unless_before: Callable[[Lexicon], str] = negated,
    unless_asked: Callable[[Lexicon], str] | None = None,
) -> tuple[Words, ...]:
    """Each language's `words_of(lexicon)`, guarded by its own `unless_before(lexicon)` and `unless_asked(lexicon)`."""
    return tuple(
        Words(union(patterns), re.compile(unless_before(x)), re.compile(unless_asked(x)) if unless_asked else None)
        for x in LEXICONS
        if (patterns := tuple(words_of(x)))
    )


def occur(words: tuple[Words, ...], folded: str) -> bool:
    """Whether the words of some language occur in `folded`, not taken back."""
    return any(w.occur_in(folded) for w in words)
