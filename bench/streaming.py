"""Time to first streamed event through the local run, offline and through Gemini (a local fake).

    .venv/bin/python bench/streaming.py [--requests 30] [--chunk-delay 0.05] [--show-request]

Starts `python -m devtools.serve` as a user would, posts messages with
`Accept: text/event-stream`, and prints p50/p95 of time to the `start` event, to the first
`delta`, and to `done`. With --show-request it prints what the fake Gemini server received
for one exchange.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_database, free_port, switch_off_limits
from devtools.fake_gemini import FakeGemini

QUESTIONS = ["How do I return an item?", "where is my package", "Do you ship to Canada?", "I forgot my password"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="seconds between the fake's chunks")
    parser.add_argument("--show-request", action="store_true")
    args = parser.parse_args()
    switch_off_limits()  # one session posts every message: the per-minute limit would answer 429
    fake = FakeGemini(chunk_delay=args.chunk_delay).start()
    failed = 0
    with bench_database():
        for label, env in [
            ("offline provider", {}),
            (
                f"gemini (fake, {args.chunk_delay * 1000:.0f} ms between chunks)",
                {"GOOGLE_API_KEY": "bench", "GOOGLE_GEMINI_BASE_URL": fake.url},
            ),
        ]:
            timings = measure(env, args.requests)
            failed += args.requests - len(timings["done"])
            report(label, timings)
    if args.show_request and fake.answers():
        sent = fake.answers()[-1]
        print("\nwhat the fake Gemini server received for one exchange:")
        print(json.dumps({"path": sent.path, "body": sent.body}, indent=2, ensure_ascii=False))
    fake.stop()
    if failed:
        print(f"FAILED: {failed} streams ended without a done event", file=sys.stderr)
        sys.exit(1)


def measure(env: dict[str, str], requests: int) -> dict[str, list[float]]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "devtools.serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        response = httpx.post(f"{base}/create_session")
        if response.status_code != 201:
            raise SystemExit(f"create_session answered {response.status_code}")
        created = response.json()
        auth = {"Authorization": f"Bearer {created['session_token']}", "Accept": "text/event-stream"}
        timings: dict[str, list[float]] = {"start": [], "delta": [], "done": []}
        for i in range(requests):
            body = {"session_id": created["session_id"], "content": QUESTIONS[i % len(QUESTIONS)]}
            began = time.perf_counter()
            seen: set[str] = set()
            with httpx.stream("POST", f"{base}/post_message", json=body, headers=auth, timeout=30) as stream:
                for line in stream.iter_lines():
                    name = line[7:] if line.startswith("event: ") else None
                    if name in timings and name not in seen:
                        seen.add(name)
                        timings[name].append(time.perf_counter() - began)
        return timings
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/get_messages", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the local run did not start")


def report(label: str, timings: dict[str, list[float]]) -> None:
    def ms(values: list[float], q: int) -> str:
        return f"{statistics.quantiles(values, n=20)[q - 1] * 1000:.1f}" if len(values) > 1 else "n/a"

    cells = ", ".join(f"{name} p50 {ms(v, 10)} ms / p95 {ms(v, 19)} ms" for name, v in timings.items())
    print(f"{label}: {cells}")


if __name__ == "__main__":
    main()
