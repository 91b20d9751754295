"""Persistence behind the operators' inbox: the conversation list, one conversation, agent messages, reads."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa

from shared.handover.states import State
from shared.schemas.public import Sender

# Each tab's filter over chat_sessions s; `mine` needs :me.
STATE_FILTERS = {
    "waiting": "s.state = 'waiting'",
    "assigned": "s.state = 'assigned'",
    "resolved": "s.state = 'resolved'",
    # A session the customer never wrote in (the widget opened, then closed) is nobody's work.
    "bot": "s.state = 'bot' AND s.first_user_message_at IS NOT NULL",
    "open": "s.state IN ('waiting', 'assigned')",
    "all": "s.first_user_message_at IS NOT NULL",
}
ASSIGNED_FILTERS = {
    "me": "s.assignee_id = :me",
    "anyone": "s.assignee_id IS NOT NULL",
    "nobody": "s.assignee_id IS NULL",
}

_LIST = """
    SELECT s.id, s.state, s.handover_reason AS reason, s.handover_kind AS reason_kind, s.waiting_since,
           s.last_activity_at, o.display_name AS assignee,
           (SELECT m.content FROM messages m WHERE m.session_id = s.id AND m.sender = 'user'
            ORDER BY m.id DESC LIMIT 1) AS preview,
           (SELECT count(*) FROM messages m WHERE m.session_id = s.id AND m.sender = 'user'
              AND m.id > coalesce(r.last_read_message_id, 0)) AS unread,
           (SELECT count(*) FILTER (WHERE f.rating = 'down') FROM message_feedback f WHERE f.session_id = s.id)
               AS thumbs_down,
           (SELECT count(*) FILTER (WHERE f.rating = 'up') FROM message_feedback f WHERE f.session_id = s.id)
               AS thumbs_up,
           (SELECT c.rating FROM csat_ratings c WHERE c.session_id = s.id) AS csat
    FROM chat_sessions s
    LEFT JOIN operators o ON o.id = s.assignee_id
    LEFT JOIN operator_reads r ON r.session_id = s.id AND r.operator_id = :me
    WHERE {where}
    ORDER BY {order}
    LIMIT :limit
"""

_COUNTS = """
    SELECT count(*) FILTER (WHERE state = 'waiting') AS waiting,
           count(*) FILTER (WHERE state = 'assigned' AND assignee_id = :me) AS mine,
           count(*) FILTER (WHERE state IN ('waiting', 'assigned')) AS open,
           count(*) FILTER (WHERE state = 'resolved') AS resolved
    FROM chat_sessions WHERE state IN ('waiting', 'assigned', 'resolved')
