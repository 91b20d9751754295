"""Persistence of operators and their sign-in tokens (stored only as hashes)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from shared.db import prepared

_COLUMNS = "id, email, display_name, role, active, created_at"


@dataclass(frozen=True)
class OperatorRow:
    id: uuid.UUID
    email: str
    display_name: str
    role: str
    active: bool
    created_at: datetime


def _row(row: Sequence[Any] | None) -> OperatorRow | None:
    return OperatorRow(*row) if row is not None else None


def upsert(conn: sa.Connection, *, email: str, display_name: str, role: str) -> OperatorRow:
    """Add an operator, or reactivate and update the one with that email."""
    row = conn.execute(
        sa.text(f"""
            INSERT INTO operators (email, display_name, role) VALUES (:email, :name, :role)
            ON CONFLICT (lower(email)) DO UPDATE
                SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, active = true
            RETURNING {_COLUMNS}
        """),
        {"email": email, "name": display_name, "role": role},
    ).one()
    return OperatorRow(*row)


def find_by_email(conn: sa.Connection, *, email: str) -> OperatorRow | None:
    """The operator with this email (any letter case), active or not."""
    return _row(
        conn.execute(sa.text(f"SELECT {_COLUMNS} FROM operators WHERE lower(email) = lower(:e)"), {"e": email}).first()
    )


def find(conn: sa.Connection, *, operator_id: uuid.UUID) -> OperatorRow | None:
    """The operator with this id."""
    return _row(conn.execute(sa.text(f"SELECT {_COLUMNS} FROM operators WHERE id = :id"), {"id": operator_id}).first())


def list_all(conn: sa.Connection) -> list[OperatorRow]:
    """Every operator, active first, then by name."""
    rows = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM operators ORDER BY active DESC, lower(display_name)"))
    return [OperatorRow(*row) for row in rows]


def count_active(conn: sa.Connection) -> int:
    """How many operators may sign in."""
    return int(conn.execute(sa.text("SELECT count(*) FROM operators WHERE active")).scalar_one())


def deactivate(conn: sa.Connection, *, operator_id: uuid.UUID) -> bool:
    """Stop an operator from signing in and end every session they have; False if there is no such operator."""
    found = conn.execute(
        sa.text("UPDATE operators SET active = false WHERE id = :id RETURNING id"), {"id": operator_id}
    ).first()
    conn.execute(
        sa.text("UPDATE operator_tokens SET revoked_at = now() WHERE operator_id = :id AND revoked_at IS NULL"),
        {"id": operator_id},
    )
    return found is not None


def lock_active_admins(conn: sa.Connection) -> list[uuid.UUID]:
    """The active admins' ids, locked until the transaction ends (so two changes cannot both drop the last)."""
    rows = conn.execute(sa.text("SELECT id FROM operators WHERE role = 'admin' AND active ORDER BY id FOR UPDATE"))
    return [row.id for row in rows]


def set_role(conn: sa.Connection, *, operator_id: uuid.UUID, role: str) -> OperatorRow | None:
    """Change an active operator's role; None if there is no such active operator."""
    return _row(
        conn.execute(
            sa.text(f"UPDATE operators SET role = :role WHERE id = :id AND active RETURNING {_COLUMNS}"),
            {"id": operator_id, "role": role},
        ).first()
    )


def audit(
    conn: sa.Connection, *, actor_id: uuid.UUID, action: str, operator_id: uuid.UUID, details: dict[str, Any]
) -> None:
    """Record who did what to an operator."""
    conn.execute(
        sa.text("""
            INSERT INTO operator_audit (actor_id, action, operator_id, details)
            VALUES (:actor, :action, :operator, CAST(:details AS jsonb))
        """),
        {"actor": actor_id, "action": action, "operator": operator_id, "details": json.dumps(details)},
    )


def store_token(conn: sa.Connection, *, token_hash: str, operator_id: uuid.UUID, hours: float) -> datetime:
    """Record a new token; returns when it expires."""
    expires: datetime = conn.execute(
        sa.text("""
            INSERT INTO operator_tokens (token_hash, operator_id, expires_at)
            VALUES (:h, :id, now() + make_interval(secs => :seconds)) RETURNING expires_at
        """),
        {"h": token_hash, "id": operator_id, "seconds": hours * 3600},
    ).scalar_one()
    return expires


def operator_for_token(conn: sa.Connection, *, token_hash: str) -> OperatorRow | None:
    """The active operator a live (unexpired, unrevoked) token belongs to."""
    row = prepared.fetch_one(
        conn,
        """
        SELECT o.id, o.email, o.display_name, o.role, o.active, o.created_at
        FROM operator_tokens t JOIN operators o ON o.id = t.operator_id
        WHERE t.token_hash = :h AND t.revoked_at IS NULL AND t.expires_at > now() AND o.active
        """,
        {"h": token_hash},
    )
    return OperatorRow(*row) if row is not None else None


def revoke_token(conn: sa.Connection, *, token_hash: str) -> None:
    """End one token (sign-out)."""
    conn.execute(sa.text("UPDATE operator_tokens SET revoked_at = now() WHERE token_hash = :h"), {"h": token_hash})
