"""Posting a message: store it, find what answers it, reply, store the reply.

The user's message is committed before retrieval or any model call, and no database
connection is held while a model works. Whatever fails after the message is stored,
the customer gets a stored, graceful reply.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import sqlalchemy as sa

from shared import errors
from shared.answering import get_provider, offline_provider
from shared.answering.suggestions import TALK_TO_HUMAN
from shared.answering.types import Answer, AnswerProvider, AnswerRequest
from shared.db import conversations
from shared.db.engine import connection
from shared.escalation import human_requested
from shared.knowledge import retrieval
from shared.knowledge.retrieval import ScoredEntry
from shared.schemas import MessageCreate, MessageExchange, MessagePublic, SessionState, SessionStatus, SourcePublic
from shared.security import hash_token
from shared.services.sessions import UNAUTHORIZED
from shared.services.views import message_public
from shared.settings import get_settings

log = logging.getLogger("support.chat")


def post_message(request: MessageCreate, *, token: str, provider: AnswerProvider | None = None) -> MessageExchange:
    """Store the customer's message and reply to it (once per `client_message_id`)."""
    with connection() as conn:
        stored = conversations.store_user_message(
            conn,
            session_id=request.session_id,
            token_hash=hash_token(token),
            content=request.content,
            client_message_id=request.client_message_id,
        )
        if stored is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        if stored.message_id is None:
            raise errors.Conflict("This conversation is closed. Please start a new one.")
        if not stored.is_new and (earlier := _stored_exchange(conn, stored.message_id, stored.status)):
            return earlier
        answer_request = _retrieve(conn, request.content, stored.status)
    answer = _answer(provider or get_provider(), answer_request, stored.status)
    assert stored.created_at is not None  # a stored message always has its time
    user_message = MessagePublic(
        id=stored.message_id,
        sender="user",
        content=request.content,
        created_at=stored.created_at,
        client_message_id=request.client_message_id,
    )
    return _store_reply(request, user_message, answer, answer_request)


def _stored_exchange(conn: sa.Connection, message_id: int, status: SessionStatus) -> MessageExchange | None:
    reply = conversations.reply_to(conn, message_id=message_id)
    if reply is None:
        return None
    user = conversations.messages_by_id(conn, [message_id])[message_id]
    return MessageExchange(
        user_message=message_public(user), reply=message_public(reply), session=SessionState(status=status)
    )


def _retrieve(conn: sa.Connection, question: str, status: SessionStatus) -> AnswerRequest | None:
    """What the knowledge base offers for `question`; None when the customer asked for a person."""
    if human_requested(question):
        return None
    settings = get_settings()
    try:
        found = retrieval.search(conn, question)
        popular = _popular(conn)
    except sa.exc.SQLAlchemyError:
        log.exception("retrieval failed; answering without the knowledge base")
        return AnswerRequest(question=question, entries=[])
    return AnswerRequest(
        question=question,
        top_score=found[0].score if found else 0.0,
        entries=[e for e in found if e.score >= settings.retrieval_min_score],
        related=[e for e in found if settings.retrieval_related_min_score <= e.score < settings.retrieval_min_score],
        popular=popular,
    )


_popular_cache: tuple[float, list[ScoredEntry]] = (0.0, [])
POPULAR_TTL_SECONDS = 300


def _popular(conn: sa.Connection) -> list[ScoredEntry]:
    # The knowledge base changes rarely; caching its first entries saves a round trip per message.
    global _popular_cache
    fetched_at, entries = _popular_cache
    if time.monotonic() - fetched_at > POPULAR_TTL_SECONDS:
        entries = retrieval.popular_entries(conn)
        _popular_cache = (time.monotonic(), entries)
    return entries


def _answer(provider: AnswerProvider, request: AnswerRequest | None, status: SessionStatus) -> Answer:
    if request is None:
        return _handover_answer(already=status == "escalated")
    try:
        return provider.answer(request)
    except Exception:
        log.exception("answer provider failed", extra={"provider": provider.name})
    try:
        return replace(offline_provider().answer(request), degraded=True)
    except Exception:
        log.exception("offline fallback failed")
        return _apology()


def _handover_answer(*, already: bool) -> Answer:
    settings = get_settings()
    if already:
        text = "You're already in line for a member of our team. They'll reply right here as soon as they can."
    else:
        text = (
            f"I've asked a member of the {settings.company_name} team to take over. They'll reply right here "
            f"during our support hours ({settings.support_hours}). Your conversation is saved, so you can "
            "close this window and come back later."
        )
    return Answer(
        text=text,
        source_ids=[],
        suggested_actions=[],
        provider="handover",
        escalate=True,
        escalation_reason="customer asked for a human",
    )


def _apology() -> Answer:
    return Answer(
        text="I'm sorry, something went wrong while I was looking into that. Your message is saved. "
        "Please try again in a moment, or ask to talk to a human.",
        source_ids=[],
        suggested_actions=[TALK_TO_HUMAN],
        provider="fallback",
        degraded=True,
    )


def _store_reply(
    request: MessageCreate, user_message: MessagePublic, answer: Answer, answer_request: AnswerRequest | None
) -> MessageExchange:
    retrieved = [*answer_request.entries, *answer_request.related] if answer_request else []
    sources = _sources(answer, retrieved)
    details = {
        "provider": answer.provider,
        "decision": _decision(answer),
        "answered": bool(sources),
        "top_score": answer_request.top_score if answer_request else None,
        "degraded": answer.degraded,
    }
    to_store = conversations.ReplyToStore(
        content=answer.text,
        sources=[s.model_dump(mode="json") for s in sources],
        suggested_actions=answer.suggested_actions,
        details=details,
        escalate=answer.escalate,
        escalation_reason=answer.escalation_reason,
    )
    with connection() as conn:
        stored = conversations.store_reply(
            conn, session_id=request.session_id, reply_to_id=user_message.id, reply=to_store
        )
        if not stored.is_new and (earlier := conversations.reply_to(conn, message_id=user_message.id)):
            return MessageExchange(
                user_message=user_message, reply=message_public(earlier), session=SessionState(status=stored.status)
            )
    reply = MessagePublic(
        id=stored.id,
        sender="bot",
        content=answer.text,
        created_at=stored.created_at,
        reply_to=user_message.id,
        sources=sources,
        suggested_actions=answer.suggested_actions,
    )
    return MessageExchange(user_message=user_message, reply=reply, session=SessionState(status=stored.status))


def _sources(answer: Answer, retrieved: list[ScoredEntry]) -> list[SourcePublic]:
    """The entries the answer used, keeping only ids that retrieval really returned."""
    by_id = {entry.id: entry for entry in retrieved}
    return [
        SourcePublic(id=by_id[i].id, question=by_id[i].question, url=by_id[i].url)
        for i in dict.fromkeys(answer.source_ids)
        if i in by_id
    ]


def _decision(answer: Answer) -> str:
    if answer.escalate:
        return "handover"
    if answer.provider == "fallback":
        return "failed"
    return "answered" if answer.source_ids else "not_covered"
