"""Model tokens counted where they belong: on a conversation's counters, or in the deployment's hourly sums."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

_ADD_TO_DEPLOYMENT = sa.text("""
    INSERT INTO model_usage_hourly AS u (hour, input_tokens, output_tokens, thinking_tokens, calls)
    VALUES (date_trunc('hour', now()), :input_tokens, :output_tokens, :thinking_tokens, :calls)
    ON CONFLICT (hour) DO UPDATE SET
        input_tokens = u.input_tokens + EXCLUDED.input_tokens,
        output_tokens = u.output_tokens + EXCLUDED.output_tokens,
        thinking_tokens = u.thinking_tokens + EXCLUDED.thinking_tokens,
        calls = u.calls + EXCLUDED.calls
""")

_ADD_TO_CONVERSATION = sa.text("""
    UPDATE chat_sessions
    SET model_input_tokens = model_input_tokens + :input_tokens,
        model_output_tokens = model_output_tokens + :output_tokens
    WHERE id = :session_id
""")

_TOTALS = sa.text("""
    SELECT coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
           coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
           coalesce(sum(thinking_tokens), 0)::bigint AS thinking_tokens,
           coalesce(sum(calls), 0)::bigint AS calls
    FROM model_usage_hourly WHERE hour >= date_trunc('hour', CAST(:start AS timestamptz)) AND hour < :end
""")


def add_to_deployment(conn: sa.Connection, counts: dict[str, int]) -> None:
    """Add `counts` (input, output, thinking tokens and calls) to the current hour's sums."""
    conn.execute(_ADD_TO_DEPLOYMENT, counts)


def add_to_conversation(conn: sa.Connection, session_id: uuid.UUID, counts: dict[str, int]) -> None:
    """Add `counts`' input and output tokens to the conversation's counters (what its replies add too)."""
    conn.execute(_ADD_TO_CONVERSATION, {**counts, "session_id": session_id})


def totals(conn: sa.Connection, *, start: datetime, end: datetime) -> dict[str, Any]:
    """The deployment's tokens that belong to no conversation, for the hours that overlap [start, end)."""
    return dict(conn.execute(_TOTALS, {"start": start, "end": end}).one()._asdict())
