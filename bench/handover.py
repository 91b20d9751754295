"""A handover reply's latency next to an ordinary reply's, with a model that takes seconds to summarise.

    .venv/bin/python bench/handover.py [--rounds 10] [--summary-seconds 5]

Serves post_message with functions-framework against a local fake Gemini whose summaries take
--summary-seconds. Each round posts, in turn, an ordinary question and a request for a person,
each in a new conversation, and times the customer's response. Then it runs the scheduled
delivery (`deliver_notifications`, in process) and checks that every handover got its agents'
summary there. Prints p50/max of both and the ratio of the medians (goal: about 1, far from the
summary's seconds). Exits 1 if any request failed or any summary is missing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_database, serve, switch_off_limits
from devtools.fake_gemini import FakeGemini

ORDINARY = "How do I return an item?"
HANDOVER = "I want to talk to a person about my order"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--summary-seconds", type=float, default=5.0)
    args = parser.parse_args()
    fake = FakeGemini(summary_delay=args.summary_seconds).start()
    os.environ.update(
        {"GOOGLE_API_KEY": "bench", "GOOGLE_GEMINI_BASE_URL": fake.url, "SUPPORT_WEEKLY_HOURS": "mon-sun 24h"}
    )
    switch_off_limits()
    try:
        with bench_database():
            failed, times, handed_over = measure(args.rounds)
            missing, follow_up_seconds = follow_up(handed_over)
    finally:
        fake.stop()
    ordinary, handover = times[ORDINARY], times[HANDOVER]
    print(f"{args.rounds} rounds, a summary takes {args.summary_seconds:.1f} s")
    for label, values in (("ordinary reply", ordinary), ("handover reply", handover)):
        if values:
            print(f"{label}: p50 {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")
    if ordinary and handover:
        ratio = statistics.median(handover) / statistics.median(ordinary)
        print(f"handover / ordinary, p50: {ratio:.2f} (goal: about 1)")
    print(f"the scheduled delivery followed up {len(handed_over)} handovers in {follow_up_seconds:.1f} s")
    if failed or missing:
        print(f"FAILED: {failed} requests failed, {missing} handovers without a summary", file=sys.stderr)
        sys.exit(1)


def measure(rounds: int) -> tuple[int, dict[str, list[float]], list[str]]:
    """Post both kinds of message in turn; returns failures, seconds by message, handed-over sessions."""
    from shared.schemas.public import SessionCreate
    from shared.services import sessions

    times: dict[str, list[float]] = {ORDINARY: [], HANDOVER: []}
    handed_over: list[str] = []
    failed = 0
    with serve("post_message", ROOT / "main.py") as (url, _), httpx.Client(timeout=60) as client:
        for i in range(rounds + 1):  # the first round warms the server up and is not counted
            for text in (ORDINARY, HANDOVER):
                created = sessions.create_session(SessionCreate())
                body = {"session_id": str(created.session_id), "content": text}
                began = time.perf_counter()
                response = client.post(url, json=body, headers={"Authorization": f"Bearer {created.session_token}"})
                elapsed = time.perf_counter() - began
                ok = response.status_code == 200 and response.json()["session"]["status"] == (
                    "escalated" if text == HANDOVER else "open"
                )
                failed += not ok
                if i:
                    times[text].append(elapsed)
                if text == HANDOVER:
                    handed_over.append(str(created.session_id))
    return failed, times, handed_over


def follow_up(session_ids: list[str]) -> tuple[int, float]:
    """Run the scheduled delivery; returns how many of these handovers still have no summary, and its seconds."""
    from shared.db.engine import connection
    from shared.services import notifications

    began = time.perf_counter()
    notifications.deliver_due()
    seconds = time.perf_counter() - began
    with connection() as conn:
        summarised = conn.execute(
            sa.text("SELECT count(*) FROM session_summaries WHERE CAST(session_id AS text) = ANY(:ids)"),
            {"ids": session_ids},
        ).scalar_one()
    return len(session_ids) - int(summarised), seconds


if __name__ == "__main__":
    main()
