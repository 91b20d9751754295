"""Concurrent streamed conversations against post_message served as in production (bench/load.py's first phase).

post_message runs as Cloud Functions runs it: the functions-framework command (gunicorn, one
worker, THREADS threads), one process per instance, with the deployment's THREADS, pool size
and no overflow (infra/variables.tf). The conversations are spread over the instances as Cloud
Run's front end would, each a customer sending messages one after the other and reading every
streamed answer to its `done` event. A stream counts as failed unless it answered 200 and
ended with `done`. The pool's peak is what each instance logged (shared/db/engine.PoolGauge).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import FUNCTIONS_FRAMEWORK, ROOT, free_port

QUESTIONS = [
    "How do I return an item?",
    "Where is my package?",
    "Do you ship to Canada?",
    "I forgot my password",
    "How long does a refund take?",
    "Can I change my delivery address?",
]


@dataclass(frozen=True)
class Deployment:
    """What one instance of post_message is given (infra/functions.tf and variables.tf defaults)."""

    instances: int = 2
    concurrency: int = 20
    pool_size: int = 3

    @property
    def tag(self) -> str:
        return f"pool{self.pool_size}"

    def env(self) -> dict[str, str]:
        return {"THREADS": str(self.concurrency), "DB_POOL_SIZE": str(self.pool_size), "DB_MAX_OVERFLOW": "0"}


@dataclass
class Stream:
    """One streamed post and what came back."""

    instance: int
    status: int | None = None  # None: no HTTP answer
    events: list[str] = field(default_factory=list)
    first_delta: float | None = None
    seconds: float = 0.0
    error: str = ""  # why no HTTP answer came

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.events[-1:] == ["done"] and "error" not in self.events


# The fake model in a process of its own: in the bench's, it would share one interpreter lock
# with the 40 clients and slow every stream the bench measures.
_FAKE_MODEL = """
import sys, time
from devtools.fake_gemini import FakeGemini
fake = FakeGemini(chunk_delay=float(sys.argv[1])).start()
print(fake.url, flush=True)
time.sleep(1e9)
"""


@contextlib.contextmanager
def fake_model(chunk_delay: float) -> Iterator[str]:
    """devtools/fake_gemini.py served by a separate process; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-c", _FAKE_MODEL, str(chunk_delay)],
        cwd=ROOT,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def instances(count: int, env: dict[str, str], logs: Path, tag: str) -> Iterator[list[str]]:
    """`count` post_message processes served by functions-framework, logging to post_message-TAG-N.log; yields URLs."""
    processes, urls = [], []
    try:
        for i in range(count):
            port = free_port()
            with (logs / f"post_message-{tag}-{i}.log").open("ab") as out:
                processes.append(
                    subprocess.Popen(
                        [
                            FUNCTIONS_FRAMEWORK,
                            "--target",
                            "post_message",
                            "--source",
                            str(ROOT / "main.py"),
                            "--port",
                            str(port),
                        ],
                        cwd=logs,
                        env={**env, "PORT": str(port), "PYTHONPATH": str(ROOT)},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"post_message at {url} exited with {process.returncode}")
        with contextlib.suppress(httpx.TransportError):
            httpx.options(url, timeout=2)
            return
        time.sleep(0.1)
    raise RuntimeError(f"post_message at {url} did not answer within 90 s")


async def stream(client: httpx.AsyncClient, url: str, session: tuple[str, str], question: str, index: int) -> Stream:
    """Post `question` with Accept: text/event-stream and read the answer to its end."""
    result, began = Stream(index), time.perf_counter()
    headers = {"Authorization": f"Bearer {session[1]}", "Accept": "text/event-stream"}
    try:
        async with client.stream(
            "POST", url, json={"session_id": session[0], "content": question}, headers=headers
        ) as response:
            result.status = response.status_code
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    result.events.append(line[7:])
                    if line == "event: delta" and result.first_delta is None:
                        result.first_delta = time.perf_counter() - began
    except httpx.HTTPError as exc:
        result.error = type(exc).__name__
    result.seconds = time.perf_counter() - began
    return result


async def conversations(urls: list[str], sessions: list[tuple[str, str]], messages: int) -> list[Stream]:
    """Every session is one customer sending `messages` messages in a row, all customers at once."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def customer(n: int) -> list[Stream]:
            instance = n % len(urls)
            return [
                await stream(client, urls[instance], sessions[n], QUESTIONS[(n + m) % len(QUESTIONS)], instance)
                for m in range(messages)
            ]

        done = await asyncio.gather(*(customer(n) for n in range(len(sessions))))
    return [s for streams in done for s in streams]


def pool_peaks(logs: Path, count: int, tag: str) -> list[tuple[int, int]]:
    """Per instance: the most connections checked out at once, and the pool's capacity."""
    peaks = []
    for i in range(count):
        peak, capacity = 0, 0
        for line in (logs / f"post_message-{tag}-{i}.log").read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError, AttributeError):
                entry = json.loads(line)
                peak = max(peak, int(entry.get("pool_checked_out", 0)))
                capacity = max(capacity, int(entry.get("pool_capacity", 0)))
        peaks.append((peak, capacity))
    return peaks


