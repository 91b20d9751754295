"""Summaries of a session for the people who take it over."""

from __future__ import annotations

import logging
from typing import Any

from shared import errors
from shared.answering import get_provider, offline_provider
from shared.answering.types import AnswerProvider, Summary, SummaryRequest, Turn
from shared.db import conversations
from shared.db.engine import connection
from shared.schemas import SessionRef, SummaryPublic
from shared.security import hash_token
from shared.services.sessions import UNAUTHORIZED

MAX_TRANSCRIPT_MESSAGES = 500
log = logging.getLogger("support.summaries")


def summarize_session(request: SessionRef, *, token: str, provider: AnswerProvider | None = None) -> SummaryPublic:
    """Summarise the conversation so far and store it, replacing any earlier summary."""
    with connection() as conn:
        session = conversations.find_session(conn, session_id=request.session_id, token_hash=hash_token(token))
        if session is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        rows = conversations.list_messages(
            conn, session_id=request.session_id, after=None, limit=MAX_TRANSCRIPT_MESSAGES
        )
    transcript = [_turn(row) for row in rows]
    if not any(turn.sender == "user" for turn in transcript):
        raise errors.Conflict("There is nothing to summarise yet: the customer has not written anything.")
    summary_request = SummaryRequest(transcript, session.status, session.escalation_reason)
    summary = _summarize_safely(provider or get_provider(), summary_request)
    details = {**summary.details, "messages": len(transcript)}
    with connection() as conn:
        row = conversations.save_summary(conn, session_id=request.session_id, content=summary.text, details=details)
    return SummaryPublic(session_id=row.session_id, summary=row.content, updated_at=row.updated_at)


def _summarize_safely(provider: AnswerProvider, request: SummaryRequest) -> Summary:
    try:
        return provider.summarize(request)
    except errors.ModelFailed as exc:
        log.warning("model failed; extractive summary instead", extra={"provider": provider.name, "reason": str(exc)})
    except Exception:
        log.exception("summary provider failed; extractive summary instead", extra={"provider": provider.name})
    fallback = offline_provider().summarize(request)
    return Summary(fallback.text, {**fallback.details, "degraded": True})


def _turn(row: Any) -> Turn:
    details = row.details or {}
    sources = row.sources or []
    return Turn(
        sender=row.sender,
        content=row.content,
        source_questions=tuple(s["question"] for s in sources),
        answered=details.get("decision") != "not_covered",
    )
