"""What the abuse limiter costs a request: `.venv/bin/python bench/limiter.py [--runs N]`.

In one run, on one database:
- the limiter alone: `admit_session` and a message's admission (`admit_message`, then
  `spent_budgets` for the token budgets) each in its own transaction, as the services call
  them, p50/p99 in ms, timed in turn with an empty transaction so that the limiter's own
  cost stands out from whatever else the machine is doing;
- create_session and post_message through the services with every limit off (the baseline)
  and on (limits high enough to admit everything), p50/p99, and the added time as a ratio.
The goal is a limiter p99 of 5 ms or less on this machine. A request that fails is counted as
an error, not timed; the bench exits with status 1 when any failed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_database

OFF = {"RATE_LIMIT_SESSIONS_PER_MINUTE": "0", "RATE_LIMIT_SESSIONS_PER_DAY": "0", "RATE_LIMIT_MESSAGES_PER_MINUTE": "0"}
OFF_TOKENS = {"RATE_LIMIT_SESSION_TOKENS_PER_DAY": "0", "RATE_LIMIT_TOKENS_PER_DAY": "0"}
ON = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "1000000000",
    "RATE_LIMIT_SESSIONS_PER_DAY": "1000000000",
    "RATE_LIMIT_MESSAGES_PER_MINUTE": "1000000000",
    "RATE_LIMIT_SESSION_TOKENS_PER_DAY": "1000000000",
    "RATE_LIMIT_TOKENS_PER_DAY": "1000000000",
}


@dataclass
class Timings:
    times: list[float] = field(default_factory=list)
    errors: int = 0


def _timed(action: Callable[[int], object], runs: int) -> Timings:
    return _interleaved([action], runs)[0]


def _interleaved(actions: list[Callable[[int], object]], runs: int) -> list[Timings]:
    """Time the actions in turn, so that whatever else the machine does weighs on each alike."""
    timings = [Timings() for _ in actions]
    for i in range(-min(20, runs), runs):  # the first calls warm the pool and the prepared statements
        for action, timing in zip(actions, timings, strict=True):
            began = time.perf_counter()
            try:
                action(i)
            except Exception:
                timing.errors += 1
                continue
            if i >= 0:
                timing.times.append((time.perf_counter() - began) * 1000)
    return timings


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def _row(name: str, timings: Timings) -> str:
    times = timings.times or [float("nan")]
    return f"{name:<46} p50 {statistics.median(times):7.2f} ms   p99 {_p(times, 99):7.2f} ms   errors {timings.errors}"


def _configure(values: dict[str, str]) -> None:
    from shared.core.settings import get_settings

    os.environ.update(values)
    get_settings.cache_clear()


def limiter_alone(runs: int) -> list[Timings]:
    """Time admit_session (one address), a message's admission (one session) and an empty transaction, in turn."""
    import sqlalchemy as sa

    from shared.db.engine import transaction
    from shared.schemas.public import SessionCreate
    from shared.services import _limits as limits
    from shared.services import sessions

    session_id = sessions.create_session(SessionCreate()).session_id
    address = f"198.51.100.{secrets.randbelow(250)}"

    def admit_session(_: int) -> None:
        with transaction() as conn:
            limits.admit_session(conn, address)

    def admit_message(_: int) -> None:
        with transaction() as conn:
            limits.admit_message(conn, session_id)
            limits.spent_budgets(conn, session_id)

    def nothing(_: int) -> None:
        with transaction() as conn:
            conn.execute(sa.text("SELECT 1"))

    return _interleaved([admit_session, admit_message, nothing], runs)


def through_the_services(runs: int) -> tuple[Timings, Timings]:
    """Time create_session (with a client address) and post_message (offline answers)."""
    from shared.schemas.public import MessageCreate, SessionCreate
    from shared.services import chat, sessions

    created = sessions.create_session(SessionCreate())

    def create(_: int) -> None:
        sessions.create_session(SessionCreate(), client_ip="198.51.100.7")

    def post(i: int) -> None:
        chat.post_message(
            MessageCreate(session_id=created.session_id, content=f"How do I return an item? ({i})"),
            token=created.session_token,
        )

    return _timed(create, runs), _timed(post, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    with bench_database():
        _configure(ON)
        session_limit, message_limit, empty = limiter_alone(args.runs)
        _configure({**OFF, **OFF_TOKENS})
        base_create, base_post = through_the_services(args.runs)
        _configure(ON)
        on_create, on_post = through_the_services(args.runs)
    print(f"limiter overhead, {args.runs} runs each (goal: limiter p99 <= 5 ms)")
    print(_row("limiter alone: admit_session (2 rules)", session_limit))
    print(_row("limiter alone: a message (1 rule + 2 budgets)", message_limit))
    print(_row("an empty transaction, timed in turn with those", empty))
    for name, timings in (("admit_session", session_limit), ("a message", message_limit)):
        if timings.times and empty.times:
            added = statistics.median(timings.times) - statistics.median(empty.times)
            print(f"{name}: the limiter's own p50 (over an empty transaction) {added:.2f} ms")
    print(_row("create_session, limits off (baseline)", base_create))
    print(_row("create_session, limits on", on_create))
    print(_row("post_message, limits off (baseline)", base_post))
    print(_row("post_message, limits on", on_post))
    for name, base, on in (("create_session", base_create, on_create), ("post_message", base_post, on_post)):
        if base.times and on.times:
            ratio = statistics.median(on.times) / statistics.median(base.times)
            added = statistics.median(on.times) - statistics.median(base.times)
            print(f"{name}: limits on / off, p50 ratio {ratio:.2f} (+{added:.2f} ms)")
    failed = sum(t.errors for t in (session_limit, message_limit, empty, base_create, on_create, base_post, on_post))
    if failed:
        print(f"FAILED: {failed} requests raised an error")
        sys.exit(1)


if __name__ == "__main__":
    main()
