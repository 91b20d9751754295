"""The console's figures for a time range: settled days from their daily roll-up, the rest scanned directly.

A conversation counts when it was started in the range and the customer wrote in it, and so do its
outcomes, unanswered questions and model tokens; thumbs and ratings count by their own time.
The outcome facts each conversation keeps on write (migration 0016) are read from the covering
index chat_sessions_written_idx, never from the messages.

Both ways go through the same per-day sums (PARTS, GROUP_PARTS): the roll-up (metrics_daily,
migration 0018; filled by metrics_daily.py) stores them per UTC day, the direct scan computes them
for the time ranges not rolled up, and one statement adds the two. Averages are summed ratings over
counted ratings, medians are taken over the union of each day's stored times (seconds, as floats,
sorted: the union then sorts in a third less time): every figure is exactly the one a scan of the
whole range gives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

# grouping(topic, handover_kind) of each set of GROUP_PARTS: a bit set for the column not grouped by.
BY_TOPIC, BY_KIND = 0b01, 0b10

# The conversations started in any of the ranges [los[i], his[i]) whose customer wrote.
_RANGES = """
    unnest(CAST(:los AS timestamptz[]), CAST(:his AS timestamptz[])) AS r(lo, hi)
    JOIN chat_sessions s ON s.created_at >= r.lo AND s.created_at < r.hi AND s.first_user_message_at IS NOT NULL
"""

# Each conversation of the ranges with what its outcome was. Resolved by the bot means answered at
# least once, no person ever involved, and either confirmed (a thumbs-up, a close, or the customer
# saying it helped) and not taken back by a return within a day, or assumed: the customer wrote
# nothing for a day after the latest answer. `settles_at`: after it, the clock changes none of these.
OUTCOMES = f"""
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
           s.resolved_at IS NOT NULL AS closed, date_part('epoch', s.resolved_at - s.created_at) AS resolution,
           greatest(s.last_answer_at, s.confirmed_at) + interval '7 days' AS settles_at
    FROM {_RANGES}
"""

# The sums a day is made of (metrics_daily's columns), each zero over no conversation.
_SUMS = {
    "conversations": "count(*)",
    "involved": "count(*) FILTER (WHERE involved)",
    "confirmed": "count(*) FILTER (WHERE confirmed)",
    "assumed": "count(*) FILTER (WHERE assumed)",
    "taken_back": "count(*) FILTER (WHERE taken_back)",
    "week_old": "count(*) FILTER (WHERE (confirmed OR assumed) AND week_old)",
    "durable": "count(*) FILTER (WHERE (confirmed OR assumed) AND week_old AND NOT returned_within_week)",
    "ever_resolved": "count(*) FILTER (WHERE closed OR confirmed OR assumed OR returned)",
    "returned": "count(*) FILTER (WHERE returned)",
    "handed_over": "count(*) FILTER (WHERE NOT bot_only)",
    "resolved": "count(*) FILTER (WHERE closed)",
    "unanswered": "coalesce(sum(bot_unanswered), 0)",
    "input_tokens": "coalesce(sum(model_input_tokens), 0)",
    "output_tokens": "coalesce(sum(model_output_tokens), 0)",
    "answered": "coalesce(sum(bot_answered), 0)",
    "suggested": "coalesce(sum(bot_suggested), 0)",
    "unknown": "coalesce(sum(bot_unknown), 0)",
    "csat_bot_sum": "coalesce(sum(csat) FILTER (WHERE bot_only), 0)",
    "csat_bot_n": "count(csat) FILTER (WHERE bot_only)",
    "csat_human_sum": "coalesce(sum(csat) FILTER (WHERE NOT bot_only), 0)",
    "csat_human_n": "count(csat) FILTER (WHERE NOT bot_only)",
}
SUMS = list(_SUMS)
_GROUP_SUMS = {
    "conversations": "count(*)",
    "involved": "count(*) FILTER (WHERE involved)",
    "resolved": "count(*) FILTER (WHERE confirmed OR assumed)",
    "csat_sum": "coalesce(sum(csat), 0)",
    "csat_n": "count(csat)",
}
GROUP_SUMS = list(_GROUP_SUMS)

_SUM_COLUMNS = ", ".join(f"{sql}::bigint AS {name}" for name, sql in _SUMS.items())

# A day as the roll-up stores it, over `c` (OUTCOMES): the sums, the times its medians are taken
# over (sorted), and when the clock stops mattering.
PARTS = f"""
    SELECT {_SUM_COLUMNS},
           array_agg(first_response_seconds ORDER BY first_response_seconds)
               FILTER (WHERE first_response_seconds IS NOT NULL) AS first_responses,
           array_agg(resolution ORDER BY resolution) FILTER (WHERE resolution IS NOT NULL) AS resolutions,
           max(settles_at) AS settles_at
    FROM c
"""

# Over `c`: conversations by topic (the entry their first answer or suggestion was about; NULL: none
# was) and by handover kind (NULL: none).
GROUP_PARTS = f"""
    SELECT grouping(topic, handover_kind) AS set,
           CASE grouping(topic, handover_kind) WHEN {BY_TOPIC} THEN topic ELSE handover_kind END AS key,
           {", ".join(f"{sql}::bigint AS {name}" for name, sql in _GROUP_SUMS.items())}
    FROM c GROUP BY GROUPING SETS ((topic), (handover_kind))
