"""Shared pieces of the benchmarks: a database, serving a function, timing requests."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_FRAMEWORK = str(Path(sys.executable).parent / "functions-framework")


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
        from shared.db.embedded import embedded_url, ensure_database, start_embedded

        server = start_embedded(Path(tempfile.mkdtemp(prefix="bench-pg-")) / "data", delete_on_exit=True)
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
        cold_start = _first_success(url, process, started)
        yield url, cold_start
    finally:
        process.terminate()
        process.wait(timeout=10)


def _first_success(url: str, process: subprocess.Popen[bytes], started: float) -> float:
    with httpx.Client() as client:
        while time.perf_counter() - started < 60:
            if process.poll() is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}")
            try:
                if client.post(url, timeout=5).status_code < 500:
                    return time.perf_counter() - started
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
    """Send `requests` calls from `concurrency` threads; `send` returns the status code."""
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
                status = send(client, index)
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    errors += status >= 400

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(requests, time.perf_counter() - began, latencies, errors)


def median(values: list[float]) -> float:
    return statistics.median(values)
