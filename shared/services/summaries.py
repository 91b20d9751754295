"""Summaries of a conversation: the agents' (at a handover, or refreshed from the console) and the customer's own.

The agents' summary is the model's (extractive when there is no model, it fails, or the token
budget is spent). However long the conversation, it sees its start, its newest messages in full,
and the customer's messages sampled from a long middle, with a marker where messages were left
out. It may hold the customer's sentiment, next steps for the agent and the handover reason, so
the customer never receives it: `summarize_session` gives them their own, built from what they saw.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa

from shared.answering import get_provider, offline_provider
from shared.answering.types import AnswerProvider, Summary, SummaryRequest
from shared.auth.tokens import hash_token
from shared.clients.metering import Tally
from shared.core import errors
from shared.db import conversations
from shared.db.engine import connection, transaction
from shared.schemas.public import SessionRef, SummaryPublic
from shared.services import _limits as limits
from shared.services import _model_usage as model_usage
from shared.services._customer_summary import customer_summary
from shared.services._views import NO_CONVERSATION
from shared.services.sessions import UNAUTHORIZED
from shared.text.language import locale_language
from shared.text.turns import Turn

if TYPE_CHECKING:  # the console's types: summarize_session, a customer's function, does not load them
    from shared.db.operators import OperatorRow
    from shared.schemas.console import AgentSummary

HEAD_MESSAGES = 10
TAIL_MESSAGES = 150
MIDDLE_SAMPLES = 40
NOTHING_YET = "There is nothing to summarise yet: the customer has not written anything."
log = logging.getLogger("support.summaries")


def summarize_session(request: SessionRef, *, token: str) -> SummaryPublic:
    """The customer's own summary of their conversation, stored (replacing theirs) and returned."""
    with transaction() as conn:
        session = conversations.find_session(conn, session_id=request.session_id, token_hash=hash_token(token))
        if session is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        rows = _transcript(conn, request.session_id)
        if not any(row.sender == "user" for row in rows):
            raise errors.Conflict(NOTHING_YET)
        limits.admit_message(conn, request.session_id)  # no model call, but it counts as a message
        language = locale_language(session.locale)
        text = customer_summary(condensed_transcript(rows), state=session.state, agent=session.agent, language=language)
        row = conversations.save_customer_summary(conn, session_id=request.session_id, content=text)
    if row is None:
        raise errors.Unauthorized(UNAUTHORIZED)
    return SummaryPublic(session_id=row.session_id, summary=row.content, updated_at=row.updated_at)


def refresh_for_agents(
    conversation_id: uuid.UUID, *, operator: OperatorRow, provider: AnswerProvider | None = None
) -> AgentSummary:
    """Rewrite the agents' summary from the conversation's current messages (NotFound, or Conflict if empty)."""
    return _write_for_agents(conversation_id, provider, requested_by=operator.id)


def summarize_for_team(session_id: uuid.UUID, *, provider: AnswerProvider | None = None) -> None:
    """At a handover: summarise the whole conversation for the agent who takes it (never fails the request)."""
    try:
        _write_for_agents(session_id, provider)
    except errors.ServiceUnavailable:
        log.warning("no summary at handover: the database is unavailable")
    except (errors.NotFound, errors.Conflict):
        pass  # erased meanwhile, or nothing written to summarise


def _write_for_agents(
    session_id: uuid.UUID, provider: AnswerProvider | None, *, requested_by: uuid.UUID | None = None
) -> AgentSummary:
    from shared.schemas.console import AgentSummary

    with connection() as conn:
        state = conversations.session_state(conn, session_id=session_id)
        if state is None:
            raise errors.NotFound(NO_CONVERSATION)
        rows = _transcript(conn, session_id)
        budget_spent = bool(limits.spent_budgets(conn, session_id))
    if not any(row.sender == "user" for row in rows):
        raise errors.Conflict(NOTHING_YET)
    request = SummaryRequest(condensed_transcript(rows), state.state, state.handover_reason)
    summary = _offline(request, "budget") if budget_spent else _summarize_safely(provider or get_provider(), request)
    details = {**summary.details, "messages": rows[-1].total}
    if requested_by is not None:
        details["requested_by"] = str(requested_by)
    with connection() as conn:
        model_usage.charge(conn, Tally.of(summary.details.get("usage")), session_id=session_id)
        row = conversations.save_summary(conn, session_id=session_id, content=summary.text, details=details)
    if row is None:
        raise errors.NotFound(NO_CONVERSATION)
    degraded = bool(summary.details.get("degraded"))
    return AgentSummary(
        conversation_id=row.session_id, summary=row.content, updated_at=row.updated_at, degraded=degraded
    )


def _transcript(conn: sa.Connection, session_id: uuid.UUID) -> list[conversations.NumberedMessageRow]:
    return conversations.summary_transcript(
        conn, session_id=session_id, head=HEAD_MESSAGES, tail=TAIL_MESSAGES, middle=MIDDLE_SAMPLES
    )


def condensed_transcript(rows: list[conversations.NumberedMessageRow]) -> list[Turn]:
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
    return _offline(request, "model")


def _offline(request: SummaryRequest, reason: str) -> Summary:
    """The extractive summary, marked degraded with why the model did not write it."""
    if reason == "budget":
        log.warning("token budget spent; extractive summary instead")
    fallback = offline_provider().summarize(request)
    return Summary(fallback.text, {**fallback.details, "degraded": True, "degraded_reason": reason})


def _turn(row: conversations.MessageRow) -> Turn:
    details = row.details or {}
    sources = row.sources or []
    return Turn(
        sender=row.sender,
        content=row.content,
        source_questions=tuple(s["question"] for s in sources),
        answered=details.get("decision") != "not_covered",
    )
