"""The console's figures for a time range, each one SQL read over indexed columns.

A conversation counts when it was started in the range and the customer wrote in it, and so do its
unanswered questions and model tokens; thumbs and ratings count by their own time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from shared.db.handover import FIRST_RESPONSE_SECONDS

# One index-only scan of chat_sessions_written_idx; a conversation with a thumbs-down is not bot-resolved.
_CONVERSATIONS = f"""
    SELECT count(*) AS conversations,
           count(*) FILTER (WHERE s.handover_kind IS NULL AND disliked.session_id IS NULL) AS bot_resolved,
           count(*) FILTER (WHERE s.handover_kind IS NOT NULL) AS handed_over,
           count(s.resolved_at) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY {FIRST_RESPONSE_SECONDS}) AS first_response,
           date_part('epoch', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.resolved_at - s.created_at))
               AS resolution,
           coalesce(sum(s.bot_unanswered), 0)::bigint AS unanswered,
           coalesce(sum(s.model_input_tokens), 0)::bigint AS input_tokens,
           coalesce(sum(s.model_output_tokens), 0)::bigint AS output_tokens
    FROM chat_sessions s
    LEFT JOIN (SELECT DISTINCT session_id FROM message_feedback WHERE rating = 'down') disliked
           ON disliked.session_id = s.id
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
"""

_REASONS = """
    SELECT handover_kind AS kind, count(*) AS n FROM chat_sessions
    WHERE created_at >= :start AND created_at < :end AND first_user_message_at IS NOT NULL
      AND handover_kind IS NOT NULL
    GROUP BY handover_kind
"""

# Degraded replies by reason ("budget", "model", "guarded"), counted onto their conversation like its tokens.
_DEGRADED = """
    SELECT d.key AS reason, sum(d.value::bigint)::bigint AS n
    FROM chat_sessions s CROSS JOIN LATERAL jsonb_each_text(s.degraded_replies) d
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
    GROUP BY d.key
"""

_CSAT = """
    SELECT avg(rating)::float AS average, count(*) AS responses
    FROM csat_ratings WHERE created_at >= :start AND created_at < :end
"""

_FEEDBACK = """
    SELECT count(*) FILTER (WHERE rating = 'up') AS up, count(*) FILTER (WHERE rating = 'down') AS down
    FROM message_feedback WHERE updated_at >= :start AND updated_at < :end
"""


def figures(conn: sa.Connection, *, start: datetime, end: datetime) -> dict[str, Any]:
    """Every figure of the metrics view for conversations started in [start, end)."""
    window = {"start": start, "end": end}
    conversations = conn.execute(sa.text(_CONVERSATIONS), window).one()._asdict()
    reasons = {row.kind: row.n for row in conn.execute(sa.text(_REASONS), window)}
    degraded = {row.reason: row.n for row in conn.execute(sa.text(_DEGRADED), window)}
    csat = conn.execute(sa.text(_CSAT), window).one()
    feedback = conn.execute(sa.text(_FEEDBACK), window).one()
    return {
        **conversations,
        "handovers_by_reason": reasons,
        "degraded_by_reason": degraded,
        "csat_average": csat.average,
        "csat_responses": csat.responses,
        "thumbs_up": feedback.up,
        "thumbs_down": feedback.down,
    }
