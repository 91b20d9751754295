"""Benchmark post_message against a hello-world function served the same way, in the same run.

    .venv/bin/python bench/post_message.py [--requests 2000] [--concurrency 8]

Prints throughput of both and their ratio, post_message p50/p99 latency, database round
trips per post_message, and the cold start of create_session next to hello-world's. The abuse
limits and model budgets are switched off (it posts from one address as fast as it can); every
request that fails counts as an error, and any error makes it exit with 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_database, cold_start, median, run_load, serve, switch_off_limits
from bench.round_trips import round_trips_per_post

QUESTIONS = [
    "How do I return an item?",
    "where is my package",
    "Do you ship to Canada?",
    "I forgot my password",
    "what's the weather like?",
    "Which payment methods do you accept?",
    "my headphones stopped working",
    "When are you open?",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--cold-starts", type=int, default=3)
    args = parser.parse_args()
    # Both servers get the same gunicorn threads; our pool gives each thread a connection.
    os.environ["THREADS"] = str(args.concurrency)
    switch_off_limits()
    with bench_database():
        failed_starts = report_cold_starts(args.cold_starts)
        failed = report_throughput(args.requests, args.concurrency)
        print(f"database round trips per post_message: {round_trips_per_post():.2f} (goal: at most 6)")
    if failed or failed_starts:
        print(f"FAILED: {failed} requests and {failed_starts} cold starts failed", file=sys.stderr)
        sys.exit(1)


def report_cold_starts(runs: int) -> int:
    """Print create_session's cold start next to hello-world's, in turn; returns the starts that failed."""
    ours, hello = [], []
    for _ in range(runs):
        ours.append(cold_start("create_session", ROOT / "main.py"))
        hello.append(cold_start("hello", ROOT / "bench" / "hello" / "main.py"))
    failed = ours.count(None) + hello.count(None)
    if failed:
        return failed
    ours_ms = median([start.seconds for start in ours if start]) * 1000
    hello_ms = median([start.seconds for start in hello if start]) * 1000
    print(
        f"cold start to first 2xx, median of {runs}: create_session {ours_ms:.0f} ms, "
        f"hello-world {hello_ms:.0f} ms (ratio {ours_ms / hello_ms:.2f}, goal: <= 2; bench/cold_start.py for more)"
    )
    return 0


def report_throughput(requests: int, concurrency: int) -> int:
    """Print both throughputs and their ratio; returns the number of failed requests."""
    with serve("create_session", ROOT / "main.py") as (create_url, _):
        sessions = [_created(httpx.post(create_url)) for _ in range(concurrency * 4)]
    with serve("post_message", ROOT / "main.py") as (url, _):

        def send(client: httpx.Client, i: int) -> int:
            session = sessions[i % len(sessions)]
            body = {"session_id": session["session_id"], "content": QUESTIONS[i % len(QUESTIONS)]}
            headers = {"Authorization": f"Bearer {session['session_token']}"}
            return client.post(url, json=body, headers=headers).status_code

        warm_up = run_load(send, requests=concurrency * 4, concurrency=concurrency)
        ours = run_load(send, requests=requests, concurrency=concurrency)
    with serve("hello", ROOT / "bench" / "hello" / "main.py") as (hello_url, _):
        hello_warm_up = run_load(
            lambda c, i: c.post(hello_url).status_code, requests=concurrency * 4, concurrency=concurrency
        )
        hello = run_load(lambda c, i: c.post(hello_url).status_code, requests=requests, concurrency=concurrency)
    print(f"{requests} requests, {concurrency} concurrent clients, functions-framework with THREADS={concurrency}")
    print(
        f"post_message: {ours.throughput:.0f} req/s, p50 {ours.percentile(50) * 1000:.1f} ms, "
        f"p99 {ours.percentile(99) * 1000:.1f} ms, errors {ours.errors}"
    )
    print(
        f"hello-world:  {hello.throughput:.0f} req/s, p50 {hello.percentile(50) * 1000:.1f} ms, "
        f"p99 {hello.percentile(99) * 1000:.1f} ms, errors {hello.errors}"
    )
    print(f"throughput ratio post_message / hello-world: {ours.throughput / hello.throughput:.2f} (goal: >= 0.35)")
    return warm_up.errors + ours.errors + hello_warm_up.errors + hello.errors


def _created(response: httpx.Response) -> dict[str, str]:
    """The new session, or stop: without sessions there is nothing to measure."""
    if response.status_code != 201:
        raise SystemExit(f"create_session answered {response.status_code}: {response.text[:200]}")
    return dict(response.json())


if __name__ == "__main__":
    main()
