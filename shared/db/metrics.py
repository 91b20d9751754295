"""The console's figures for a time range, each one SQL read over indexed columns.

A conversation counts when it was started in the range and the customer wrote in it; bot replies,
thumbs and ratings count by their own time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

_CONVERSATIONS = """
    WITH c AS (
        SELECT s.id, s.handover_kind, s.waiting_since, s.first_human_reply_at, s.resolved_at, s.created_at,
               s.id IN (SELECT f.session_id FROM message_feedback f WHERE f.rating = 'down') AS disliked
        FROM chat_sessions s
        WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
    )
    SELECT count(*) AS conversations,
           count(*) FILTER (WHERE handover_kind IS NULL AND NOT disliked) AS bot_resolved,
           count(*) FILTER (WHERE handover_kind IS NOT NULL) AS handed_over,
           count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_human_reply_at - waiting_since))
               FILTER (WHERE first_human_reply_at IS NOT NULL AND waiting_since IS NOT NULL) AS first_response,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at))
               FILTER (WHERE resolved_at IS NOT NULL) AS resolution
    FROM c
"""

_REASONS = """
    SELECT handover_kind AS kind, count(*) AS n FROM chat_sessions
    WHERE created_at >= :start AND created_at < :end AND first_user_message_at IS NOT NULL
      AND handover_kind IS NOT NULL
    GROUP BY handover_kind
"""

_CSAT = """
    SELECT avg(rating)::float AS average, count(*) AS responses
    FROM csat_ratings WHERE created_at >= :start AND created_at < :end
"""

_FEEDBACK = """
    SELECT count(*) FILTER (WHERE rating = 'up') AS up, count(*) FILTER (WHERE rating = 'down') AS down
    FROM message_feedback WHERE updated_at >= :start AND updated_at < :end
"""

_BOT_REPLIES = """
    SELECT count(*) FILTER (WHERE details->>'decision' = 'not_covered') AS unanswered,
           coalesce(sum((details->'usage'->>'input_tokens')::bigint), 0)::bigint AS input_tokens,
           coalesce(sum((details->'usage'->>'output_tokens')::bigint), 0)::bigint AS output_tokens
    FROM messages WHERE sender = 'bot' AND created_at >= :start AND created_at < :end
"""


def figures(conn: sa.Connection, *, start: datetime, end: datetime) -> dict[str, Any]:
    """Every figure of the metrics view for conversations started in [start, end)."""
    window = {"start": start, "end": end}
    conversations = conn.execute(sa.text(_CONVERSATIONS), window).one()._asdict()
    reasons = {row.kind: row.n for row in conn.execute(sa.text(_REASONS), window)}
    csat = conn.execute(sa.text(_CSAT), window).one()
    feedback = conn.execute(sa.text(_FEEDBACK), window).one()
    replies = conn.execute(sa.text(_BOT_REPLIES), window).one()
    return {
        **conversations,
        "handovers_by_reason": reasons,
        "csat_average": csat.average,
        "csat_responses": csat.responses,
        "thumbs_up": feedback.up,
        "thumbs_down": feedback.down,
        **replies._asdict(),
    }