"""

_AVERAGE = "(sum({0}_sum)::numeric / nullif(sum({0}_n), 0))::float"  # as avg() divides: in numeric

# The median of a time over the conversations scanned (`c`) and the stored days' times together.
_MEDIAN = """(
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)
    FROM (SELECT {0} FROM c UNION ALL
          SELECT unnest({1}) FROM metrics_daily WHERE day = ANY(CAST(:days AS date[]))) t(v)
)"""

# The direct scan by day added to the rolled-up days: totals (of_day false) and one row per day.
_TOTALS = f"""
    WITH c AS ({OUTCOMES}),
    parts AS (
        SELECT day, {_SUM_COLUMNS} FROM c GROUP BY day
        UNION ALL
        SELECT day::timestamp AT TIME ZONE 'UTC', {", ".join(SUMS)}
        FROM metrics_daily WHERE day = ANY(CAST(:days AS date[]))
    )
    SELECT grouping(day) = 0 AS of_day, day,
           {", ".join(f"coalesce(sum({name}), 0)::bigint AS {name}" for name in SUMS)},
           {_AVERAGE.format("csat_bot")} AS csat_bot_only, {_AVERAGE.format("csat_human")} AS csat_human,
           CASE WHEN grouping(day) = 1 THEN {_MEDIAN.format("first_response_seconds", "first_responses")} END
               AS first_response,
           CASE WHEN grouping(day) = 1 THEN {_MEDIAN.format("resolution", "resolutions")} END AS resolution
    FROM parts GROUP BY GROUPING SETS ((), (day))
"""

_GROUPED = f"""
    WITH c AS ({OUTCOMES}),
    parts AS (
        SELECT set, key, {", ".join(GROUP_SUMS)} FROM ({GROUP_PARTS}) direct
        UNION ALL
        SELECT set, key, {", ".join(GROUP_SUMS)} FROM metrics_daily_groups WHERE day = ANY(CAST(:days AS date[]))
    ),
    grouped AS (
        SELECT set, key, {", ".join(f"sum({name})::bigint AS {name}" for name in GROUP_SUMS[:3])},
               {_AVERAGE.format("csat")} AS csat_average, sum(csat_n)::bigint AS csat_responses
        FROM parts GROUP BY set, key
    )
    SELECT g.*, coalesce(e.question, passage.place) AS question
    FROM grouped g
    LEFT JOIN kb_entries e ON g.set = {BY_TOPIC} AND e.id = g.key
    -- A help-center passage's topic ("passage:<id>") is named as replies cite it: its page, then the
    -- headings of the sections it holds.
    LEFT JOIN LATERAL (
        SELECT concat_ws(' › ', coalesce(d.title, d.location),
                         nullif(string_agg(h.heading, ', ' ORDER BY h.n), '')) AS place
        FROM passages p
        JOIN documents d ON d.id = p.document_id
        LEFT JOIN LATERAL (
            SELECT s.section -> 'heading_path' ->> -1 AS heading, s.n
            FROM jsonb_array_elements(p.sections) WITH ORDINALITY AS s(section, n)
        ) h ON h.heading IS DISTINCT FROM d.title
        WHERE g.set = {BY_TOPIC}
          AND p.id = CASE WHEN g.key ~ '^passage:[0-9]{{1,18}}$' THEN substring(g.key FROM 9)::bigint END
        GROUP BY d.title, d.location
    ) passage ON true
"""

# Degraded replies by reason ("budget", "model", "guarded"), counted onto their conversation like its tokens.
_DEGRADED = """
    SELECT d.key AS reason, sum(d.value::bigint)::bigint AS n
    FROM chat_sessions s CROSS JOIN LATERAL jsonb_each_text(s.degraded_replies) d
    WHERE s.created_at >= :start AND s.created_at < :end AND s.first_user_message_at IS NOT NULL
      AND s.degraded_replies <> '{}'::jsonb
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


def figures(conn: sa.Connection, *, start: datetime, end: datetime, days: list[date]) -> dict[str, Any]:
    """Every figure of the metrics view for conversations started in [start, end); topics largest first.

    `days`: whole UTC days of the range to read from the roll-up; the rest of the range is scanned.
    """
    window = {"start": start, "end": end}
    los, his = _gaps(start, end, days)
    scanned = {"los": los, "his": his, "days": days}
    rows = conn.execute(sa.text(_TOTALS), scanned).all()
    grouped = conn.execute(sa.text(_GROUPED), scanned).all()
    degraded = {row.reason: row.n for row in conn.execute(sa.text(_DEGRADED), window)}
    csat = conn.execute(sa.text(_CSAT), window).one()
    feedback = conn.execute(sa.text(_FEEDBACK), window).one()
    [totals] = [row._asdict() for row in rows if not row.of_day]
    topics = [{**row._asdict(), "topic": row.key} for row in grouped if row.set == BY_TOPIC]
    by_day = [{"day": row.day, "answered": row.answered, "suggested": row.suggested, "unknown": row.unknown}
              for row in rows if row.of_day and row.conversations]  # fmt: skip
    return {
        **totals,
        "handovers_by_reason": {row.key: row.conversations for row in grouped if row.set == BY_KIND and row.key},
        "degraded_by_reason": degraded,
        "by_day": sorted(by_day, key=lambda day: day["day"]),
        "topics": sorted(topics, key=lambda topic: (-topic["conversations"], topic["topic"] or "")),
        "csat_average": csat.average,
        "csat_responses": csat.responses,
        "thumbs_up": feedback.up,
        "thumbs_down": feedback.down,
    }


def _gaps(start: datetime, end: datetime, days: list[date]) -> tuple[list[datetime], list[datetime]]:
    """[start, end) without the rolled-up days, as the starts and ends of the ranges left."""
    los, his, lo = [], [], start
    for day in sorted(days):
        begins = datetime.combine(day, time(), tzinfo=UTC)
        if begins > lo:
            los.append(lo)
            his.append(begins)
        lo = max(lo, begins + timedelta(days=1))
    if lo < end:
        los.append(lo)
        his.append(end)
    return los, his
