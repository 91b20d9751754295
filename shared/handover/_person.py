"""Whether a message asks for a person: a request in any supported language, not a question about support.

"How do I contact support?" and "Votre service client est ouvert le samedi ?" ask about the
service, and the knowledge base answers them; "no need for a human" withdraws the request it
makes. Each sentence, and each clause of it, is judged on its own: "I don't want a bot, I want a
human" asks for a person in its second clause. Text arrives folded (`_words.fold`).
"""

from __future__ import annotations

import re

from shared.handover.lexicons import LEXICONS
from shared.handover.lexicons.lexicon import union


def _alternatives(words: list[str]) -> str:
    return "|".join(f"(?:{w})" for w in words)


_GREETING = rf"^\W*(?:(?:{_alternatives([x.greeting for x in LEXICONS])})\W+)?"
_INFO_OPENER = re.compile(rf"{_GREETING}(?:{_alternatives([x.info_opener for x in LEXICONS])})\b")
_WH = _alternatives([x.wh_opener for x in LEXICONS])
_WH_OPENER = re.compile(rf"{_GREETING}(?:{_WH})\b")
_WH_CLAUSE = re.compile(rf"(?:^|[,;:])\W*(?:{_WH})\b")
_SUPPORT_DETAIL = union(x.support_detail for x in LEXICONS)
_CHANNEL = re.compile(rf"\b(?:{_alternatives([x.channel for x in LEXICONS])})\b")
_MEDIUM = re.compile(rf"\b(?:{_alternatives([x.medium for x in LEXICONS])})\b")
_NAMES_A_PERSON = re.compile(rf"\b(?:{_alternatives([x.names_person for x in LEXICONS])})\b")
_CALLBACK = union(pattern for x in LEXICONS for pattern in x.callback)
_REQUEST = union(pattern for x in LEXICONS for pattern in (*x.person, *x.callback))
_NEGATION = union(pattern for x in LEXICONS for pattern in x.negation)
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_CLAUSE_BREAK = re.compile(rf"[,;:]|\b(?:{_alternatives([x.clause_break for x in LEXICONS])})\b")


def asks_for_person(folded: str) -> bool:
    """Whether some sentence of the message asks for a person and is no question about support."""
    return any(
        any(map(_requests_person, _CLAUSE_BREAK.split(sentence))) and not _is_question_about_support(sentence)
        for sentence in _SENTENCE.findall(folded)
    )


def _is_question_about_support(sentence: str) -> bool:
    if _INFO_OPENER.search(sentence):
        return True
    if sentence.rstrip().endswith("?") and _asks_when_or_how(sentence):
        return True
    return bool(_WH_OPENER.search(sentence) and (_CHANNEL.search(sentence) or not _NAMES_A_PERSON.search(sentence)))


def _asks_when_or_how(question: str) -> bool:
    """Hours, days, prices, or a channel and a medium: "Can I talk to someone on Sunday?", "Can I reach
    customer service by phone?". Asking to be called back on Sunday is a request, unless it asks when."""
    if not (_SUPPORT_DETAIL.search(question) or (_CHANNEL.search(question) and _MEDIUM.search(question))):
        return False
    return not _CALLBACK.search(question) or bool(_WH_CLAUSE.search(question))


def _requests_person(clause: str) -> bool:
    return any(not _NEGATION.search(clause, 0, match.end()) for match in _REQUEST.finditer(clause))
