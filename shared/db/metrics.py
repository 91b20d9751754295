"""The console's figures for a time range, each one SQL read over indexed columns.

A conversation counts when it was started in the range and the customer wrote in it, and so do its
outcomes, unanswered questions and model tokens; thumbs and ratings count by their own time.
The outcome facts each conversation keeps on write (migration 0016) are read from the covering
index chat_sessions_written_idx, never from the messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

# Each conversation of the range with what its outcome was. Resolved by the bot means answered at
# least once, no person ever involved, and either confirmed (a thumbs-up, or closed) and not taken
# back by a return within a day, or assumed: the customer wrote nothing for a day after the latest answer.
_OUTCOMES = """
    SELECT s.created_at, s.topic, s.csat, s.handover_kind IS NULL AS bot_only, s.bot_answered > 0 AS involved,
           s.bot_answered, s.bot_suggested, s.bot_unknown, s.returned_at IS NOT NULL AS returned,
           s.bot_answered > 0 AND s.handover_kind IS NULL AND s.confirmed_at IS NOT NULL
               AND NOT coalesce(s.returned_after_seconds <= 86400, false) AS confirmed,
           s.confirmed_at IS NOT NULL AND coalesce(s.returned_after_seconds <= 86400, false) AS taken_back,
           s.bot_answered > 0 AND s.handover_kind IS NULL AND s.confirmed_at IS NULL
               AND s.last_answer_at >= coalesce(s.customer_last_at, '-infinity')
               AND s.last_answer_at <= now() - interval '1 day' AS assumed,
           coalesce(s.confirmed_at, s.last_answer_at) <= now() - interval '7 days' AS week_old,
           coalesce(s.returned_after_seconds <= 7 * 86400, false) AS returned_within_week,
           s.resolved_at IS NOT NULL AS closed
    FROM chat_sessions s
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
"""

_CONVERSATIONS = f"""
    WITH c AS ({_OUTCOMES})
    SELECT count(*) AS conversations,
           count(*) FILTER (WHERE involved) AS involved,
           count(*) FILTER (WHERE confirmed) AS confirmed,
           count(*) FILTER (WHERE assumed) AS assumed,
           count(*) FILTER (WHERE taken_back) AS taken_back,
           count(*) FILTER (WHERE (confirmed OR assumed) AND week_old) AS week_old,
           count(*) FILTER (WHERE (confirmed OR assumed) AND week_old AND NOT returned_within_week) AS durable,
           count(*) FILTER (WHERE closed OR confirmed OR assumed OR returned) AS ever_resolved,
           count(*) FILTER (WHERE returned) AS returned,
           avg(csat) FILTER (WHERE bot_only)::float AS csat_bot_only, count(csat) FILTER (WHERE bot_only) AS csat_bot_n,
           avg(csat) FILTER (WHERE NOT bot_only)::float AS csat_human, count(csat) FILTER (WHERE NOT bot_only)
               AS csat_human_n
    FROM c
"""

_TIMES = """
    SELECT count(*) FILTER (WHERE s.handover_kind IS NOT NULL) AS handed_over,
           count(s.resolved_at) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.first_response_seconds) AS first_response,
           date_part('epoch', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.resolved_at - s.created_at))
               AS resolution,
           coalesce(sum(s.bot_unanswered), 0)::bigint AS unanswered,
           coalesce(sum(s.model_input_tokens), 0)::bigint AS input_tokens,
           coalesce(sum(s.model_output_tokens), 0)::bigint AS output_tokens
    FROM chat_sessions s
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
"""

# The bot's replies by outcome, per UTC day the conversation started.
_BY_DAY = """
    SELECT date_trunc('day', s.created_at, 'UTC') AS day, sum(s.bot_answered)::bigint AS answered,
           sum(s.bot_suggested)::bigint AS suggested, sum(s.bot_unknown)::bigint AS unknown
    FROM chat_sessions s
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
    GROUP BY 1 ORDER BY 1
"""

# Conversations by the entry their first answer or suggestion was about (NULL: none was), largest first.
_TOPICS = f"""
    WITH c AS ({_OUTCOMES}),
    topics AS (
        SELECT topic, count(*) AS conversations, count(*) FILTER (WHERE involved) AS involved,
               count(*) FILTER (WHERE confirmed OR assumed) AS resolved,
               avg(csat)::float AS csat_average, count(csat) AS csat_responses
        FROM c GROUP BY topic ORDER BY count(*) DESC, topic LIMIT :limit
    )
    SELECT t.*, e.question FROM topics t LEFT JOIN kb_entries e ON e.id = t.topic
    ORDER BY t.conversations DESC, t.topic
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
    """Every figure of the metrics view for conversations started in [start, end), topics apart."""
    window = {"start": start, "end": end}
    outcomes = conn.execute(sa.text(_CONVERSATIONS), window).one()._asdict()
    times = conn.execute(sa.text(_TIMES), window).one()._asdict()
    reasons = {row.kind: row.n for row in conn.execute(sa.text(_REASONS), window)}
    degraded = {row.reason: row.n for row in conn.execute(sa.text(_DEGRADED), window)}
    csat = conn.execute(sa.text(_CSAT), window).one()
    feedback = conn.execute(sa.text(_FEEDBACK), window).one()
    return {
        **outcomes,
        **times,
        "handovers_by_reason": reasons,
        "degraded_by_reason": degraded,
        "by_day": [row._asdict() for row in conn.execute(sa.text(_BY_DAY), window)],
        "csat_average": csat.average,
        "csat_responses": csat.responses,
        "thumbs_up": feedback.up,
        "thumbs_down": feedback.down,
    }


def topics(conn: sa.Connection, *, start: datetime, end: datetime, limit: int) -> list[dict[str, Any]]:
    """Conversations of the range grouped by the entry they were about, with their outcomes."""
    rows = conn.execute(sa.text(_TOPICS), {"start": start, "end": end, "limit": limit})
    return [row._asdict() for row in rows]
