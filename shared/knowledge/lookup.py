"""From a customer's message to the entries that answer it: follow-ups, the query vector, the search."""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from shared.answering.types import AnswerRequest, Turn
from shared.db.engine import connection
from shared.embeddings import get_embedder
from shared.knowledge import retrieval
from shared.redaction import redact
from shared.settings import get_settings

log = logging.getLogger("support.retrieval")
# Half the answering threshold still marks a topic worth suggesting.
RELATED_FRACTION = 0.5
_FOLLOW_UP_START = re.compile(r"^\s*(and|but|also|what about|how about|what if|same for|then)\b", re.IGNORECASE)
_REFERS_BACK = re.compile(r"\b(it|its|that|this|they|them|those|these|there|one)\b", re.IGNORECASE)


def search_text(question: str, history: list[Turn]) -> str:
    """The text to search: a follow-up ("and abroad?") is joined to the customer's previous message."""
    previous = next((turn.content for turn in reversed(history) if turn.sender == "user"), None)
    if previous is None:
        return question
    words = len(question.split())
    if _FOLLOW_UP_START.search(question) or words <= 3 or (words <= 8 and _REFERS_BACK.search(question)):
        return f"{previous} {question}"
    return question


def find_answers(question: str, history: list[Turn]) -> AnswerRequest:
    """Retrieve for `question`; a failing embedder or database degrades to less, never to an error."""
    settings = get_settings()
    text = search_text(question, history)
    embedder = get_embedder()
    vector = None
    if embedder is not None:
        try:
            # Whatever goes to a model is redacted, the query for an embedding included.
            vector = embedder.embed_query(redact(text) if settings.redact_personal_data else text)
        except Exception:
            log.exception("query embedding failed; searching lexically")
    try:
        with connection() as conn:
            found = retrieval.search(conn, text, vector=vector, model=embedder.model if embedder else None)
            popular = retrieval.cached_popular_entries(conn)
    except (sa.exc.SQLAlchemyError, OSError):
        log.exception("retrieval failed; answering without the knowledge base")
        return AnswerRequest(question=question, entries=[], history=history)
    # The best-ranked entry decides; others join it when they are confident too.
    entries = [e for e in found if e.fits(settings)] if found and found[0].fits(settings) else []
    return AnswerRequest(
        question=question,
        entries=entries,
        top_score=found[0].score if found else 0.0,
        top_threshold=found[0].threshold(settings) if found else None,
        related=[e for e in found if e not in entries and e.score >= RELATED_FRACTION * e.threshold(settings)],
        popular=popular,
        history=history,
    )
