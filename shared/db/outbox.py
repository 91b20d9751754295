"""The notifications outbox: rows written with the change they announce, claimed and delivered later."""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa


def enqueue(conn: sa.Connection, *, session_id: uuid.UUID, kinds: list[str], payload: dict[str, Any]) -> None:
    """One row per delivery target, in the caller's transaction."""
    for kind in kinds:
        conn.execute(
            sa.text("INSERT INTO outbox (session_id, kind, payload) VALUES (:s, :k, CAST(:p AS jsonb))"),
            {"s": session_id, "k": kind, "p": json.dumps(payload)},
        )


def claim_due(conn: sa.Connection, *, limit: int, session_id: uuid.UUID | None, lease_seconds: int) -> list[Any]:
    """Take up to `limit` undelivered rows that are due (optionally of one conversation), hiding them for a lease.

    SKIP LOCKED and the lease let several instances deliver at once without sending a row twice.
    """
    return list(
        conn.execute(
            sa.text("""
                WITH due AS (
                    SELECT id FROM outbox
                    WHERE delivered_at IS NULL AND next_attempt_at <= now()
                      AND (CAST(:s AS uuid) IS NULL OR session_id = CAST(:s AS uuid))
                    ORDER BY next_attempt_at LIMIT :limit
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox o SET attempts = o.attempts + 1,
                                    next_attempt_at = now() + make_interval(secs => :lease)
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.session_id, o.kind, o.payload, o.attempts
            """),
            {"s": str(session_id) if session_id else None, "limit": limit, "lease": lease_seconds},
        )
    )


def mark_delivered(conn: sa.Connection, *, outbox_id: int) -> None:
    """The receiver accepted it."""
    conn.execute(sa.text("UPDATE outbox SET delivered_at = now(), last_error = NULL WHERE id = :id"), {"id": outbox_id})


def retry_later(conn: sa.Connection, *, outbox_id: int, delay_seconds: int, error: str) -> None:
    """The receiver failed: try again after `delay_seconds`."""
    conn.execute(
        sa.text("""
            UPDATE outbox SET next_attempt_at = now() + make_interval(secs => :delay), last_error = :error
            WHERE id = :id
        """),
        {"id": outbox_id, "delay": delay_seconds, "error": error[:200]},
    )


def handover_context(conn: sa.Connection, *, session_id: uuid.UUID) -> Any | None:
    """What a handover notification says: why, when, the summary, the contact address."""
    return conn.execute(
        sa.text("""
            SELECT s.id, s.handover_reason, s.handover_kind, s.waiting_since, s.contact_email, s.locale,
                   sm.content AS summary
            FROM chat_sessions s LEFT JOIN session_summaries sm ON sm.session_id = s.id
            WHERE s.id = :id
        """),
        {"id": session_id},
    ).first()
