"""`./dev run` as a developer meets it: `python -m devtools.serve` in its own process, over real sockets."""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from werkzeug.test import Client

from devtools.serve import Dispatcher

NO_ABUSE_LIMITS = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "0",
    "RATE_LIMIT_SESSIONS_PER_DAY": "0",
    "RATE_LIMIT_MESSAGES_PER_MINUTE": "0",
}


@dataclass
class LocalRun:
    """One `python -m devtools.serve` process and where its output goes."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_local_run(
    project_root: Path,
    log: Path,
    unset: tuple[str, ...] = (),
    *,
    port: int | None = None,
    args: tuple[str, ...] = (),
    **env: str,
) -> LocalRun:
    """Start the local run (on a free port unless told one) and wait until it creates a session.

    It syncs no help center unless KNOWLEDGE_SOURCES is among `unset` (then the demo's) or in `env`.
    """
    port = port or _free_port()
    dropped = ("DATABASE_URL", "INSTANCE_CONNECTION_NAME", *unset)
    child_env = {k: v for k, v in os.environ.items() if k not in dropped}
    no_sources = {} if "KNOWLEDGE_SOURCES" in unset else {"KNOWLEDGE_SOURCES": ""}
    child_env.update({"PYTHONUNBUFFERED": "1", **NO_ABUSE_LIMITS, **no_sources, **env})
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "devtools.serve", "--port", str(port), *args],
            cwd=project_root,
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    run = LocalRun(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the local run exited with {process.returncode}:\n{run.output()}")
        try:
            if httpx.post(f"{run.url}/create_session", timeout=5).status_code == 201:
                return run
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait()
    raise AssertionError(f"the local run did not serve within 90 s:\n{run.output()}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_on(data_dir: Path) -> list[psutil.Process]:
    """Every Postgres process working in `data_dir` (the server and its workers all change into it)."""
    found = []
    for process in psutil.process_iter(["name"]):
        try:
            if process.info["name"] == "postgres" and Path(process.cwd()) == data_dir.resolve():
                found.append(process)
        except psutil.Error:
            continue
    return found


def wait_until_no_postgres_on(data_dir: Path, seconds: float = 10) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while (left := postgres_on(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.fixture
def pg_dir() -> Iterator[Path]:
    """A data folder for an embedded Postgres; whatever still runs on it is killed afterwards."""
    # Not under pytest's base temp: a pytest starting meanwhile makes that private again, and when
    # the tests run as root, the server runs as another user, who must reach the folder.
    parent = Path(tempfile.mkdtemp(prefix="support-local-run-"))
    yield parent / "pgdata"
    for process in postgres_on(parent / "pgdata"):
        process.kill()
    shutil.rmtree(parent, ignore_errors=True)


def _kill(run: LocalRun) -> None:
    run.process.kill()
    run.process.wait()


@pytest.mark.slow
def test_ctrl_c_stops_the_embedded_postgres_even_after_a_killed_run(project_root, tmp_path, pg_dir):
    env = {"EMBEDDED_PG_DIR": str(pg_dir)}
    killed = start_local_run(project_root, tmp_path / "first.log", **env)
    _kill(killed)  # its Postgres survives it, still registered to a dead process
    assert postgres_on(pg_dir), "SIGKILL of the python process should leave its Postgres running"

    run = start_local_run(project_root, tmp_path / "second.log", **env)
    run.process.send_signal(signal.SIGINT)
    assert run.process.wait(timeout=60) == 0, run.output()

    assert wait_until_no_postgres_on(pg_dir) == [], run.output()


@pytest.mark.slow
def test_sigterm_stops_the_embedded_postgres_after_a_stale_postmaster_pid(project_root, tmp_path, pg_dir):
    env = {"EMBEDDED_PG_DIR": str(pg_dir)}
    _kill(start_local_run(project_root, tmp_path / "first.log", **env))
    killed = postgres_on(pg_dir)
    for process in killed:
        process.kill()
    assert psutil.wait_procs(killed, timeout=10)[1] == []
    # Its lock files are left behind, and the pid they name now belongs to an unrelated process.
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"]) as bystander:
        try:
            for lock_file in (pg_dir / "postmaster.pid", pg_dir / ".s.PGSQL.5432.lock"):
                lines = lock_file.read_text().split("\n")
                lock_file.write_text("\n".join([str(bystander.pid), *lines[1:]]))

            run = start_local_run(project_root, tmp_path / "second.log", **env)
            run.process.terminate()
            assert run.process.wait(timeout=60) == 0, run.output()

            assert wait_until_no_postgres_on(pg_dir) == [], run.output()
            assert bystander.poll() is None, "the unrelated process was killed"
        finally:
            bystander.kill()


@pytest.fixture(scope="module")
def dev_run(project_root: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRun]:
    """The local run on the tests' database."""
    run = start_local_run(project_root, tmp_path_factory.mktemp("local-run") / "serve.log", DATABASE_URL=database_url)
    yield run
    run.process.terminate()
    run.process.wait(timeout=30)


def send_raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as is over a socket; the status, headers and body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        with contextlib.suppress(OSError):  # the server may have answered and closed already
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def chunked_post(path: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode() + body


def assert_json_error(answer: tuple[int, dict[str, str], bytes], status: int, code: str) -> None:
    got_status, headers, body = answer
    assert (got_status, headers.get("content-type")) == (status, "application/json"), body
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert error["message"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        b"zz\r\n{}\r\n0\r\n\r\n",  # not a hex size
        b"-2\r\n{}\r\n0\r\n\r\n",  # negative size
        b"5\r\n{}\r\n0\r\n\r\n",  # size larger than the data: the chunk swallows the last one
        b"2\r\n{}xx0\r\n\r\n",  # no line end after the data
        b"2\r\n{}\r\n",  # ends before the last chunk
    ],
)
@pytest.mark.parametrize("path", ["/create_session", "/post_message"])
def test_malformed_chunked_body_is_a_json_400(dev_run, path, body):
    assert_json_error(send_raw(dev_run.url, chunked_post(path, body)), 400, "bad_request")


@pytest.mark.slow
def test_a_chunk_over_the_size_limit_is_a_json_413_without_waiting_for_its_data(dev_run):
    answer = send_raw(dev_run.url, chunked_post("/create_session", b"fffffff\r\n{"))
    assert_json_error(answer, 413, "payload_too_large")


@pytest.mark.slow
def test_a_well_formed_chunked_body_reaches_the_function(dev_run):
    status, _, body = send_raw(dev_run.url, chunked_post("/create_session", b"1;ext=1\r\n{\r\n1\r\n}\r\n0\r\n\r\n"))
    assert status == 201, body
    assert json.loads(body)["session_token"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"NONSENSE\r\n\r\n", 400, "bad_request"),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "request_uri_too_long"),
        (b"GET / HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 200 + b"\r\n", 431, "request_header_fields_too_large"),
        (b"POST /create_session HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "bad_request"),
        (b"POST /create_session HTTP/1.1\r\nContent-Length: nine\r\n\r\n{}", 400, "bad_request"),
        (b"GET /%00 HTTP/1.1\r\n\r\n", 404, "not_found"),
    ],
)
def test_requests_the_server_itself_rejects_are_answered_in_json(dev_run, request_bytes, status, code):
    assert_json_error(send_raw(dev_run.url, request_bytes), status, code)


