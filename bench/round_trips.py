"""Count database round trips of post_message: every flush of pg8000's socket is one.

    .venv/bin/python bench/round_trips.py [--runs 40]

In process, on a warm pool, with the abuse limits and model budgets switched off (as
bench/post_message.py, which prints the same figure, runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pg8000.core

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTIONS = ["How do I return an item?", "Do you ship abroad?", "what's the weather like?", "talk to a human"]


def round_trips_per_post(runs: int = 40, questions: list[str] = QUESTIONS) -> float:
    """Average socket flushes (request/response exchanges) per post_message, warm pool."""
    from shared.schemas.public import MessageCreate, SessionCreate
    from shared.services import chat, sessions

    created = sessions.create_session(SessionCreate())
    post = lambda i: chat.post_message(  # noqa: E731
        MessageCreate(session_id=created.session_id, content=questions[i % len(questions)]),
        token=created.session_token,
    )
    post(0)  # warm the pool and caches
    original = pg8000.core._flush
    count = 0

    def counting_flush(sock: object) -> None:
        nonlocal count
        count += 1
        original(sock)

    pg8000.core._flush = counting_flush
    try:
        for i in range(runs):
            post(i)
    finally:
        pg8000.core._flush = original
    return count / runs


def main() -> None:
    from bench.common import bench_database, switch_off_limits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    switch_off_limits()
    with bench_database():
        mixed = round_trips_per_post(args.runs)
        answered = round_trips_per_post(args.runs, ["How do I return an item?"])
    print(f"database round trips per post_message, {args.runs} runs (goal: at most 6 on an answered message)")
    print(f"  mixed questions (answered, not covered, a handover): {mixed:.2f}")
    print(f"  an ordinary answered question:                       {answered:.2f}")


if __name__ == "__main__":
    main()
