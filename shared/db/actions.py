"""Persistence of actions: proposed writes and their decision, the record of calls, and their figures."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class ProposedAction:
    id: uuid.UUID
    session_id: uuid.UUID
    action: str
    arguments: dict[str, str]
    summary: str
    status: str
    expired: bool


@dataclass(frozen=True)
class ActionFigures:
    action: str
    calls: int
    failures: int
    p50_ms: int | None
    p95_ms: int | None


def propose(
    conn: sa.Connection,
    *,
    session_id: uuid.UUID,
    action: str,
    arguments: dict[str, str],
    summary: str,
    minutes: int,
) -> tuple[uuid.UUID, datetime]:
    """Store a write waiting for the customer's yes; its id and when it expires."""
    row = conn.execute(
        sa.text(
            """
            INSERT INTO action_requests (id, session_id, action, arguments, summary, expires_at)
            VALUES (:id, :session_id, :action, CAST(:arguments AS jsonb), :summary,
                    now() + make_interval(mins => :minutes))
            RETURNING id, expires_at
            """
        ),
        {
            "id": uuid.uuid4(),
            "session_id": session_id,
            "action": action,
            "arguments": _json(arguments),
            "summary": summary,
            "minutes": minutes,
        },
    ).one()
    return row.id, row.expires_at


def take(conn: sa.Connection, *, request_id: uuid.UUID, session_id: uuid.UUID) -> ProposedAction | None:
    """Lock a proposed write of this conversation (None for another conversation's, or none at all)."""
    row = conn.execute(
        sa.text(
            """
            SELECT id, session_id, action, arguments, summary, status, expires_at <= now() AS expired
            FROM action_requests WHERE id = :id AND session_id = :session_id
            FOR UPDATE
            """
        ),
        {"id": request_id, "session_id": session_id},
    ).one_or_none()
    if row is None:
        return None
    return ProposedAction(row.id, row.session_id, row.action, dict(row.arguments), row.summary, row.status, row.expired)


def set_status(conn: sa.Connection, *, request_id: uuid.UUID, status: str) -> None:
    """Move a proposed write on: running (confirmed), done, or cancelled."""
    conn.execute(
        sa.text("UPDATE action_requests SET status = :status, decided_at = coalesce(decided_at, now()) WHERE id = :id"),
        {"id": request_id, "status": status},
    )


def record_call(
    conn: sa.Connection,
    *,
    session_id: uuid.UUID | None,
    action: str,
    actor: str,
    outcome: str,
    http_status: int | None,
    latency_ms: int,
    operator_id: uuid.UUID | None = None,
) -> None:
    """Note one call to the shop: who, which action, how it went, how long it took."""
    conn.execute(
        sa.text(
            """
            INSERT INTO action_calls (session_id, action, actor, operator_id, outcome, http_status, latency_ms)
            VALUES (:session_id, :action, :actor, :operator_id, :outcome, :http_status, :latency_ms)
            """
        ),
        {
            "session_id": session_id,
            "action": action,
            "actor": actor,
            "operator_id": operator_id,
            "outcome": outcome,
            "http_status": http_status,
            "latency_ms": latency_ms,
        },
    )


def figures(conn: sa.Connection, *, since: datetime, until: datetime) -> list[ActionFigures]:
    """Calls, failures and latency (median, 95th percentile) per action in [since, until)."""
    rows = conn.execute(
        sa.text(
            """
            SELECT action, count(*) AS calls, count(*) FILTER (WHERE outcome <> 'ok') AS failures,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                   percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
            FROM action_calls WHERE created_at >= :since AND created_at < :until
            GROUP BY action ORDER BY count(*) DESC, action
            """
        ),
        {"since": since, "until": until},
    ).all()
    return [ActionFigures(r.action, r.calls, r.failures, r.p50, r.p95) for r in rows]


def _json(value: Any) -> str:
    return json.dumps(value)


@dataclass(frozen=True)
class SessionCustomer:
    """Who a conversation belongs to, for an action run outside a message: the verified customer, if any."""

    verified: bool
    customer_id: str | None
    customer_email: str | None
    customer_name: str | None
    locale: str | None


def session_customer(conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str) -> SessionCustomer | None:
    """The conversation's customer and locale when the token matches; None otherwise."""
    row = conn.execute(
        sa.text(
            """
            SELECT customer_verified, customer_id, customer_email, customer_name, locale
            FROM chat_sessions WHERE id = :session_id AND token_hash = :token_hash
            """
        ),
        {"session_id": session_id, "token_hash": token_hash},
    ).one_or_none()
    return None if row is None else SessionCustomer(*row)


def mark_decided(conn: sa.Connection, *, session_id: uuid.UUID, request_id: uuid.UUID) -> None:
    """Note on the message that proposed a write that it is decided: its buttons go."""
    conn.execute(
        sa.text(
            """
            UPDATE messages SET details = details || '{"action_decided": true}'::jsonb
            WHERE session_id = :session_id AND sender = 'bot' AND details->'action_request'->>'id' = :request_id
            """
        ),
        {"session_id": session_id, "request_id": str(request_id)},
    )


def store_bot_message(
    conn: sa.Connection, *, session_id: uuid.UUID, content: str, suggested_actions: list[str], details: dict[str, Any]
) -> tuple[int, datetime]:
    """Store a bot message that answers a decision rather than a message; its id and time."""
    row = conn.execute(
        sa.text(
            """
            WITH stored AS (
                INSERT INTO messages (session_id, sender, content, sources, suggested_actions, details)
                VALUES (:session_id, 'bot', :content, '[]'::jsonb, CAST(:suggested AS jsonb), CAST(:details AS jsonb))
                RETURNING id, created_at
            ), touched AS (
                UPDATE chat_sessions SET last_activity_at = now() WHERE id = :session_id
            )
            SELECT id, created_at FROM stored
            """
        ),
        {
            "session_id": session_id,
            "content": content,
            "suggested": _json(suggested_actions),
            "details": _json(details),
        },
    ).one()
    return row.id, row.created_at