@pytest.mark.slow
def test_the_contract_is_served_and_its_url_printed_on_start(dev_run, project_root):
    response = httpx.get(f"{dev_run.url}/openapi.json")
    contract = project_root / "openapi.json"
    if contract.is_file():
        assert response.status_code == 200
        assert response.content == contract.read_bytes()
    else:
        assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert f"{dev_run.url}/openapi.json" in dev_run.output()


def test_dispatcher_serves_the_contract_file_as_json(tmp_path):
    (tmp_path / "openapi.json").write_text('{"openapi": "3.1.0"}')
    client = Client(Dispatcher({}, static_dir=tmp_path / "frontend", contract=tmp_path / "openapi.json"))
    response = client.get("/openapi.json")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert response.get_json() == {"openapi": "3.1.0"}


def test_dispatcher_answers_a_missing_contract_with_a_json_404(tmp_path):
    client = Client(Dispatcher({}, static_dir=tmp_path, contract=tmp_path / "openapi.json"))
    response = client.get("/openapi.json")
    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert response.get_json()["error"]["code"] == "not_found"


def test_dispatcher_serves_static_json_as_application_json(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    response = Client(Dispatcher({}, static_dir=tmp_path)).get("/config.json")
    assert (response.status_code, response.mimetype) == (200, "application/json")


class _UndecodableBody(io.RawIOBase):
    """A request body as a server's chunked decoder hands it over when the framing is broken."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise OSError("Invalid chunk header")


def test_a_body_the_server_cannot_decode_is_a_json_400_from_the_function(function_client):
    environ = {"wsgi.input": _UndecodableBody(), "wsgi.input_terminated": True}
    response = function_client("create_session").post("/", content_type="application/json", environ_overrides=environ)
    assert (response.status_code, response.mimetype) == (400, "application/json")
    assert response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.slow
def test_the_access_line_carries_the_path_without_its_query_string(dev_run):
    secret = f"canary{secrets.token_hex(8)}"
    assert httpx.get(f"{dev_run.url}/openapi.json?token={secret}&q=hello").status_code in (200, 404)
    assert httpx.post(f"{dev_run.url}/create_session?session_token={secret}").status_code == 201
    time.sleep(0.3)  # the access line follows the answer
    output = dev_run.output()
    assert secret not in output
    assert "GET /openapi.json " in output and "POST /create_session 201" in output


@pytest.fixture(scope="module")
def unconfigured_run(
    project_root: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalRun]:
    """`./dev run` as a developer starts it: no ENVIRONMENT and no origins in the environment."""
    run = start_local_run(
        project_root,
        tmp_path_factory.mktemp("bare-run") / "serve.log",
        unset=("ENVIRONMENT", "ALLOWED_ORIGINS", "CONSOLE_ORIGINS"),
        DATABASE_URL=database_url,
    )
    yield run
    run.process.terminate()
    run.process.wait(timeout=30)


@pytest.mark.slow
def test_the_local_run_says_local_and_allows_only_its_own_origins(unconfigured_run):
    url = unconfigured_run.url
    own = httpx.post(f"{url}/create_session", headers={"Origin": url})
    assert (own.status_code, own.headers["access-control-allow-origin"]) == (201, url)
    assert httpx.post(f"{url}/create_session", headers={"Origin": "https://evil.example"}).status_code == 403
    stranger = httpx.post(
        f"{url}/operator_api/sign-in", json={"local_email": "a@b.example"}, headers={"Origin": "https://evil.example"}
    )
    assert stranger.status_code == 403
    assert httpx.get(f"{url}/operator_api/sign-in-options").json()["email"] is True
    console = httpx.get(f"{url}/operator_api/")
    assert console.status_code == 200 and "default-src 'none'" in console.headers["content-security-policy"]
    assert f"{url}/operator_api/" in unconfigured_run.output()