"""


# A search finds the conversations where anyone wrote the text, and (for hex digits) those whose id starts with it.
# Both as one set the page is joined to: an OR in the filter would walk every conversation to fill a page.
_TEXT = "SELECT m.session_id FROM messages m WHERE m.content ILIKE :pattern"
_SEARCH_TEXT = f"s.id IN ({_TEXT})"
_ID = "SELECT c.id FROM chat_sessions c WHERE c.id BETWEEN :id_low AND :id_high"
_SEARCH_TEXT_OR_ID = f"s.id IN ({_TEXT} UNION ALL {_ID})"
# The console shows a conversation as "Visitor 0b0c1f": a shorter run of hex digits is more likely a word.
_ID_PREFIX = re.compile(r"[0-9a-f]{6,32}")


class Position(NamedTuple):
    """Where a conversation sorts in its tab: (in the waiting queue, a safety report first) its waiting
    or activity time, then its id."""

    at: datetime
    id: uuid.UUID
    safety: bool = False


# The waiting queue: a safety report (a charger that smoked, a swollen battery) before anything else,
# then oldest first. The queue is small, so sorting on the expression costs nothing.
_WAITING_ORDER = "(s.handover_kind IS DISTINCT FROM 'safety')"


@dataclass(frozen=True)
class InboxRow:
    """One conversation of a page of the inbox (_LIST)."""

    id: uuid.UUID
    state: State
    reason: str | None
    reason_kind: str | None
    waiting_since: datetime | None
    last_activity_at: datetime
    assignee: str | None
    preview: str | None
    unread: int
    thumbs_down: int
    thumbs_up: int
    csat: int | None


@dataclass(frozen=True)
class ConversationRow:
    """One conversation's header: state, owner, reason, customer details, summary, the customer's rating."""

    id: uuid.UUID
    state: State
    reason: str | None
    reason_kind: str | None
    assignee_id: uuid.UUID | None
    assignee: str | None
    waiting_since: datetime | None
    created_at: datetime
    locale: str | None
    attributes: dict[str, Any]
    contact_email: str | None
    summary: str | None
    csat_rating: int | None
    csat_comment: str | None
    # The shop's verified customer (migration 0019); `attributes` above are what the page sent, unsigned.
    customer_id: str | None
    customer_verified: bool
    customer_name: str | None
    customer_email: str | None
    customer_attributes: dict[str, Any]
    identified_at: datetime | None


@dataclass(frozen=True)
class TranscriptRow:
    """A message as the agents see it: with its author, internal or not, and the customer's rating."""

    id: int
    sender: Sender
    content: str
    created_at: datetime
    author: str | None
    internal: bool
    sources: list[dict[str, Any]]
    decision: str | None
    outcome: Literal["answered", "suggested", "unknown"] | None
    feedback: Literal["up", "down"] | None
    feedback_comment: str | None
    card: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredAgentMessage:
    id: int
    created_at: datetime


def list_conversations(
    conn: sa.Connection,
    *,
    me: uuid.UUID,
    state: str,
    assigned: str | None,
    reason: str | None,
    q: str | None,
    before: datetime | None,
    after: Position | None,
    limit: int,
) -> list[InboxRow]:
    """One page of the inbox: the waiting queue safety reports first then oldest first, any other tab newest
    activity first.

    `after` is the last item of the previous page; ties on time are broken by id.
    """
    where = [STATE_FILTERS[state]]
    params: dict[str, Any] = {"me": me, "reason": reason, "before": before, "limit": limit}
    if assigned:
        where.append(ASSIGNED_FILTERS[assigned])
    if reason:
        where.append("s.handover_kind = :reason")
    if q:
        condition, found = _search(q)
        where.append(condition)
        params |= found
    if before:
        where.append("s.last_activity_at < :before")
    if after and state == "waiting":
        where.append(f"({_WAITING_ORDER}, s.waiting_since, s.id) > (:after_not_safety, :at, :after_id)")
    elif after:
        where.append("s.last_activity_at <= :at AND (s.last_activity_at < :at OR s.id > :after_id)")
    order = f"{_WAITING_ORDER}, s.waiting_since, s.id" if state == "waiting" else "s.last_activity_at DESC, s.id"
    sql = _LIST.format(where=" AND ".join(where), order=order)
    if after:
        params |= {"at": after.at, "after_id": after.id, "after_not_safety": not after.safety}
    return [InboxRow(*row) for row in conn.execute(sa.text(sql), params)]


def _search(q: str) -> tuple[str, dict[str, Any]]:
    """A search's filter and parameters: the text anywhere, and for hex digits the start of an id too."""
    params: dict[str, Any] = {"pattern": _like_pattern(q)}
    ids = _id_range(q)
    if ids is None:
        return _SEARCH_TEXT, params
    return _SEARCH_TEXT_OR_ID, params | {"id_low": ids[0], "id_high": ids[1]}


