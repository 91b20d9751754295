"""Shared pieces of the benchmarks: a database, serving a function, timing requests."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import httpx

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_FRAMEWORK = str(Path(sys.executable).parent / "functions-framework")
# The abuse limits and the model budgets, switched off through their settings (0 switches one off):
# a bench that posts from one address faster than a person would measures the path, not the 429s.
NO_LIMITS = {
    f"RATE_LIMIT_{name}": "0"
    for name in (
        "SESSIONS_PER_MINUTE",
        "SESSIONS_PER_DAY",
        "MESSAGES_PER_MINUTE",
        "SESSION_TOKENS_PER_DAY",
        "TOKENS_PER_DAY",
        "OPERATOR_WRITES_PER_MINUTE",
        "OPERATOR_COSTLY_PER_MINUTE",
    )
}


def switch_off_limits() -> None:
    """Switch the abuse limits and model budgets off for this process and the servers it starts."""
    os.environ.update(NO_LIMITS)
    from shared.core.settings import get_settings

    get_settings.cache_clear()


@contextmanager
def bench_database() -> Iterator[str]:
    """DATABASE_URL if set, else a throwaway embedded Postgres; migrated and seeded.

    The benches run locally: ENVIRONMENT is local unless the caller says otherwise (unset means
    production, which wants the deployment's settings).
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("ENVIRONMENT", "local")
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
    else:
        from shared.db.embedded import embedded_url, ensure_database, start_throwaway

        server = start_throwaway("bench-pg-")
        ensure_database(server, "bench")
        url = embedded_url(server, "bench")
    os.environ["DATABASE_URL"] = url
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_file

    upgrade()
    sync_file()
    yield url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(target: str, source: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, float]]:
    """Serve `target` with the functions-framework command; yields its URL and seconds to the first answer."""
    with _served(target, source, env) as (url, seconds, _, _):
        yield url, seconds


class ColdStart(NamedTuple):
    seconds: float  # from spawning the server to its first 2xx answer
    cpu_seconds: float  # the CPU time the server used until then: less swayed by other load on the machine


def cold_start(target: str, source: Path) -> ColdStart | None:
    """How long functions-framework serving `target` takes to give its first 2xx answer to an empty POST.

    None, with the reason on stderr, when its first answer that is not a server error is not a
    2xx either, or when it does not answer within 60 s.
    """
    try:
        with _served(target, source) as (_, seconds, status, pid):
            cpu_seconds = _cpu_seconds(pid)
    except RuntimeError as exc:
        print(f"FAILED: {target} from {source}: {exc}", file=sys.stderr)
        return None
    if not 200 <= status < 300:
        print(f"FAILED: {target} from {source} answered {status} first", file=sys.stderr)
        return None
    return ColdStart(seconds, cpu_seconds)


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process `pid` and its children (gunicorn's worker), read from Linux's /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for process in (pid, *map(int, children)):
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def _served(target: str, source: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, float, int, int]]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [FUNCTIONS_FRAMEWORK, "--target", target, "--source", str(source), "--port", str(port)],
        cwd=source.parent,
        env={"ENVIRONMENT": "local", **os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        seconds, status = _first_answer(url, process, started)
        yield url, seconds, status, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _first_answer(url: str, process: subprocess.Popen[bytes], started: float) -> tuple[float, int]:
    with httpx.Client() as client:
        while time.perf_counter() - started < 60:
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}")
            try:
                status = client.post(url, timeout=5).status_code
                if status < 500:
                    return time.perf_counter() - started, status
            except httpx.TransportError:
                time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within 60 s")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def run_load(send: Callable[[httpx.Client, int], int], *, requests: int, concurrency: int) -> LoadResult:
    """Send `requests` calls from `concurrency` threads; `send` returns the status code.

    A status of 400 or more, and any exception `send` raises (no answer, a body without what it
    expected), counts as an error; the thread goes on with the next request.
    """
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                began = time.perf_counter()
                try:
                    failed = send(client, index) >= 400
                except Exception:
                    failed = True
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    errors += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(requests, time.perf_counter() - began, latencies, errors)


def median(values: list[float]) -> float:
    return statistics.median(values)
