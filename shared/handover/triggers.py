"""Whether one customer message should hand the conversation over to a person, and how urgently.

Four kinds of trigger, the first that applies wins: a safety report (smoke, sparks, fire,
melting, swelling, a shock or a burn: hand over at once, top priority), a legal threat or
chargeback, a request for a person (`_person.py`), frustration. Frustration is strong (anger,
insults, repeated contact, long waits, threats to leave, shouting) or mild: impatience ("a bit
annoyed", "second time I ask") in a message that asks something. For a mild trigger the bot
answers when the knowledge base can, and offers a person; otherwise it hands over.

Every supported language has its words in `lexicons/`; the rules here are the same for all of
them and run every lexicon on every message. The patterns see folded text (lower case, accents
stripped); only shouting looks at the original case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from shared.handover._person import asks_for_person
from shared.handover._words import Words, fold, hypothetical, in_every_language, modal, occur
from shared.handover.lexicons import LEXICONS

UNANSWERED_IN_A_ROW = 2  # the bot could not answer this many questions in a row: hand over
SAFETY_REASON = "safety report (smoke, sparks, heat, swelling or a shock): hand over at once, top priority"
LEGAL_REASON = "legal threat or chargeback: a person must reply"
PERSON_REASON = "customer asked for a person"
IMPATIENCE = "impatient or asking again"

Kind = Literal["safety", "legal", "person", "frustration"]
Strength = Literal["strong", "mild"]


@dataclass(frozen=True)
class Trigger:
    """Why a person should take over: the kind, a short reason for the agent, and how strongly.

    A mild trigger hands over only when the knowledge base has no answer; otherwise the bot
    answers and offers a person.
    """

    kind: Kind
    reason: str
    strength: Strength = "strong"


def _strong(reason: str) -> tuple[Words, ...]:
    return in_every_language(lambda x: x.frustration.get(reason, ()))


_SAFETY = in_every_language(lambda x: x.safety, hypothetical, modal)
_LEGAL = in_every_language(lambda x: x.legal)
_STRONG = {reason: _strong(reason) for reason in LEXICONS[0].frustration}  # in the order the reasons are tried
_MILD = in_every_language(lambda x: x.mild)
_SWEARING = in_every_language(lambda x: (rf"\b(?:{x.swearing})\b",))
_PROBLEM = in_every_language(lambda x: (rf"\b(?:{x.problem})\b",))
_PRAISE = in_every_language(lambda x: (rf"\b(?:{x.praise})\b(?! for nothing)",))
_SMILING = re.compile(
    "[\U0001f602\U0001f604\U0001f605\U0001f60a\U0001f60d\U0001f642\U0001f923\U0001f525\u2764\U0001f44d]"
)
_QUESTION = re.compile(rf"(?:^|[.!?,:;]) ?(?:{'|'.join(f'(?:{x.question})' for x in LEXICONS)})\b")
_WORD = re.compile(r"[^\W\d_]+")
_GRATEFUL = re.compile(r"\b(?:thanks?|thx|ty|love|great|awesome|perfect|amazing)\b(?! for nothing)")  # caps in joy


def detect(text: str) -> Trigger | None:
    """The reason to hand this message's conversation to a person, or None when the bot should answer it."""
    folded = fold(text)
    if occur(_SAFETY, folded):
        return Trigger("safety", SAFETY_REASON)
    if occur(_LEGAL, folded):
        return Trigger("legal", LEGAL_REASON)
    if asks_for_person(folded):
        return Trigger("person", PERSON_REASON)
    return _frustration(text, folded)


def _frustration(text: str, folded: str) -> Trigger | None:
    reason = next((reason for reason, words in _STRONG.items() if occur(words, folded)), None)
    if reason is None and _swears_in_anger(folded):
        reason = "angry wording"
    if reason is None and _is_shouting(text) and not _GRATEFUL.search(folded):
        reason = "shouting"
    if reason is not None:
        return Trigger("frustration", f"customer is frustrated: {reason}")
    if not occur(_MILD, folded):
        return None
    asks = "?" in folded or bool(_QUESTION.search(folded))
    return Trigger("frustration", f"customer is frustrated: {IMPATIENCE}", "mild" if asks else "strong")


def _swears_in_anger(folded: str) -> bool:
    """Swearing about a problem, unless the message praises something or smiles: "damn loud, love them" is delight."""
    if not (occur(_SWEARING, folded) and occur(_PROBLEM, folded)):
        return False
    return not (occur(_PRAISE, folded) or _SMILING.search(folded))


def _is_shouting(text: str) -> bool:
    """Three or more upper-case words in a row, one of five letters or more: short acronyms alone don't shout."""
    run = longest = 0
    for word in _WORD.findall(text):
        run, longest = (run + 1, max(longest, len(word))) if word.isupper() else (0, 0)
        if run >= 3 and longest >= 5:
            return True
    return False