def _id_range(q: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The ids a search for the start of a conversation id covers (dashes optional), or None if it is not one."""
    digits = q.strip().lower().replace("-", "")
    if not _ID_PREFIX.fullmatch(digits):
        return None
    return uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))


def _like_pattern(q: str) -> str:
    """`q` as an ILIKE pattern matching it anywhere, its own wildcards taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def tab_counts(conn: sa.Connection, *, me: uuid.UUID) -> dict[str, int]:
    """How many conversations wait, are mine, are open, are resolved."""
    row = conn.execute(sa.text(_COUNTS), {"me": me}).one()
    return {"waiting": row.waiting, "mine": row.mine, "open": row.open, "resolved": row.resolved}


def conversation(conn: sa.Connection, *, session_id: uuid.UUID) -> ConversationRow | None:
    """One conversation's header: state, owner, reason, customer details, summary."""
    row = conn.execute(
        sa.text("""
            SELECT s.id, s.state, s.handover_reason AS reason, s.handover_kind AS reason_kind, s.assignee_id,
                   o.display_name AS assignee, s.waiting_since, s.created_at, s.locale, s.attributes,
                   s.contact_email, sm.content AS summary, c.rating AS csat_rating, c.comment AS csat_comment,
                   s.customer_id, s.customer_verified, s.customer_name, s.customer_email, s.customer_attributes,
                   s.identified_at
            FROM chat_sessions s
            LEFT JOIN operators o ON o.id = s.assignee_id
            LEFT JOIN session_summaries sm ON sm.session_id = s.id
            LEFT JOIN csat_ratings c ON c.session_id = s.id
            WHERE s.id = :id
        """),
        {"id": session_id},
    ).first()
    return ConversationRow(*row) if row is not None else None


def transcript(conn: sa.Connection, *, session_id: uuid.UUID) -> list[TranscriptRow]:
    """Every message, internal notes included, with its author and the customer's rating."""
    rows = conn.execute(
        sa.text("""
            SELECT m.id, m.sender, m.content, m.created_at, o.display_name AS author, m.internal, m.sources,
                   m.details->>'decision' AS decision, m.details->>'outcome' AS outcome,
                   f.rating AS feedback, f.comment AS feedback_comment, m.details->'card' AS card
            FROM messages m
            LEFT JOIN operators o ON o.id = m.operator_id
            LEFT JOIN message_feedback f ON f.message_id = m.id
            WHERE m.session_id = :id ORDER BY m.id
        """),
        {"id": session_id},
    )
    return [TranscriptRow(*row) for row in rows]


def insert_agent_message(
    conn: sa.Connection,
    *,
    session_id: uuid.UUID,
    operator_id: uuid.UUID,
    content: str,
    internal: bool,
    details: dict[str, Any] | None = None,
) -> StoredAgentMessage:
    """Store an agent's reply (or internal note); the first reply to the customer is timed."""
    row = conn.execute(
        sa.text("""
            INSERT INTO messages (session_id, sender, content, operator_id, internal, details)
            VALUES (:s, 'agent', :content, :op, :internal, CAST(:details AS jsonb)) RETURNING id, created_at
        """),
        {
            "s": session_id,
            "content": content,
            "op": operator_id,
            "internal": internal,
            "details": json.dumps(details or {}),
        },
    ).one()
    conn.execute(
        sa.text("""
            UPDATE chat_sessions SET last_activity_at = now(),
                first_human_reply_at = CASE WHEN :internal THEN first_human_reply_at
                                            ELSE coalesce(first_human_reply_at, now()) END,
                -- Kept apart so a later handover, still unanswered, does not erase this measurement.
                first_response_seconds = CASE
                    WHEN :internal OR first_human_reply_at IS NOT NULL OR handover_started_at IS NULL
                    THEN first_response_seconds
                    ELSE greatest(0, extract(epoch FROM now() - handover_started_at)) END
            WHERE id = :s
        """),
        {"s": session_id, "internal": internal},
    )
    return StoredAgentMessage(*row)


def mark_read(conn: sa.Connection, *, operator_id: uuid.UUID, session_id: uuid.UUID, message_id: int) -> None:
    """Remember that this operator has read the conversation up to `message_id`."""
    conn.execute(
        sa.text("""
            INSERT INTO operator_reads (operator_id, session_id, last_read_message_id) VALUES (:op, :s, :m)
            ON CONFLICT (operator_id, session_id) DO UPDATE
                SET last_read_message_id = greatest(operator_reads.last_read_message_id, EXCLUDED.last_read_message_id)
        """),
        {"op": operator_id, "s": session_id, "m": message_id},
    )
