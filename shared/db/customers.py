"""Persistence of who a conversation's customer is, and of each customer's conversations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa

from shared.auth.identity import VerifiedCustomer
from shared.db.conversations import customer_columns
from shared.handover.states import State

# A conversation is only ever tied to the customer it was verified as: the WHERE refuses another.
_IDENTIFY = """
    UPDATE chat_sessions
    SET customer_id = :customer_id, customer_verified = true, customer_name = :customer_name,
        customer_email = :customer_email, customer_locale = :customer_locale,
        customer_attributes = CAST(:customer_attributes AS jsonb), identified_at = now()
    WHERE id = :session_id AND token_hash = :token_hash
      AND (customer_id IS NULL OR (customer_id = :customer_id AND customer_verified))
    RETURNING id
"""

# The customer's conversations with something said in them, by their last message a customer sees.
_CONVERSATIONS = """
    SELECT s.id, s.created_at, last.created_at AS last_message_at, s.state, left(last.content, :preview) AS preview
    FROM chat_sessions s
    JOIN LATERAL (
        SELECT m.created_at, m.content FROM messages m
        WHERE m.session_id = s.id AND NOT m.internal AND m.sender <> 'system'
        ORDER BY m.id DESC LIMIT 1
    ) last ON true
    WHERE s.customer_id = :customer_id AND s.customer_verified AND s.id <> ALL(CAST(:excluded AS uuid[]))
    ORDER BY last.created_at DESC, s.id
    LIMIT :limit
"""

Identified = Literal["identified", "unknown_session", "other_customer"]


@dataclass(frozen=True)
class CustomerConversationRow:
    session_id: uuid.UUID
    started_at: datetime
    last_message_at: datetime
    state: State
    preview: str


def identify_session(
    conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str, customer: VerifiedCustomer
) -> Identified:
    """Tie the session to `customer` (again: the claims are refreshed), unless it belongs to another."""
    params = {"session_id": session_id, "token_hash": token_hash, **customer_columns(customer)}
    if conn.execute(sa.text(_IDENTIFY), params).first() is not None:
        return "identified"
    exists = conn.execute(
        sa.text("SELECT 1 FROM chat_sessions WHERE id = :session_id AND token_hash = :token_hash"),
        {"session_id": session_id, "token_hash": token_hash},
    ).first()
    return "other_customer" if exists else "unknown_session"


def list_conversations(
    conn: sa.Connection, *, customer_id: str, limit: int, preview_chars: int, excluded: Sequence[uuid.UUID] = ()
) -> list[CustomerConversationRow]:
    """A verified customer's conversations (but `excluded`), newest last message first."""
    rows = conn.execute(
        sa.text(_CONVERSATIONS),
        {
            "customer_id": customer_id,
            "limit": limit,
            "preview": preview_chars,
            "excluded": [str(session_id) for session_id in excluded],
        },
    ).all()
    return [CustomerConversationRow(*row) for row in rows]


def give_new_token(conn: sa.Connection, *, session_id: uuid.UUID, customer_id: str, token_hash: str) -> bool:
    """Replace the token of the customer's own conversation; False when it is not theirs (or not there)."""
    row = conn.execute(
        sa.text("""
            UPDATE chat_sessions SET token_hash = :token_hash
            WHERE id = :session_id AND customer_id = :customer_id AND customer_verified
            RETURNING id
        """),
        {"session_id": session_id, "customer_id": customer_id, "token_hash": token_hash},
    ).first()
    return row is not None


def session_ids(conn: sa.Connection, *, customer_id: str) -> list[uuid.UUID]:
    """Every conversation of a verified customer."""
    rows = conn.execute(
        sa.text("SELECT id FROM chat_sessions WHERE customer_id = :customer_id AND customer_verified ORDER BY id"),
        {"customer_id": customer_id},
    ).scalars()
    return list(rows)
