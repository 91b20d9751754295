"""Summaries of a session for the people who take it over.

However long the conversation, the summary sees its start, its newest messages in full, and
the customer's messages sampled from a long middle, with a marker where messages were left out.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from shared import errors
from shared.answering import get_provider, offline_provider
from shared.answering.types import AnswerProvider, Summary, SummaryRequest, Turn
from shared.db import conversations
from shared.db.engine import connection, transaction
from shared.schemas import SessionRef, SummaryPublic
from shared.security import hash_token
from shared.services import limits
from shared.services.sessions import UNAUTHORIZED

HEAD_MESSAGES = 10
TAIL_MESSAGES = 150
MIDDLE_SAMPLES = 40
log = logging.getLogger("support.summaries")


def summarize_session(request: SessionRef, *, token: str, provider: AnswerProvider | None = None) -> SummaryPublic:
    """Summarise the conversation so far and store it, replacing any earlier summary."""
    with transaction() as conn:
        session = conversations.find_session(conn, session_id=request.session_id, token_hash=hash_token(token))
        if session is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        rows = conversations.summary_transcript(
            conn, session_id=request.session_id, head=HEAD_MESSAGES, tail=TAIL_MESSAGES, middle=MIDDLE_SAMPLES
        )
        if not any(row.sender == "user" for row in rows):
            raise errors.Conflict("There is nothing to summarise yet: the customer has not written anything.")
        limits.admit_model_work(conn, request.session_id)
    transcript = condensed_transcript(rows)
    summary_request = SummaryRequest(transcript, session.state, session.handover_reason)
    summary = _summarize_safely(provider or get_provider(), summary_request)
    details = {**summary.details, "messages": rows[-1].total}
    with connection() as conn:
        limits.charge_tokens(conn, request.session_id, summary.details.get("usage"))
        row = conversations.save_summary(conn, session_id=request.session_id, content=summary.text, details=details)
    if row is None:
        raise errors.Unauthorized(UNAUTHORIZED)
    return SummaryPublic(session_id=row.session_id, summary=row.content, updated_at=row.updated_at)


def summarize_for_team(session_id: uuid.UUID, *, provider: AnswerProvider | None = None) -> None:
    """At a handover: summarise the whole conversation for the agent who takes it (never fails the request)."""
    try:
        with connection() as conn:
            rows = conversations.summary_transcript(
                conn, session_id=session_id, head=HEAD_MESSAGES, tail=TAIL_MESSAGES, middle=MIDDLE_SAMPLES
            )
            state = conversations.session_state(conn, session_id=session_id)
        if not rows or state is None:
            return
        request = SummaryRequest(condensed_transcript(rows), state.state, state.handover_reason)
        summary = _summarize_safely(provider or get_provider(), request)
        with connection() as conn:
            limits.charge_tokens(conn, session_id, summary.details.get("usage"))
            conversations.save_summary(
                conn,
                session_id=session_id,
                content=summary.text,
                details={**summary.details, "messages": rows[-1].total},
            )
    except errors.ServiceUnavailable:
        log.warning("no summary at handover: the database is unavailable")


def condensed_transcript(rows: list[Any]) -> list[Turn]:
    """The rows as turns, with a note wherever messages between them were left out."""
    turns: list[Turn] = []
    previous = 0
    for row in rows:
        if row.position > previous + 1:
            turns.append(Turn(sender="system", content=f"({row.position - previous - 1} messages left out here)"))
        turns.append(_turn(row))
        previous = row.position
    return turns


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
