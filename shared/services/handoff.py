"""Changing a conversation's state: the table decides, the change and its reason are recorded."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from shared import errors
from shared.db import handoff as handoff_db
from shared.handoff.states import Event, State, next_state

NO_CONVERSATION = "There is no such conversation."


def transition(
    conn: sa.Connection,
    session_id: uuid.UUID,
    event: Event,
    *,
    reason: str | None = None,
    kind: str | None = None,
    operator_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
) -> tuple[State, State]:
    """Apply `event` inside the caller's transaction; returns (before, after). Conflict if not allowed."""
    current = handoff_db.lock_state(conn, session_id=session_id)
    if current is None:
        raise errors.NotFound(NO_CONVERSATION)
    target = next_state(current, event)
    changes_owner = event in ("take_over", "assign") and assignee_id is not None
    if target != current or changes_owner:
        handoff_db.apply(
            conn,
            session_id=session_id,
            from_state=current,
            to_state=target,
            event=event,
            reason=reason,
            kind=kind,
            operator_id=operator_id,
            assignee_id=assignee_id,
        )
    return current, target