def report(label: str, streams: list[Stream], baseline: float, peaks: list[tuple[int, int]]) -> list[str]:
    """The phase's lines: streams, failures, latency against one lone stream, and each pool's peak."""
    ok = [s for s in streams if s.ok]
    answers = Counter(f"no answer ({s.error})" if s.status is None else str(s.status) for s in streams)
    done = sorted(s.seconds for s in ok)
    first = sorted(s.first_delta for s in ok if s.first_delta is not None)

    def q(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")

    pools = ", ".join(f"instance {i}: {peak} of {cap}" for i, (peak, cap) in enumerate(peaks))
    return [
        f"{label}: {len(streams)} streams, {len(streams) - len(ok)} failed "
        f"(answers {', '.join(f'{k} x{n}' for k, n in sorted(answers.items()))})",
        f"  to the last event: p50 {statistics.median(done) if done else float('nan'):.2f} s, "
        f"p95 {q(done, 0.95):.2f} s = {q(done, 0.95) / baseline:.2f}x one stream alone ({baseline:.2f} s); "
        f"first delta p95 {q(first, 0.95):.2f} s",
        f"  pool peak (connections checked out at once): {pools}; "
        f"503s (a pool exhausted past its timeout, or the database away): {answers.get('503', 0)}",
    ]


def run(
    deployment: Deployment,
    streams: int,
    messages: int,
    env: dict[str, str],
    logs: Path,
    sessions: list[tuple[str, str]],
) -> Outcome:
    """The phase: one stream alone on a warm instance as the baseline, then `streams` customers at once.

    `env` must point GOOGLE_GEMINI_BASE_URL at a fake model.
    """
    with instances(deployment.instances, {**env, **deployment.env()}, logs, deployment.tag) as urls:
        # Warm every instance (imports, the embedder, the first connections), then time one stream.
        warm = [asyncio.run(conversations([url], sessions[-1:], 1))[0] for url in urls]
        lone = asyncio.run(conversations(urls[:1], sessions[-1:], 1))[0]
        results = asyncio.run(conversations(urls, sessions[:streams], messages))
    peaks = pool_peaks(logs, deployment.instances, deployment.tag)
    label = (
        f"{streams} customers x {messages} streamed messages on {deployment.instances} instances "
        f"(THREADS={deployment.concurrency}, DB_POOL_SIZE={deployment.pool_size}, no overflow)"
    )
    baseline = lone.seconds if lone.ok else float("nan")
    failed = not all(s.ok for s in (*warm, lone, *results))
    return Outcome(report(label, results, baseline, peaks), not failed, results)


@dataclass(frozen=True)
class Outcome:
    lines: list[str]
    ok: bool
    streams: list[Stream]

    def p95(self) -> float:
        done = sorted(s.seconds for s in self.streams if s.ok)
        return done[min(len(done) - 1, int(0.95 * len(done)))] if done else float("nan")


if __name__ == "__main__":
    sys.exit("run bench/load.py (its streams phase)")
