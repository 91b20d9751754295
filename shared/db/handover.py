"""Persistence of conversation states: the locked current state, a change applied, its history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from shared.db import prepared
from shared.handover.states import Event, State

# A handover (from the bot or a resolved state to the queue) starts a new first-response measurement;
# back with the bot before anyone replied, that measurement is dropped (no person ever answered it).
_APPLY = """
    UPDATE chat_sessions SET
        state = :to_state,
        waiting_since = CASE WHEN :to_state = 'bot' THEN NULL
                             WHEN :to_state = 'waiting' AND state IN ('bot', 'resolved') THEN now()
                             ELSE waiting_since END,
        handover_started_at = CASE WHEN :to_state = 'waiting' AND state IN ('bot', 'resolved') THEN now()
                                   WHEN :to_state = 'bot' AND first_human_reply_at IS NULL THEN NULL
                                   ELSE handover_started_at END,
        first_human_reply_at = CASE WHEN :to_state = 'waiting' AND state IN ('bot', 'resolved') THEN NULL
                                    ELSE first_human_reply_at END,
        handover_reason = CASE WHEN state IN ('bot', 'resolved') AND :to_state IN ('waiting', 'assigned')
                               THEN :reason ELSE handover_reason END,
        handover_kind = CASE WHEN state IN ('bot', 'resolved') AND :to_state IN ('waiting', 'assigned')
                             THEN :kind ELSE handover_kind END,
        assignee_id = CASE WHEN :to_state = 'assigned' THEN CAST(:assignee_id AS uuid) ELSE NULL END,
        -- The latest close stays when the customer writes again: the resolution time is measured to it.
        resolved_at = CASE WHEN :to_state = 'resolved' THEN now() ELSE resolved_at END,
        -- Closed with no person ever involved and after an answer: the bot's resolution, confirmed.
        confirmed_at = CASE WHEN :to_state = 'resolved' AND handover_kind IS NULL AND bot_answered > 0
                            THEN coalesce(confirmed_at, now()) ELSE confirmed_at END,
        last_activity_at = now()
    WHERE id = :session_id
"""

# Seconds from a conversation's latest handover to the first agent reply after it. A reply committed
# while the handover was being written can carry an earlier transaction time: that is no wait at all.
# (NULL while either end is missing; greatest() alone would turn that into 0.)
FIRST_RESPONSE_SECONDS = """
    CASE WHEN s.first_human_reply_at IS NOT NULL AND s.handover_started_at IS NOT NULL
         THEN greatest(0, extract(epoch FROM s.first_human_reply_at - s.handover_started_at)) END
"""

_RECORD = """
    INSERT INTO conversation_events (session_id, from_state, to_state, event, reason, operator_id)
    VALUES (:session_id, :from_state, :to_state, :event, :reason, :operator_id)
"""


@dataclass(frozen=True)
class StateChangeRow:
    """One recorded change of a conversation's state, with the operator's name."""

    from_state: State
    to_state: State
    event: Event
    reason: str | None
    created_at: datetime
    operator: str | None


def lock_state(conn: sa.Connection, *, session_id: uuid.UUID) -> State | None:
    """The conversation's state, its row locked until the transaction ends; None if it does not exist."""
    row = prepared.fetch_one(conn, "SELECT state FROM chat_sessions WHERE id = :id FOR UPDATE", {"id": session_id})
    return None if row is None else row.state


def apply(
    conn: sa.Connection,
    *,
    session_id: uuid.UUID,
    from_state: State,
    to_state: State,
    event: Event,
    reason: str | None,
    kind: str | None,
    operator_id: uuid.UUID | None,
    assignee_id: uuid.UUID | None,
) -> None:
    """Move the conversation to `to_state` and record the change."""
    params = {
        "session_id": session_id,
        "from_state": from_state,
        "to_state": to_state,
        "event": event,
        "reason": reason,
        "kind": kind,
        "operator_id": operator_id,
        "assignee_id": str(assignee_id) if assignee_id else None,
    }
    conn.execute(sa.text(_APPLY), params)
    conn.execute(sa.text(_RECORD), params)


def history(conn: sa.Connection, *, session_id: uuid.UUID) -> list[StateChangeRow]:
    """Every recorded change of a conversation, oldest first, with the operator's name."""
    rows = conn.execute(
        sa.text("""
            SELECT e.from_state, e.to_state, e.event, e.reason, e.created_at, o.display_name AS operator
            FROM conversation_events e LEFT JOIN operators o ON o.id = e.operator_id
            WHERE e.session_id = :id ORDER BY e.id
        """),
        {"id": session_id},
    )
    return [StateChangeRow(*row) for row in rows]


def median_first_reply_seconds(conn: sa.Connection, *, days: int, at_least: int) -> float | None:
    """The median wait from a handover to a person's first reply after it, over recent ones (None: too few)."""
    row = conn.execute(
        sa.text(f"""
            SELECT count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY {FIRST_RESPONSE_SECONDS}) AS median
            FROM chat_sessions s
            WHERE s.first_human_reply_at IS NOT NULL AND s.handover_started_at IS NOT NULL
              AND s.first_human_reply_at > now() - make_interval(days => :days)
        """),
        {"days": days},
    ).one()
    return float(row.median) if row.n >= at_least and row.median is not None else None
