"""Changing a conversation's state: the table decides, the change and its reason are recorded."""

from __future__ import annotations

import threading
import time
import uuid

import sqlalchemy as sa

from shared import errors
from shared.db import handoff as handoff_db
from shared.db.engine import connection
from shared.handoff.states import Event, State, next_state

NO_CONVERSATION = "There is no such conversation."
MEDIAN_WINDOW_DAYS = 30
MEDIAN_MIN_CONVERSATIONS = 5
MEDIAN_CACHE_SECONDS = 300
_median_lock = threading.Lock()
_median_cache: tuple[float, float | None] = (0.0, None)


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


def typical_first_reply_minutes() -> float | None:
    """The measured median minutes to a person's first reply (refreshed every few minutes), or None."""
    global _median_cache
    with _median_lock:
        fetched_at, value = _median_cache
        if time.monotonic() - fetched_at < MEDIAN_CACHE_SECONDS and fetched_at:
            return value
    with connection() as conn:
        seconds = handoff_db.median_first_reply_seconds(
            conn, days=MEDIAN_WINDOW_DAYS, at_least=MEDIAN_MIN_CONVERSATIONS
        )
    value = None if seconds is None else seconds / 60
    with _median_lock:
        _median_cache = (time.monotonic(), value)
    return value
