"""Abuse limits and token budgets counted in Postgres (no Redis), over sliding windows.

A key has one row: its count in the current window (aligned to the epoch, so every instance
agrees) and its count in the window before. A rule's count at a moment is the current count
plus the previous one weighted by the share of the previous window still inside the last
`seconds`: the usual two-window estimate of a sliding window. A burst across a boundary
therefore meets what it counted just before the boundary, and an idle key's count fades out
over one window instead of dropping to zero at once.

`take` is exact under concurrency: it locks every key's row (in key order, so two requests
never wait on each other in a cycle), reads the clock only once it holds them all, and counts
the cost only when every rule has room. Run it inside a transaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from shared.db import prepared

# A new key starts as a row with an empty window in 1970; the clock is read after every lock is held.
_LOCK = """
    INSERT INTO rate_counters AS c (key, window_start, count, previous, expires_at)
    SELECT r.key, to_timestamp(0), 0, 0, now() + make_interval(secs => 2 * r.seconds)
    FROM unnest(CAST(:keys AS text[]), CAST(:seconds AS int[])) AS r(key, seconds)
    ORDER BY r.key
    ON CONFLICT (key) DO UPDATE SET count = c.count
    RETURNING c.key, extract(epoch FROM c.window_start)::float8 AS window_start, c.count, c.previous,
              extract(epoch FROM clock_timestamp())::float8 AS clock
"""

_READ = """
    SELECT c.key, extract(epoch FROM c.window_start)::float8 AS window_start, c.count, c.previous,
           extract(epoch FROM clock_timestamp())::float8 AS clock
    FROM rate_counters c WHERE c.key = ANY(CAST(:keys AS text[]))
"""

_WRITE = """
    UPDATE rate_counters AS c
    SET window_start = to_timestamp(u.window_start), count = u.count, previous = u.previous,
        expires_at = to_timestamp(u.window_start + 2 * u.seconds)
    FROM unnest(CAST(:keys AS text[]), CAST(:starts AS float8[]), CAST(:counts AS bigint[]),
                CAST(:previous AS bigint[]), CAST(:seconds AS int[])) AS u(key, window_start, count, previous, seconds)
    WHERE c.key = u.key
    RETURNING 1 AS written
"""


@dataclass(frozen=True)
class Rule:
    """At most `limit` units in any `seconds` (estimated from two aligned windows) under `key`."""

    key: str
    limit: int
    seconds: int


@dataclass(frozen=True)
class CounterRow:
    """A key's stored counts (_LOCK, _READ): its window's start and the database's clock, in epoch seconds."""

    key: str
    window_start: float
    count: int
    previous: int
    clock: float


@dataclass(frozen=True)
class Window:
    """A key's counts at one moment: in the window that holds it and in the window before."""

    start: float
    current: int
    previous: int

    def estimate(self, rule: Rule, at: float) -> float:
        """The units counted in the `rule.seconds` before `at`."""
        return self.previous * (1 - (at - self.start) / rule.seconds) + self.current

    def wait(self, rule: Rule, at: float, cost: int) -> int:
        """Whole seconds from `at` until `cost` more units fit, if nothing else is counted meanwhile."""
        room = rule.limit - cost
        if room < 0:
            return rule.seconds
        if self.current <= room:
            # The previous window's weight has to fall far enough.
            fits_at = self.start + (1 - (room - self.current) / self.previous) * rule.seconds
        else:
            # Only once this window has become the previous one, and faded enough.
            fits_at = self.start + rule.seconds + (1 - room / self.current) * rule.seconds
        return max(1, math.ceil(fits_at - at))


def window_at(rule: Rule, row: CounterRow | None, at: float) -> Window:
    """The counts of `row` (None for a key never counted) as seen from the moment `at`."""
    start = at // rule.seconds * rule.seconds
    if row is None or row.window_start < start - rule.seconds:
        return Window(start, 0, 0)
    if row.window_start < start:
        return Window(start, 0, row.count)
    return Window(start, row.count, row.previous)


def take(conn: sa.Connection, rules: list[Rule], cost: int = 1, *, at: float | None = None) -> int:
    """Count `cost` against every rule if all have room and return 0; else count nothing and return the wait in s.

    `at` (seconds since the epoch) stands in for the database's clock.
    """
    if not rules:
        return 0
    rows, clock = _lock(conn, rules)
    at = clock if at is None else at
    windows = {rule.key: window_at(rule, rows.get(rule.key), at) for rule in rules}
    full = [rule for rule in rules if windows[rule.key].estimate(rule, at) + cost > rule.limit]
    if full:
        return max(windows[rule.key].wait(rule, at, cost) for rule in full)
    _write(conn, rules, windows, cost)
    return 0


def add(conn: sa.Connection, rules: list[Rule], amount: int) -> None:
    """Count `amount` against every rule, whatever its limit (usage already spent)."""
    if not rules or amount <= 0:
        return
    rows, clock = _lock(conn, rules)
    _write(conn, rules, {rule.key: window_at(rule, rows.get(rule.key), clock) for rule in rules}, amount)


def full(conn: sa.Connection, rules: list[Rule]) -> dict[str, int]:
    """The keys of the rules whose count has reached their limit, each with the seconds until one more unit fits.

    Read without locking: for budgets, which are charged after the work they pay for.
    """
    if not rules:
        return {}
    read = [CounterRow(*row) for row in prepared.fetch(conn, _READ, {"keys": [rule.key for rule in rules]})]
    rows = {row.key: row for row in read}
    if not rows:
        return {}
    clock = next(iter(rows.values())).clock
    windows = {rule.key: window_at(rule, rows.get(rule.key), clock) for rule in rules}
    return {
        rule.key: windows[rule.key].wait(rule, clock, 1)
        for rule in rules
        if windows[rule.key].estimate(rule, clock) >= rule.limit
    }


def _lock(conn: sa.Connection, rules: list[Rule]) -> tuple[dict[str, CounterRow], float]:
    locked = prepared.fetch(conn, _LOCK, {"keys": [r.key for r in rules], "seconds": [r.seconds for r in rules]})
    rows = [CounterRow(*row) for row in locked]
    # Rows lock one after another: only the last clock reading is sure to come after every lock.
    return {row.key: row for row in rows}, max(row.clock for row in rows)


def _write(conn: sa.Connection, rules: Iterable[Rule], windows: dict[str, Window], amount: int) -> None:
    rules = list(rules)
    prepared.fetch(
        conn,
        _WRITE,
        {
            "keys": [rule.key for rule in rules],
            "starts": [windows[rule.key].start for rule in rules],
            "counts": [windows[rule.key].current + amount for rule in rules],
            "previous": [windows[rule.key].previous for rule in rules],
            "seconds": [rule.seconds for rule in rules],
        },
    )


def purge_expired_counters(conn: sa.Connection) -> int:
    """Delete counters whose windows no longer count; returns how many."""
    return int(conn.execute(sa.text("DELETE FROM rate_counters WHERE expires_at < now()")).rowcount)
