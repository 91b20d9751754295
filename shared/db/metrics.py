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

# grouping() of each set of _GROUPED: a bit set for each column the rows are not grouped by.
BY_TOPIC, BY_DAY, BY_KIND = 0b011, 0b101, 0b110

_RANGE = "s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL"

# Each conversation of the range with what its outcome was. Resolved by the bot means answered at
# least once, no person ever involved, and either confirmed (a thumbs-up, or closed) and not taken
# back by a return within a day, or assumed: the customer wrote nothing for a day after the latest answer.
_OUTCOMES = f"""
    SELECT s.created_at, s.resolved_at, s.first_response_seconds, s.topic, s.csat, s.handover_kind,
           date_bin('1 day', s.created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS day,
           s.bot_unanswered, s.model_input_tokens, s.model_output_tokens,
           s.handover_kind IS NULL AS bot_only, s.bot_answered > 0 AS involved,
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
    WHERE {_RANGE}
"""

_TOTALS = f"""
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
           avg(csat) FILTER (WHERE NOT bot_only)::float AS csat_human,
           count(csat) FILTER (WHERE NOT bot_only) AS csat_human_n,
           count(*) FILTER (WHERE NOT bot_only) AS handed_over,
           count(*) FILTER (WHERE closed) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_seconds) AS first_response,
           date_part('epoch', percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - created_at)) AS resolution,
           coalesce(sum(bot_unanswered), 0)::bigint AS unanswered,
           coalesce(sum(model_input_tokens), 0)::bigint AS input_tokens,
           coalesce(sum(model_output_tokens), 0)::bigint AS output_tokens
    FROM c
"""

# In one scan: conversations by topic (the entry their first answer or suggestion was about; NULL:
# none was), the bot's replies by outcome per UTC day the conversation started, handovers by kind.
_GROUPED = f"""
    WITH c AS ({_OUTCOMES}),
    grouped AS (
        SELECT grouping(topic, day, handover_kind) AS set, topic, day, handover_kind AS kind,
               count(*) AS conversations, count(*) FILTER (WHERE involved) AS involved,
               count(*) FILTER (WHERE confirmed OR assumed) AS resolved,
               avg(csat)::float AS csat_average, count(csat) AS csat_responses,
               sum(bot_answered)::bigint AS answered, sum(bot_suggested)::bigint AS suggested,
               sum(bot_unknown)::bigint AS unknown
        FROM c GROUP BY GROUPING SETS ((topic), (day), (handover_kind))
    )
    SELECT g.*, e.question FROM grouped g LEFT JOIN kb_entries e ON g.set = {BY_TOPIC} AND e.id = g.topic
"""

# Degraded replies by reason ("budget", "model", "guarded"), counted onto their conversation like its tokens.
_DEGRADED = f"""
    SELECT d.key AS reason, sum(d.value::bigint)::bigint AS n
    FROM chat_sessions s CROSS JOIN LATERAL jsonb_each_text(s.degraded_replies) d
    WHERE {_RANGE} AND s.degraded_replies <> '{{}}'::jsonb
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
    """Every figure of the metrics view for conversations started in [start, end); topics largest first."""
    window = {"start": start, "end": end}
    totals = conn.execute(sa.text(_TOTALS), window).one()._asdict()
    grouped = conn.execute(sa.text(_GROUPED), window).all()
    degraded = {row.reason: row.n for row in conn.execute(sa.text(_DEGRADED), window)}
    csat = conn.execute(sa.text(_CSAT), window).one()
    feedback = conn.execute(sa.text(_FEEDBACK), window).one()
    topics = [row._asdict() for row in grouped if row.set == BY_TOPIC]
    by_day = [{"day": row.day, "answered": row.answered, "suggested": row.suggested, "unknown": row.unknown}
              for row in grouped if row.set == BY_DAY]  # fmt: skip
    return {
        **totals,
        "handovers_by_reason": {row.kind: row.conversations for row in grouped if row.set == BY_KIND and row.kind},
        "degraded_by_reason": degraded,
        "by_day": sorted(by_day, key=lambda day: day["day"]),
        "topics": sorted(topics, key=lambda topic: (-topic["conversations"], topic["topic"] or "")),
        "csat_average": csat.average,
        "csat_responses": csat.responses,
        "thumbs_up": feedback.up,
        "thumbs_down": feedback.down,
    }
