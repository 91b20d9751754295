"""Persistence of operators' idempotency keys: a claim per (operator, key), then the answer it got."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

# A new key, one expired, or one whose request died before answering (same request only) is ours.
# The conversation is linked only if it exists, so that a made-up id is the handler's 404, not ours.
_CLAIM = """
    INSERT INTO operator_idempotency AS i (operator_id, key, fingerprint, locked_until, expires_at, conversation_id)
    VALUES (:operator, :key, :fingerprint, now() + make_interval(secs => :lease),
            now() + make_interval(secs => :ttl),
            (SELECT id FROM chat_sessions WHERE id = CAST(:conversation AS uuid)))
    ON CONFLICT (operator_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL,
            locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at,
            conversation_id = EXCLUDED.conversation_id
        WHERE i.expires_at <= now()
           OR (i.status IS NULL AND i.locked_until <= now() AND i.fingerprint = EXCLUDED.fingerprint)
    RETURNING 1
"""


@dataclass(frozen=True)
class KeyState:
    """What a key holds now: the request it was claimed for and, once answered, the answer."""

    fingerprint: str
    status: int | None
    body: Any
    lease_left: int


def claim(
    conn: sa.Connection,
    *,
    operator_id: uuid.UUID,
    key: str,
    fingerprint: str,
    lease: int,
    ttl: int,
    conversation_id: uuid.UUID | None = None,
) -> bool:
    """Claim the key for a request (about a conversation); False when another holds it or it was answered."""
    params = {
        "operator": operator_id,
        "key": key,
        "fingerprint": fingerprint,
        "lease": lease,
        "ttl": ttl,
        "conversation": str(conversation_id) if conversation_id else None,
    }
    return conn.execute(sa.text(_CLAIM), params).first() is not None


def find(conn: sa.Connection, *, operator_id: uuid.UUID, key: str) -> KeyState | None:
    """The key's live state, or None when it is unknown or expired."""
    row = conn.execute(
        sa.text("""
            SELECT fingerprint, status, body,
                   greatest(ceil(extract(epoch FROM locked_until - now())), 0)::int AS lease_left
            FROM operator_idempotency WHERE operator_id = :operator AND key = :key AND expires_at > now()
        """),
        {"operator": operator_id, "key": key},
    ).first()
    return KeyState(*row) if row is not None else None


def store(conn: sa.Connection, *, operator_id: uuid.UUID, key: str, status: int, body: Any) -> None:
    """Keep the answer the claimed request got."""
    conn.execute(
        sa.text("""
            UPDATE operator_idempotency SET status = :status, body = CAST(:body AS jsonb)
            WHERE operator_id = :operator AND key = :key
        """),
        {"operator": operator_id, "key": key, "status": status, "body": json.dumps(body)},
    )


def release(conn: sa.Connection, *, operator_id: uuid.UUID, key: str, fingerprint: str) -> None:
    """Give up an unanswered claim (the request failed without acting): the next copy may act."""
    conn.execute(
        sa.text("""
            DELETE FROM operator_idempotency
            WHERE operator_id = :operator AND key = :key AND fingerprint = :fingerprint AND status IS NULL
        """),
        {"operator": operator_id, "key": key, "fingerprint": fingerprint},
    )


def purge_expired(conn: sa.Connection) -> int:
    """Delete keys past their day; returns how many."""
    return int(conn.execute(sa.text("DELETE FROM operator_idempotency WHERE expires_at <= now()")).rowcount)
