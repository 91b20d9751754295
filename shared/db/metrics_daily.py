"""The daily roll-up of the console's metrics: which settled days it holds, and filling one day.

A day is settled once it ended 8 days ago: then every conversation started in it is older than the
7 days after which a write to it marks its day stale (the trigger of migration 0018), a day's
margin for a transaction in flight. Its figures are stored only when the clock can no longer change
them either (no answer or confirmation of the day less than 7 days old, `settles_at`); until then
the day is scanned directly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from shared.db.metrics import GROUP_PARTS, GROUP_SUMS, OUTCOMES, PARTS, SUMS

SETTLED_AFTER = timedelta(days=8)

# Days of [first, last] that ended SETTLED_AFTER ago and whose stored figures are missing or stale,
# unless they were found to depend on the clock until a time still to come.
_TO_FILL = """
    SELECT d::date AS day FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') d
    LEFT JOIN metrics_daily m ON m.day = d::date
    WHERE (d::date + 1)::timestamp AT TIME ZONE 'UTC' <= now() - CAST(:settled AS interval)
      AND m.computed_at IS NULL AND coalesce(m.settles_at <= now(), true)
    ORDER BY 1
"""

_STORED = """
    SELECT day FROM metrics_daily
    WHERE day BETWEEN :first AND :last AND computed_at IS NOT NULL ORDER BY day
"""

# Taking the day's row lock first: a write to one of its conversations that is not committed yet
# is waited for, and one that comes later waits for this transaction and then marks the day stale.
_LOCK = """
    INSERT INTO metrics_daily (day) VALUES (:day) ON CONFLICT (day) DO UPDATE SET day = EXCLUDED.day
    RETURNING computed_at IS NOT NULL AS stored
"""

_STORE = f"""
    WITH c AS ({OUTCOMES}), d AS ({PARTS})
    UPDATE metrics_daily m
    SET ({", ".join(SUMS)}, first_responses, resolutions, settles_at)
            = ({", ".join(f"d.{name}" for name in SUMS)}, d.first_responses, d.resolutions, d.settles_at),
        computed_at = CASE WHEN d.settles_at > now() THEN NULL ELSE now() END
    FROM d WHERE m.day = :day
    RETURNING m.computed_at IS NOT NULL AS stored
"""

_STORE_GROUPS = f"""
    WITH c AS ({OUTCOMES})
    INSERT INTO metrics_daily_groups (day, set, key, {", ".join(GROUP_SUMS)})
    SELECT :day, set, key, {", ".join(GROUP_SUMS)} FROM ({GROUP_PARTS}) g
"""


def to_fill(conn: sa.Connection, *, first: date, last: date) -> list[date]:
    """The settled days of [first, last] whose figures are not stored and could be now."""
    params = {"first": first, "last": last, "settled": SETTLED_AFTER}
    return list(conn.execute(sa.text(_TO_FILL), params).scalars())


def stored(conn: sa.Connection, *, first: date, last: date) -> list[date]:
    """The days of [first, last] whose figures are stored and current."""
    return list(conn.execute(sa.text(_STORED), {"first": first, "last": last}).scalars())


def fill_day(conn: sa.Connection, *, day: date) -> bool:
    """Store one settled day's figures, in the caller's transaction; False if the clock still changes them."""
    if conn.execute(sa.text(_LOCK), {"day": day}).scalar_one():
        return True  # stored meanwhile by another caller
    begins = datetime.combine(day, time(), tzinfo=UTC)
    params = {"day": day, "los": [begins], "his": [begins + timedelta(days=1)]}
    conn.execute(sa.text("DELETE FROM metrics_daily_groups WHERE day = :day"), {"day": day})
    if not conn.execute(sa.text(_STORE), params).scalar_one():
        return False
    conn.execute(sa.text(_STORE_GROUPS), params)
    return True
