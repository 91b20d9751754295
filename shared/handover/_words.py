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
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, accents stripped, curly apostrophes straight, runs of spaces as one: what the patterns see."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).lower()


@dataclass(frozen=True)
class Words:
    """One language's pattern for one thing, and the guard that takes a match back when it ends the text before."""

    pattern: re.Pattern[str]
    unless_before: re.Pattern[str]

    def occur_in(self, folded: str) -> bool:
        """Whether the words occur once with nothing just before them, in their sentence, that takes them back."""
        for match in self.pattern.finditer(folded):
            before = _SENTENCE_END.split(folded[max(0, match.start() - 40) : match.start()])[-1]
            if not self.unless_before.search(before):
                return True
        return False


def negated(lexicon: Lexicon) -> str:
    """A negation just before: "not", "not really"."""
    return rf"(?:n't|\b(?:{lexicon.negator}))\s+(?:\w+\s+)?$"


_SAFEGUARD = "|".join(f"(?:{x.safeguard})" for x in LEXICONS)


def hypothetical(lexicon: Lexicon) -> str:
    """Within four words before: a question or a denial in the same language ("does it", "not"), or a
    safeguard in any ("protection against", "protección contra"): safeguard words are no function words."""
    return rf"\b(?:{lexicon.hypothetical}|{_SAFEGUARD})\b(?:\W+\w+){{0,3}}\W*$"


def in_every_language(
    words_of: Callable[[Lexicon], Iterable[str]], unless_before: Callable[[Lexicon], str] = negated
) -> tuple[Words, ...]:
    """Each language's `words_of(lexicon)`, guarded by its own `unless_before(lexicon)`."""
    return tuple(
        Words(union(patterns), re.compile(unless_before(x))) for x in LEXICONS if (patterns := tuple(words_of(x)))
    )


def occur(words: tuple[Words, ...], folded: str) -> bool:
    """Whether the words of some language occur in `folded`, not taken back."""
    return any(w.occur_in(folded) for w in words)
