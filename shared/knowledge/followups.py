"""Reading a message against the conversation, without a model: "and to Canada?", "how much is it?".

A follow-up is read with the customer's previous message (its terms), and the entry the bot's
previous reply was about is preferred when it ranks about as high as the first. Two forms:

- elliptic ("and to Canada?", "what about Amex?"): a new detail that replaces one of the
  previous question; when the message alone finds a confident answer, that answer stands;
- referring back ("how long does that take?", "is it free?"): a pronoun points at the previous
  topic, so the message is read in context;
- implicit ("do I need to pay for the label?" after a return): a short message with no such
  word, which the previous answer's topic explains. It is read in context too, but only
  continuing that topic counts: when the message alone answers, or read in context it finds
  another entry, it is a new question.

Anything else is a new question and is read alone: a previous topic never leaks into it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from shared.core.settings import Settings
from shared.knowledge.retrieval import ScoredEntry
from shared.text.question_words import FOLLOW_UP_CONNECTORS, REFERS_BACK, alternatives
from shared.text.turns import Turn

Form = Literal["elliptic", "refers_back", "implicit"]
SHORT_WORDS = 4
MAX_FOLLOW_UP_WORDS = 14
# The previous reply's entry is kept when it scores within this share of the threshold of the first.
CONTEXT_MARGIN = 0.25
_CONNECTOR = re.compile(rf"^\W*({alternatives(FOLLOW_UP_CONNECTORS)})\b", re.IGNORECASE)
# Pronouns and place words that point back, in each language customers write in (articles left out).
_REFERS_BACK = re.compile(rf"\b({alternatives(REFERS_BACK)})\b|\bl'", re.IGNORECASE)
# An existential "there" or "es" points at nothing said before: "Is there a phone number?", "Gibt es ...?".
_EXISTENTIAL = re.compile(
    r"\b(?:(?:is|are|was|were|isn'?t|aren'?t)\s+there|there(?:'s|\s+(?:is|are|was|were))|gibt\s+es|es\s+gibt)\b",
    re.IGNORECASE,
)


def previous_message(history: list[Turn]) -> str | None:
    """The customer's previous message, if any."""
    return next((turn.content for turn in reversed(history) if turn.sender == "user"), None)


def context_entries(history: list[Turn]) -> tuple[str, ...]:
    """The entries the bot's previous reply was about."""
    return next((turn.source_ids for turn in reversed(history) if turn.sender == "bot"), ())


def form_of(question: str, history: list[Turn]) -> Form | None:
    """How `question` depends on the conversation, or None when it stands alone."""
    if previous_message(history) is None:
        return None
    words = len(question.split())
    if words <= MAX_FOLLOW_UP_WORDS and _REFERS_BACK.search(_EXISTENTIAL.sub(" ", question)):
        return "refers_back"
    if _CONNECTOR.search(question) or words <= SHORT_WORDS:
        return "elliptic"
    if words <= MAX_FOLLOW_UP_WORDS and context_entries(history):
        return "implicit"
    return None


def in_context(question: str, history: list[Turn]) -> str:
    """The text a follow-up is searched with: the previous message, then this one."""
    return f"{previous_message(history)} {question}"


def prefer_context(found: list[ScoredEntry], context: tuple[str, ...], settings: Settings) -> list[ScoredEntry]:
    """`found` with the previous reply's entry first when it scores about as high as the first."""
    if not found or not context or found[0].id in context:
        return found
    margin = CONTEXT_MARGIN * found[0].threshold(settings)
    kept = next((e for e in found if e.id in context and e.score >= found[0].score - margin), None)
    if kept is None:
        return found
    # It answers in place of the first, with the first's score: it is the entry the customer means.
    return [replace(kept, score=found[0].score), *(e for e in found if e.id != kept.id)]


def own_words(question: str, unknown: tuple[str, ...]) -> tuple[str, ...]:
    """The unknown words that belong to this message (not to the previous one it is read with)."""
    words = {w.lower() for w in re.findall(r"\w+(?:-\w+)*", question)}
    return tuple(w for w in unknown if w in words)
