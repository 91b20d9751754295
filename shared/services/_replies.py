"""Storing the bot's reply to a user message, and the replies that need no model."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from shared.answering.links import neutralise, policy_for
from shared.answering.providers.offline import ACKNOWLEDGEMENT
from shared.answering.suggestions import TALK_TO_HUMAN
from shared.answering.types import Answer, AnswerRequest
from shared.clients import metering
from shared.clients.metering import Tally
from shared.db import conversations, user_messages
from shared.db.engine import connection, run_idempotent, transaction
from shared.knowledge.retrieval import ScoredEntry
from shared.schemas.public import MessageExchange, MessagePublic, SessionState, SourcePublic
from shared.services import _handover
from shared.services import _limits as limits
from shared.services import _model_usage as model_usage
from shared.services._views import message_public, session_state


def store(
    session_id: uuid.UUID, user_message: MessagePublic, answer: Answer, answer_request: AnswerRequest | None
) -> MessageExchange:
    """Store `answer` as the reply to `user_message` (once) and hand over when it says so.

    A handover changes the state and queues its follow-up in the reply's own transaction; the
    summary and the team's notifications run later, outside this request (services/_handover.py).
    """
    retrieved = [*answer_request.entries, *answer_request.related] if answer_request else []
    answer = _links_checked(answer, answer_request)
    sources = _sources(answer, retrieved)
    to_store = conversations.ReplyToStore(
        content=answer.text,
        sources=[s.model_dump(mode="json", exclude=None if s.title else {"title", "section"}) for s in sources],
        suggested_actions=answer.suggested_actions,
        details=_details(answer, answer_request, sources) | (answer.action.details() if answer.action else {}),
        pins=_pins(sources, retrieved),
    )
    tally = metering.take()  # this request's other model calls: the embedding of the question, for one
    if answer.hands_over or answer.usage or tally.calls:
        with transaction() as conn:
            stored, state, earlier = _store_and_charge(conn, session_id, user_message.id, to_store, answer, tally)
    else:  # nothing to write but the reply: one statement, safe to run again if its connection was dead
        stored, state, earlier = run_idempotent(lambda conn: _stored(conn, session_id, user_message.id, to_store))
    reply = message_public(earlier) if earlier is not None else _reply(stored, user_message, to_store)
    return MessageExchange(user_message=user_message, reply=reply, session=state)


def _details(answer: Answer, request: AnswerRequest | None, sources: list[SourcePublic]) -> dict[str, Any]:
    """What the reply records about how it was decided: the metrics, gaps and "Try it" read these."""
    details: dict[str, Any] = {
        "provider": answer.provider,
        "decision": _decision(answer),
        "answered": bool(sources),
        "top_score": request.top_score if request else None,
        "threshold": request.top_threshold if request else None,
        "degraded": answer.degraded,
        "guarded": answer.guarded,
        **(_action_outcome(answer) if answer.action else _outcome(sources, request)),
    }
    if answer.degraded_reason:
        details["degraded_reason"] = answer.degraded_reason
    if answer.usage:
        details["usage"] = answer.usage
    if answer.hands_over:
        details["handover_kind"] = answer.handover_kind or "model"
    if answer.sign_in_for:
        details |= {"sign_in_required": True, "action": {"name": answer.sign_in_for, "kind": "sign_in"}}
    return details


def _reply(
    stored: conversations.StoredReply, user_message: MessagePublic, to_store: conversations.ReplyToStore
) -> MessagePublic:
    row = conversations.MessageRow(
        stored.id, "bot", to_store.content, stored.created_at, None, user_message.id, to_store.sources,
        to_store.suggested_actions, to_store.details, False, None,
    )  # fmt: skip
    return message_public(row)


# The reply, the conversation's state after it, and the reply stored earlier if this one was not new.
Stored = tuple[conversations.StoredReply, SessionState, conversations.MessageRow | None]


def _store_and_charge(
    conn: sa.Connection,
    session_id: uuid.UUID,
    message_id: int,
    to_store: conversations.ReplyToStore,
    answer: Answer,
    tally: Tally,
) -> Stored:
    """In the caller's transaction: the reply, its model usage charged, and the handover it asks for."""
    stored = conversations.store_reply(conn, session_id=session_id, reply_to_id=message_id, reply=to_store)
    if stored.is_new:
        limits.charge_tokens(conn, session_id, answer.usage)
        model_usage.charge(conn, tally, session_id=session_id)
        if answer.hands_over:
            _handover.hand_over(conn, session_id, reason=answer.handover_reason, kind=answer.handover_kind or "model")
    return _stored_with_state(conn, session_id, message_id, stored, read_again=answer.hands_over)


def _stored(
    conn: sa.Connection, session_id: uuid.UUID, message_id: int, to_store: conversations.ReplyToStore
) -> Stored:
    stored = conversations.store_reply(conn, session_id=session_id, reply_to_id=message_id, reply=to_store)
    return _stored_with_state(conn, session_id, message_id, stored, read_again=False)


