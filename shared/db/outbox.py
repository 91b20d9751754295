"""The notifications outbox: rows written with the change they announce, claimed and delivered later.

A handover writes one `handover` row (its follow-up: the summary, then one row per target);
the deliveries are rows of kind `slack`, `webhook` and `email`.

Reply e-mails are found rather than announced: a sweep writes one row per agent reply the widget
has not read a while after it was sent, in a conversation that left an e-mail address.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class OutboxRow:
    """A claimed row: what to deliver, about which conversation, and which attempt this is."""

    id: int
    session_id: uuid.UUID  # nullable in the schema, but every row is written for a conversation (and erased with it)
    kind: str
    payload: dict[str, Any]
    attempts: int
    message_id: int | None


@dataclass(frozen=True)
class ReplyContext:
    """What a reply e-mail carries, and whether the widget has read the reply since."""

    content: str
    agent: str | None
    contact_email: str | None
    locale: str | None
    read: bool


@dataclass(frozen=True)
class HandoverContext:
    """What a handover notification says about its conversation."""

    id: uuid.UUID
    handover_reason: str | None
    handover_kind: str | None
    waiting_since: datetime | None
    contact_email: str | None
    locale: str | None
    summary: str | None


def enqueue(conn: sa.Connection, *, session_id: uuid.UUID, kinds: list[str], payload: dict[str, Any]) -> None:
    """One row per delivery target, in the caller's transaction."""
    for kind in kinds:
        conn.execute(
            sa.text("INSERT INTO outbox (session_id, kind, payload) VALUES (:s, :k, CAST(:p AS jsonb))"),
            {"s": session_id, "k": kind, "p": json.dumps(payload)},
        )


def claim_due(conn: sa.Connection, *, limit: int, follow_ups: bool, lease_seconds: int) -> list[OutboxRow]:
    """Take up to `limit` undelivered rows that are due, hiding them for a lease.

    `follow_ups` picks the handovers' follow-up rows (kind `handover`), else every other row.
    SKIP LOCKED and the lease let several instances deliver at once without sending a row twice.
    """
    rows = conn.execute(
        sa.text("""
            WITH due AS (
                SELECT id FROM outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= now()
                  AND (kind = 'handover') = :follow_ups
                ORDER BY next_attempt_at LIMIT :limit
                FOR UPDATE SKIP LOCKED
            )
            UPDATE outbox o SET attempts = o.attempts + 1,
                                next_attempt_at = now() + make_interval(secs => :lease)
            FROM due WHERE o.id = due.id
            RETURNING o.id, o.session_id, o.kind, o.payload, o.attempts, o.message_id
        """),
        {"follow_ups": follow_ups, "limit": limit, "lease": lease_seconds},
    )
    return [OutboxRow(*row) for row in rows]


def finish_claimed(conn: sa.Connection, *, outbox_id: int, attempts: int) -> bool:
    """Mark a row done if this claim (its attempt number) still holds it; False if another run took it over."""
    done = conn.execute(
        sa.text("""
            UPDATE outbox SET delivered_at = now(), last_error = NULL
            WHERE id = :id AND attempts = :attempts AND delivered_at IS NULL
        """),
        {"id": outbox_id, "attempts": attempts},
    )
    return bool(done.rowcount)


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


def enqueue_unread_replies(conn: sa.Connection, *, unread_for_seconds: int, within_hours: int) -> int:
    """One `email` row per agent reply to a customer who left an address and has not read it for a while.

    Only replies from the last `within_hours` are looked at; the unique (kind, message_id) index
    makes each reply's e-mail a single row however often this runs.
    """
    result = conn.execute(
        sa.text("""
            INSERT INTO outbox (session_id, kind, payload, message_id)
            SELECT m.session_id, 'email', CAST(:payload AS jsonb), m.id
            FROM messages m JOIN chat_sessions s ON s.id = m.session_id
            WHERE m.sender = 'agent' AND NOT m.internal
              AND m.created_at < now() - make_interval(secs => :unread)
              AND m.created_at > now() - make_interval(hours => :within)
              AND s.contact_email IS NOT NULL AND coalesce(s.last_seen_message_id, 0) < m.id
            ON CONFLICT (kind, message_id) DO NOTHING
        """),
        {"payload": json.dumps({"event": "reply.emailed"}), "unread": unread_for_seconds, "within": within_hours},
    )
    return int(result.rowcount)


def reply_context(conn: sa.Connection, *, message_id: int) -> ReplyContext | None:
    """What a reply e-mail carries: the reply, its author, the address, the language; whether it was read since."""
    row = conn.execute(
        sa.text("""
            SELECT m.content, o.display_name AS agent, s.contact_email, s.locale,
                   coalesce(s.last_seen_message_id, 0) >= m.id AS read
            FROM messages m JOIN chat_sessions s ON s.id = m.session_id
            LEFT JOIN operators o ON o.id = m.operator_id
            WHERE m.id = :id
        """),
        {"id": message_id},
    ).first()
    return ReplyContext(*row) if row is not None else None


def handover_context(conn: sa.Connection, *, session_id: uuid.UUID) -> HandoverContext | None:
    """What a handover notification says: why, when, the summary, the contact address."""
    row = conn.execute(
        sa.text("""
            SELECT s.id, s.handover_reason, s.handover_kind, s.waiting_since, s.contact_email, s.locale,
                   sm.content AS summary
            FROM chat_sessions s LEFT JOIN session_summaries sm ON sm.session_id = s.id
            WHERE s.id = :id
        """),
        {"id": session_id},
    ).first()
    return HandoverContext(*row) if row is not None else None
