"""The shape of one language's lexicon, and two helpers for writing its patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    """One language's words; `frustration` maps each shared reason to the patterns that show it."""

    language: str  # ISO 639-1
    person: tuple[str, ...]  # asks for a person: "speak to a human", "passez-moi quelqu'un"
    callback: tuple[str, ...]  # asks to be called or written back: a request even with a time in it
    names_person: str  # a person of the team, to tell "how do I reach a human?" from "how do I reach support?"
    negation: tuple[str, ...]  # before a request in its clause, withdraws it: "no need", "pas besoin"
    negator: str  # a word that negates the next one or two: "not", "pas", "nicht"
    clause_break: str  # a turn inside a sentence: "but", "mais", "aber"
    greeting: str
    info_opener: str  # opens a question about what the service offers: "do you have", "avez-vous"
    wh_opener: str  # opens a question about how or when: "how", "comment"
    question: str  # opens any question, for telling a mild complaint that asks something
    support_detail: str  # hours, days, languages, prices: a question about support, not a request
    channel: str  # the service rather than a person: "support", "service client"
    medium: str  # how the service is reached: "phone", "e-mail"; with a channel, a question about support
    frustration: dict[str, tuple[str, ...]]
    mild: tuple[str, ...]  # impatience that a good answer settles: "second time I ask", "un peu agacé"
    swearing: str  # anger only about a problem and when nothing is praised: "damn loud, love them"
    problem: str  # something gone wrong: "broken", "still", "where is"
    praise: str
    legal: tuple[str, ...]  # legal action, chargebacks, complaints to an authority
    safety: tuple[str, ...]  # smoke, sparks, fire, melting, swelling, shocks, burns
    hypothetical: str  # just before a safety word, makes it a question or denies it: "does it", "not"
    safeguard: str  # just before a safety word in any language, names a protection: "protection against"
    modal: str  # before a safety word in a question, makes it hypothetical: "can a battery swell?"


def either_order(first: str, second: str, gap: int = 30) -> str:
    """`first` then `second`, or the other way round, in one sentence and at most `gap` characters apart."""
    return rf"\b(?:{first})\b[^.?!]{{0,{gap}}}?\b(?:{second})\b|\b(?:{second})\b[^.?!]{{0,{gap}}}?\b(?:{first})\b"


def followed_by(first: str, second: str, words: int = 2) -> str:
    """`first`, then `second` within `words` words."""
    return rf"\b(?:{first}) (?:\S+ ){{0,{words}}}?(?:{second})\b"


def union(patterns: Iterable[str]) -> re.Pattern[str]:
    """One expression that matches where any of `patterns` does."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
