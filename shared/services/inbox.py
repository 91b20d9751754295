"""The operators' inbox: conversations to pick up, one conversation in full, replies, notes and actions."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa

from shared.core import errors
from shared.db import customers, inbox, operators
from shared.db import handover as handover_db
from shared.db.engine import connection, transaction
from shared.db.operators import OperatorRow
from shared.handover.states import Event, agent_actions
from shared.schemas.console import (
    ActionRequest,
    AgentMessageCreate,
    ConversationDetail,
    ConversationItem,
    ConversationList,
    ConversationsQuery,
    Csat,
    KnownCustomer,
    MessageId,
    StateChange,
    TranscriptMessage,
)
from shared.schemas.customers import PREVIEW_CHARS, ConversationSummary
from shared.schemas.public import CardPublic, SourcePublic
from shared.services import _handover, lookups
from shared.services._views import NO_CONVERSATION

OTHER_CONVERSATIONS = 10


def list_conversations(query: ConversationsQuery, *, operator: OperatorRow) -> ConversationList:
    """One page of a view of the inbox (`view` wins over `state`), with the tabs' counts."""
    with connection() as conn:
        rows = inbox.list_conversations(
            conn,
            me=operator.id,
            state=_view(query),
            assigned=query.assigned,
            reason=query.reason,
            q=query.q,
            before=query.before,
            after=_position(query.cursor) if query.cursor else None,
            limit=query.limit,
        )
        counts = inbox.tab_counts(conn, me=operator.id)
    items = [ConversationItem.model_validate(row, from_attributes=True) for row in rows]
    full = len(items) == query.limit
    return ConversationList(conversations=items, counts=counts, next_cursor=_cursor(items[-1], query) if full else None)


def _view(query: ConversationsQuery) -> str:
    return query.view or query.state


def _cursor(last: ConversationItem, query: ConversationsQuery) -> str:
    """Where the next page starts: the sort position of this page's last item, opaque to the client."""
    at = last.waiting_since if _view(query) == "waiting" else last.last_activity_at
    assert at is not None  # the waiting queue holds only conversations with a waiting time
    safety = "|safety" if last.reason_kind == "safety" else ""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{last.id}{safety}".encode()).decode()


def _position(cursor: str) -> inbox.Position:
    try:
        at, _, rest = base64.urlsafe_b64decode(cursor).decode().partition("|")
        conversation_id, _, safety = rest.partition("|")
        if safety not in ("", "safety"):
            raise ValueError(safety)
        return inbox.Position(datetime.fromisoformat(at), uuid.UUID(conversation_id), safety == "safety")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise errors.ValidationFailed(
            "That page cursor is not one this inbox gave out; start again from the first page.",
            details=[{"field": "cursor", "message": "not a cursor from `next_cursor`"}],
        ) from None


def conversation(conversation_id: uuid.UUID, *, operator: OperatorRow) -> ConversationDetail:
    """Everything about one conversation; reading it marks it read for this operator."""
    with connection() as conn:
        header = inbox.conversation(conn, session_id=conversation_id)
        if header is None:
            raise errors.NotFound(NO_CONVERSATION)
        messages = inbox.transcript(conn, session_id=conversation_id)
        history = handover_db.history(conn, session_id=conversation_id)
        others = _other_conversations(conn, header)
        if messages:
            inbox.mark_read(conn, operator_id=operator.id, session_id=conversation_id, message_id=messages[-1].id)
    fields = {name: value for name, value in asdict(header).items() if not name.startswith(("customer_", "csat_"))}
    del fields["identified_at"]
    return ConversationDetail(
        **fields,
        csat=Csat(rating=header.csat_rating, comment=header.csat_comment) if header.csat_rating is not None else None,
        customer=_known_customer(header),
        other_conversations=others,
        messages=[_transcript_message(row) for row in messages],
        history=[StateChange.model_validate(row, from_attributes=True) for row in history],
        actions=agent_actions(header.state, owned_by_me=header.assignee_id == operator.id),
        lookups=lookups.available(header.customer_verified),
    )


