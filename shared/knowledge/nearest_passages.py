"""The help-center passages nearest a question, for the team's eyes: the gaps list.

The customer's path searches passages inside `lookup.explain`, beside the entries ("Try it" shows
what that search ranked); the gaps search the same way (the query embedded and redacted as
`lookup` does it, lexically when there is no embedder or it fails).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from shared.core.settings import get_settings
from shared.embeddings import get_embedder
from shared.knowledge import passages
from shared.knowledge.retrieval import ScoredEntry
from shared.text.redaction import redact

log = logging.getLogger("support.retrieval")


def ranked(conn: sa.Connection, question: str, *, language: str, top_k: int = passages.TOP_K) -> list[ScoredEntry]:
    """The passages retrieval ranks for `question`, best first; none while no document has passages."""
    if not passages.passages_present.get(conn):
        return []
    vector, model = _query_vector(question)
    return passages.search(conn, question, vector=vector, model=model, language=language, top_k=top_k)


def nearest(conn: sa.Connection, question: str, *, language: str, share: float) -> ScoredEntry | None:
    """The best passage for `question` when it scores at least `share` of its own threshold, else None."""
    found = ranked(conn, question, language=language, top_k=1)
    if not found:
        return None
    best = found[0]
    return best if best.score >= share * best.threshold(get_settings()) else None


def _query_vector(question: str) -> tuple[list[float] | None, str | None]:
    embedder = get_embedder()
    if embedder is None:
        return None, None
    text = redact(question) if get_settings().redact_personal_data else question
    try:
        return embedder.embed_query(text), embedder.model
    except Exception:
        log.exception("query embedding failed; searching the passages lexically")
        return None, None