def _stored_with_state(
    conn: sa.Connection,
    session_id: uuid.UUID,
    message_id: int,
    stored: conversations.StoredReply,
    *,
    read_again: bool,
) -> Stored:
    """The reply as stored, the conversation's state after it, and the reply stored earlier if this one was not new."""
    if stored.session is not None and not read_again:  # a new reply comes with the state it left
        return stored, session_state(stored.session), None
    state = _state(conn, session_id)
    return stored, state, None if stored.is_new else conversations.reply_to(conn, message_id=message_id)


def _state(conn: sa.Connection, session_id: uuid.UUID) -> SessionState:
    """The widget's view of the conversation's state now."""
    row = conversations.session_state(conn, session_id=session_id)
    assert row is not None  # the conversation holds the message being answered
    return session_state(row)


def _pins(sources: list[SourcePublic], retrieved: list[ScoredEntry]) -> dict[str, int]:
    """The version of each entry the reply used, for review when the entry changes.

    A passage's (version 0) document and content hash are pinned by the statement that stores the
    reply (conversations._STORE_REPLY), which reads them in the same round trip.
    """
    versions = {entry.id: entry.version for entry in retrieved}
    return {source.id: versions[source.id] for source in sources}


def silence(session_id: uuid.UUID, user_message: MessagePublic) -> MessageExchange:
    """The exchange when an agent owns the conversation: the message is stored, the bot says nothing."""
    with connection() as conn:
        user_messages.release_answer(conn, message_id=user_message.id)
        state = _state(conn, session_id)
    return MessageExchange(user_message=user_message, reply=None, session=state)


def stored_exchange(conn: sa.Connection, session_id: uuid.UUID, message_id: int) -> MessageExchange | None:
    """The stored user message and its reply, if the reply exists."""
    reply = conversations.reply_to(conn, message_id=message_id)
    if reply is None:
        return None
    user = conversations.messages_by_id(conn, [message_id])[message_id]
    state = _state(conn, session_id)
    return MessageExchange(user_message=message_public(user), reply=message_public(reply), session=state)


def apology() -> Answer:
    """The reply of last resort, when even the offline answer fails."""
    return Answer(
        text="I'm sorry, something went wrong while I was looking into that. Your message is saved. "
        "Please try again in a moment, or ask to talk to a human.",
        source_ids=[],
        suggested_actions=[TALK_TO_HUMAN],
        provider="fallback",
        degraded=True,
    )


def _links_checked(answer: Answer, request: AnswerRequest | None) -> Answer:
    """The answer with links only where they belong, whoever wrote it (every client gets the same text)."""
    if request is None:  # our own handover and apology texts
        return answer
    policy = policy_for([*request.entries, *request.related, *request.popular])
    actions = [neutralise(action, policy) for action in answer.suggested_actions]
    return replace(answer, text=neutralise(answer.text, policy), suggested_actions=actions)


def _sources(answer: Answer, retrieved: list[ScoredEntry]) -> list[SourcePublic]:
    """The entries the answer used, keeping only ids that retrieval really returned."""
    by_id = {entry.id: entry for entry in retrieved}
    return [_source(by_id[i]) for i in dict.fromkeys(answer.source_ids) if i in by_id]


def _source(found: ScoredEntry) -> SourcePublic:
    if found.kind == "passage":
        return SourcePublic(
            id=found.id, question=found.question, url=found.url, title=found.title, section=found.section
        )
    return SourcePublic(id=found.id, question=found.question, url=found.url)


def _decision(answer: Answer) -> str:
    if answer.action is not None:
        return "action"
    if answer.hands_over:
        return "handover"
    if answer.provider == ACKNOWLEDGEMENT:
        return "acknowledged"
    if answer.provider == "fallback":
        return "failed"
    return "answered" if answer.source_ids else "not_covered"


def action_details(answer: Answer) -> dict[str, Any]:
    """What a bot message records that answers a decision on an action rather than a customer's message."""
    assert answer.action is not None
    return {"provider": answer.provider, "decision": "action", **_action_outcome(answer), **answer.action.details()}


def _action_outcome(answer: Answer) -> dict[str, Any]:
    """An action's reply counts as answered (the shop's data shown), unknown (it failed), or neither (a step)."""
    assert answer.action is not None
    outcome = answer.action.outcome
    if outcome is None:
        return {}
    return {"outcome": outcome, "outcome_reason": f"action_{answer.action.kind}", "about": []}


def _outcome(sources: list[SourcePublic], request: AnswerRequest | None) -> dict[str, Any]:
    """What the reply did (answered, suggested, unknown), why, and the entries it was about (for follow-ups)."""
    if request is None:
        return {}
    if sources:
        return {"outcome": "answered", "outcome_reason": request.reason, "about": [s.id for s in sources]}
    if request.outcome == "suggested":
        return {"outcome": "suggested", "outcome_reason": request.reason, "about": [e.id for e in request.offered[:1]]}
    # A model may find that the entries retrieval was sure of do not answer after all.
    reason = "model_not_covered" if request.outcome == "answered" else request.reason
    return {"outcome": "unknown", "outcome_reason": reason, "about": []}