def _known_customer(header: inbox.ConversationRow) -> KnownCustomer | None:
    if header.customer_id is None:
        return None
    return KnownCustomer(
        customer_id=header.customer_id,
        verified=header.customer_verified,
        name=header.customer_name,
        email=header.customer_email,
        attributes=header.customer_attributes,
        identified_at=header.identified_at,
    )


def _other_conversations(conn: sa.Connection, header: inbox.ConversationRow) -> list[ConversationSummary]:
    """The same verified customer's other conversations, for the agent to see their history."""
    if header.customer_id is None or not header.customer_verified:
        return []
    rows = customers.list_conversations(
        conn, customer_id=header.customer_id, limit=OTHER_CONVERSATIONS, preview_chars=PREVIEW_CHARS,
        excluded=[header.id],
    )  # fmt: skip
    return [ConversationSummary(**asdict(row)) for row in rows]


def reply(conversation_id: uuid.UUID, request: AgentMessageCreate, *, operator: OperatorRow) -> MessageId:
    """An agent's reply to the customer (taking the conversation over if nobody owns it), or an internal note."""
    with transaction() as conn:
        header = inbox.conversation(conn, session_id=conversation_id)
        if header is None:
            raise errors.NotFound(NO_CONVERSATION)
        if not request.internal and header.assignee_id is None:
            _handover.transition(
                conn,
                conversation_id,
                "take_over",
                operator_id=operator.id,
                assignee_id=operator.id,
                reason="an agent replied",
                kind="agent",
            )
        row = inbox.insert_agent_message(
            conn,
            session_id=conversation_id,
            operator_id=operator.id,
            content=request.content,
            internal=request.internal,
        )
        inbox.mark_read(conn, operator_id=operator.id, session_id=conversation_id, message_id=row.id)
    return MessageId(id=row.id)


def act(conversation_id: uuid.UUID, request: ActionRequest, *, operator: OperatorRow) -> ConversationDetail:
    """Take over, hand back to the bot, resolve, reopen or assign; returns the conversation as it is now."""
    assignee = _assignee(request, operator)
    event: Event = request.action
    with transaction() as conn:
        _handover.transition(
            conn,
            conversation_id,
            event,
            operator_id=operator.id,
            assignee_id=assignee,
            reason=_reason(request),
            kind="agent",
        )
    return conversation(conversation_id, operator=operator)


def _assignee(request: ActionRequest, operator: OperatorRow) -> uuid.UUID | None:
    if request.action == "take_over":
        return operator.id
    if request.action != "assign":
        return None
    if request.operator_id is None:
        raise errors.ValidationFailed(
            "Say who gets the conversation.", details=[{"field": "operator_id", "message": "required to assign"}]
        )
    with connection() as conn:
        target = operators.find(conn, operator_id=request.operator_id)
    if target is None or not target.active:
        raise errors.NotFound("There is no such operator.")
    return target.id


def _reason(request: ActionRequest) -> str | None:
    reasons = {
        "take_over": "an agent took over",
        "assign": "assigned by an agent",
        "hand_back": "handed back to the bot",
        "resolve": "resolved by an agent",
        "reopen": "reopened by an agent",
    }
    return reasons[request.action]


def _transcript_message(row: inbox.TranscriptRow) -> TranscriptMessage:
    return TranscriptMessage(
        id=row.id,
        sender=row.sender,
        content=row.content,
        created_at=row.created_at,
        author=row.author,
        internal=row.internal,
        sources=[SourcePublic.model_validate(s) for s in row.sources or []],
        decision=row.decision,
        outcome=row.outcome,
        feedback=row.feedback,
        feedback_comment=row.feedback_comment,
        card=CardPublic.model_validate(row.card) if row.card else None,
    )
