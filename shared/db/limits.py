"""Fixed-window counters for abuse limits and token budgets, kept in Postgres (no Redis).

`take` is exact under concurrency: it locks every counter it needs (in key order, so two
requests never wait on each other in a cycle), reads them, and adds the cost only when every
rule has room. Run it inside a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from shared.db import prepared

# The window a rule counts in: windows are aligned to the epoch, so every instance agrees on them.
_WINDOWS = """
    SELECT r.key, r.lim,
           to_timestamp(floor(extract(epoch FROM now()) / r.seconds) * r.seconds) AS window_start,
           r.seconds
    FROM unnest(CAST(:keys AS text[]), CAST(:limits AS bigint[]), CAST(:seconds AS int[])) AS r(key, lim, seconds)
"""

_LOCK_COUNTERS = f"""
    WITH w AS ({_WINDOWS})
    INSERT INTO rate_counters AS c (key, window_start, count, expires_at)
    SELECT key, window_start, 0, window_start + make_interval(secs => seconds) FROM w ORDER BY key
    ON CONFLICT (key, window_start) DO UPDATE SET count = c.count
    RETURNING c.key, c.count,
              ceil(extract(epoch FROM c.expires_at - now()))::int AS resets_in
"""

_ADD = f"""
    WITH w AS ({_WINDOWS})
    INSERT INTO rate_counters AS c (key, window_start, count, expires_at)
    SELECT key, window_start, :amount, window_start + make_interval(secs => seconds) FROM w ORDER BY key
    ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
"""

_READ = f"""
    WITH w AS ({_WINDOWS})
    SELECT w.key, w.lim, coalesce(c.count, 0) AS count,
           ceil(extract(epoch FROM w.window_start + make_interval(secs => w.seconds) - now()))::int AS resets_in
    FROM w LEFT JOIN rate_counters c ON c.key = w.key AND c.window_start = w.window_start
"""


@dataclass(frozen=True)
class Rule:
    """At most `limit` units per `seconds`-long window under `key`."""

    key: str
    limit: int
    seconds: int


def _params(rules: list[Rule]) -> dict[str, list[object]]:
    return {"keys": [r.key for r in rules], "limits": [r.limit for r in rules], "seconds": [r.seconds for r in rules]}


def take(conn: sa.Connection, rules: list[Rule], cost: int = 1) -> int:
    """Count `cost` against every rule if all have room and return 0; else count nothing and return the wait in s."""
    if not rules:
        return 0
    rows = prepared.fetch(conn, _LOCK_COUNTERS, _params(rules))
    limits = {rule.key: rule.limit for rule in rules}
    waits = [max(row.resets_in, 1) for row in rows if row.count + cost > limits[row.key]]
    if waits:
        return int(max(waits))
    prepared.fetch(conn, _ADD + " RETURNING 1 AS added", {**_params(rules), "amount": cost})
    return 0


def exhausted(conn: sa.Connection, rules: list[Rule]) -> int:
    """0 when every rule still has room, else the seconds until the last exhausted one resets."""
    if not rules:
        return 0
    rows = prepared.fetch(conn, _READ, _params(rules))
    return max((max(row.resets_in, 1) for row in rows if row.count >= row.lim), default=0)


def add(conn: sa.Connection, rules: list[Rule], amount: int) -> None:
    """Count `amount` against every rule, whatever its limit (usage already spent)."""
    if rules and amount > 0:
        prepared.fetch(conn, _ADD + " RETURNING 1 AS added", {**_params(rules), "amount": amount})


def purge_expired_counters(conn: sa.Connection) -> int:
    """Delete counters whose window has ended; returns how many."""
    return int(conn.execute(sa.text("DELETE FROM rate_counters WHERE expires_at < now()")).rowcount)
