"""Persistence of a customer's data as a whole: read it all for an export, erase it all, audit both.

Every function takes the conversations as a list of session ids: one conversation (its session
token), or every conversation of a verified customer. Erasing deletes the conversations' rows,
and the database's cascades take every row hanging off them (messages, both summaries, ratings,
the outbox's notifications, operators' kept answers, reads, events, dismissed gaps); regression
cases made from the customer's questions are deleted first, since they outlive a conversation.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from shared.schemas.public import ConversationState, Sender

_IDS = "CAST(:ids AS uuid[])"

# What an erasure removes, by kind, counted before it goes (the audit keeps the counts).
_COUNTED = {
    "conversations": f"SELECT count(*) FROM chat_sessions WHERE id = ANY({_IDS})",
    "messages": f"SELECT count(*) FROM messages WHERE session_id = ANY({_IDS})",
    "summaries": f"SELECT (SELECT count(*) FROM session_summaries WHERE session_id = ANY({_IDS}))"
    f" + (SELECT count(*) FROM customer_summaries WHERE session_id = ANY({_IDS}))",
    "feedback": f"SELECT count(*) FROM message_feedback WHERE session_id = ANY({_IDS})",
    "ratings": f"SELECT count(*) FROM csat_ratings WHERE session_id = ANY({_IDS})",
    "contact_addresses": f"SELECT count(*) FROM chat_sessions WHERE id = ANY({_IDS}) AND contact_email IS NOT NULL",
    "notifications": f"SELECT count(*) FROM outbox WHERE session_id = ANY({_IDS})",
    "kept_answers": f"SELECT count(*) FROM operator_idempotency WHERE conversation_id = ANY({_IDS})",
    "state_changes": f"SELECT count(*) FROM conversation_events WHERE session_id = ANY({_IDS})",
    "action_requests": f"SELECT count(*) FROM action_requests WHERE session_id = ANY({_IDS})",
}


@dataclass(frozen=True)
class ConversationRow:
    """A conversation as its customer may read it: what they told us and what became of it."""

    id: uuid.UUID
    created_at: datetime
    last_activity_at: datetime
    state: ConversationState
    locale: str | None
    attributes: dict[str, Any]
    contact_email: str | None
    handover_kind: str | None
    handover_reason: str | None
    handover_started_at: datetime | None
    resolved_at: datetime | None
    summary: str | None  # the one the customer asked for; never the agents'
    rating: int | None
    rating_comment: str | None
    rated_at: datetime | None


@dataclass(frozen=True)
class ExportedMessageRow:
    """A message the customer saw (internal notes excluded but an agent's lookup), with their thumbs up or down."""

    session_id: uuid.UUID
    sender: Sender
    author: str | None  # an agent's display name, as the widget showed it
    content: str
    created_at: datetime
    suggested_actions: list[str]
    feedback: Literal["up", "down"] | None
    feedback_comment: str | None
    card: dict[str, Any] | None = None  # what an action on the shop's API found
    internal: bool = False  # an agent's lookup at the shop for them: its result is theirs too


def owned_by_token(conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str) -> bool:
    """Whether the session exists and the token is its own."""
    query = "SELECT 1 FROM chat_sessions WHERE id = :id AND token_hash = :token_hash"
    return conn.execute(sa.text(query), {"id": session_id, "token_hash": token_hash}).first() is not None


def existing(conn: sa.Connection, session_ids: list[uuid.UUID], *, lock: bool = False) -> list[uuid.UUID]:
    """Those of `session_ids` that still exist (locked against concurrent writes when `lock`)."""
    query = f"SELECT id FROM chat_sessions WHERE id = ANY({_IDS}) ORDER BY id" + (" FOR UPDATE" if lock else "")
    return list(conn.execute(sa.text(query), {"ids": _strings(session_ids)}).scalars())


def conversations(conn: sa.Connection, session_ids: list[uuid.UUID]) -> list[ConversationRow]:
    """The conversations, oldest first."""
    rows = conn.execute(
        sa.text(f"""
            SELECT s.id, s.created_at, s.last_activity_at, s.state, s.locale, s.attributes, s.contact_email,
                   s.handover_kind, s.handover_reason, s.handover_started_at, s.resolved_at,
                   cs.content AS summary, r.rating, r.comment, r.created_at AS rated_at
            FROM chat_sessions s
            LEFT JOIN customer_summaries cs ON cs.session_id = s.id
            LEFT JOIN csat_ratings r ON r.session_id = s.id
            WHERE s.id = ANY({_IDS})
            ORDER BY s.created_at, s.id
        """),
        {"ids": _strings(session_ids)},
    )
    return [ConversationRow(*row) for row in rows]


def messages(conn: sa.Connection, session_ids: list[uuid.UUID]) -> list[ExportedMessageRow]:
    """Every message the customer could see in these conversations, in order."""
    rows = conn.execute(
        sa.text(f"""
            SELECT m.session_id, m.sender, o.display_name, m.content, m.created_at, m.suggested_actions,
                   f.rating, f.comment, m.details->'card', m.internal
            FROM messages m
            LEFT JOIN operators o ON o.id = m.operator_id AND m.sender = 'agent'
            LEFT JOIN message_feedback f ON f.message_id = m.id
            WHERE m.session_id = ANY({_IDS}) AND (NOT m.internal OR m.details ? 'card')
            ORDER BY m.session_id, m.id
        """),
        {"ids": _strings(session_ids)},
    )
    return [ExportedMessageRow(*row) for row in rows]


def customer_questions(conn: sa.Connection, session_ids: list[uuid.UUID]) -> list[str]:
    """What the customer wrote: the texts that may have become examples of entries."""
    query = f"SELECT content FROM messages WHERE session_id = ANY({_IDS}) AND sender = 'user' ORDER BY id"
    return list(conn.execute(sa.text(query), {"ids": _strings(session_ids)}).scalars())


def erase(conn: sa.Connection, session_ids: list[uuid.UUID], *, questions: list[str]) -> dict[str, int]:
    """Delete the conversations with every row hanging off them, and the regression cases their questions became.

    Returns how many rows of each kind went. A case made from one of these questions is found by
    its source message, or by its text once an earlier deletion cut that link.
    """
    ids = _strings(session_ids)
    counts = {kind: int(conn.execute(sa.text(query), {"ids": ids}).scalar() or 0) for kind, query in _COUNTED.items()}
    counts["regression_cases"] = int(
        conn.execute(
            sa.text(f"""
                DELETE FROM kb_cases
                WHERE source_message_id IN (SELECT id FROM messages WHERE session_id = ANY({_IDS}))
                   OR (source_message_id IS NULL
                       AND lower(query) = ANY(SELECT lower(q) FROM unnest(CAST(:questions AS text[])) AS q))
            """),
            {"ids": ids, "questions": questions},
        ).rowcount
    )
    conn.execute(sa.text(f"DELETE FROM chat_sessions WHERE id = ANY({_IDS})"), {"ids": ids})
    return counts


def record(
    conn: sa.Connection,
    *,
    action: str,
    scope: str,
    session_ids: list[uuid.UUID],
    operator_id: uuid.UUID | None,
    counts: dict[str, int],
) -> None:
    """Audit an export or erasure: by an operator when `operator_id` is given, else by the customer."""
    conn.execute(
        sa.text(f"""
            INSERT INTO privacy_audit (action, scope, session_ids, actor, operator_id, counts)
            VALUES (:action, :scope, {_IDS}, :actor, :operator_id, CAST(:counts AS jsonb))
        """),
        {
            "action": action,
            "scope": scope,
            "ids": _strings(session_ids),
            "actor": "customer" if operator_id is None else "operator",
            "operator_id": operator_id,
            "counts": json.dumps(counts),
        },
    )


def _strings(session_ids: list[uuid.UUID]) -> list[str]:
    return [str(session_id) for session_id in session_ids]
