"""Run the whole bot on one local port: `python -m devtools.serve [--port 8080]`.

Every entry point of main.py answers at /<name> (the URL shape of Cloud Functions), the API
contract at /openapi.json, and frontend/ at / when it exists (with /demo/*, the demo shop's sign-in:
see devtools.local_demo, whose fake shop API starts beside a local run, as the demo help center does,
synced in the background once the bot listens: devtools.local_help_center). The console is served by
`operator_api` itself, as deployed (at /operator_api/, and at /console). With no DATABASE_URL an
embedded Postgres starts, the schema is migrated and the knowledge base synced before the first
request; it stops when the run ends, by Ctrl-C or SIGTERM.

The run says ENVIRONMENT=local and allows its own origins, unless the environment says otherwise;
its access lines carry the path alone (a query string can carry a token) and pass the log filter.

Every error the local server answers itself has the functions' JSON shape. werkzeug's dev server
answers a broken request in HTML, and hands a chunked body to the function undecoded, so that a
malformed one fails (or hangs) while the function reads it: chunked bodies are read here instead,
strictly and up to MAX_REQUEST_BYTES, and the function gets a plain body of known length.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import selectors
import signal
import threading
import time
from collections.abc import Callable, Iterable
from email.message import Message
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import functions_framework
from pydantic import ValidationError
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from devtools import local_demo, local_help_center
from devtools.fake_help_center import FakeHelpCenter
from shared.core import errors
from shared.core.settings import PROJECT_ROOT, get_settings
from shared.web.logs import configure_logging

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FRONTEND_DIR = PROJECT_ROOT / "frontend"
CONTRACT = PROJECT_ROOT / "openapi.json"
_STATIC_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
_ERROR_TYPES: list[type[errors.AppError]] = [errors.AppError, *errors.AppError.__subclasses__()]
_ERROR_CODES = {error.status: error.code for error in _ERROR_TYPES}
_CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]+)[ \t]*(?:;[^\r\n]*)?\r?\n")
_MAX_LINE = 1024  # longest chunk-size or trailer line accepted
_MAX_TRAILERS = 32
_MAX_DISCARDED_READS = 200  # of up to 64 KiB each, read after an error answer
CONSOLE_FUNCTION = "operator_api"
# The local run delivers notifications this often (Cloud Scheduler: every few minutes in production).
DELIVERY_SECONDS = 5.0
_CONSOLE_PAGES = {"console", "console.html"}
_CONSOLE_FILES = {"console.css", "console"}  # "console" with a rest: its module folder
access_log = logging.getLogger("support.local_server")


def local_environment(host: str, port: int) -> dict[str, str]:
    """What a local run says about itself: local, and its own origins as the only browser origins allowed."""
    names = [name for name in dict.fromkeys([host, "127.0.0.1", "localhost"]) if name not in ("0.0.0.0", "::", "")]
    origins = ",".join(f"http://[{name}]:{port}" if ":" in name else f"http://{name}:{port}" for name in names)
    return {"ENVIRONMENT": "local", "ALLOWED_ORIGINS": origins, "CONSOLE_ORIGINS": origins}


def prepare_database() -> None:
    """Apply migrations and sync the knowledge base."""
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_file
    from shared.services import _model_usage as model_usage

    upgrade()
    report = sync_file()
    model_usage.flush()
    print(f"knowledge base: {report.inserted} added, {report.updated} updated, {report.removed} removed")
    for conflict in report.conflicts:
        print(f"knowledge base: kept {conflict.entry_id} as the console left it ({conflict.reason})")


def function_apps(source: Path = PROJECT_ROOT / "main.py") -> dict[str, WsgiApp]:
    """One functions-framework app per entry point, as Cloud Functions would serve them."""
    import main

    return {name: functions_framework.create_app(target=name, source=str(source)) for name in main.ENTRY_POINTS}


def json_error(status: int, message: str) -> Response:
    """An error answer in the functions' `{"error": {"code", "message"}}` shape."""
    body = json.dumps({"error": {"code": _error_code(status), "message": message}})
    return Response(body, status, mimetype="application/json", headers={"Cache-Control": "no-store"})


def _error_code(status: int) -> str:
    return _ERROR_CODES.get(status) or HTTPStatus(status).name.lower()


class Dispatcher:
    """Routes /<function>[/...] to its app, /openapi.json to the contract, /demo/ to the demo, the rest to frontend/."""

    def __init__(self, apps: dict[str, WsgiApp], static_dir: Path = FRONTEND_DIR, contract: Path = CONTRACT) -> None:
        self.apps = apps
        self.static_dir = static_dir
        self.contract = contract

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        name, _, rest = path.lstrip("/").partition("/")
        if name in self.apps:
            # Rewrite in place rather than redirect: a redirect would break CORS preflights.
            environ = {**environ, "SCRIPT_NAME": f"/{name}", "PATH_INFO": f"/{rest}"}
            return self.apps[name](environ, start_response)
        if CONSOLE_FUNCTION in self.apps and (console_path := _console_path(name, rest)):
            environ = {**environ, "SCRIPT_NAME": f"/{CONSOLE_FUNCTION}", "PATH_INFO": console_path}
            return self.apps[CONSOLE_FUNCTION](environ, start_response)
        if name == "demo":
            return _demo_response(Request(environ), rest)(environ, start_response)
        target = self.contract if path == "/openapi.json" else self._static_file(path)
        return _file_response(target)(environ, start_response)

    def _static_file(self, path: str) -> Path | None:
        try:
            relative = {"": "index.html", "console": "console.html"}.get(path.strip("/"), path.lstrip("/"))
            target = (self.static_dir / relative).resolve()
        except (OSError, ValueError):  # a NUL byte in the path, a symlink loop
            return None
        return target if self.static_dir.resolve() in target.parents else None


def _console_path(name: str, rest: str) -> str | None:
    """Where below operator_api a root path of the console is: /console is its page, /console/main.js its entry."""
    if name in _CONSOLE_PAGES and not rest:
        return "/"
    if name in _CONSOLE_FILES and (rest or name != "console"):
        return f"/{name}/{rest}" if rest else f"/{name}"
    return None


def _demo_response(request: Request, path: str) -> Response:
    try:
        payload = local_demo.answer(request.method, path, request.args)
    except errors.AppError as exc:
        return json_error(exc.status, exc.message)
    return Response(json.dumps(payload), mimetype="application/json", headers={"Cache-Control": "no-store"})


def _file_response(target: Path | None) -> Response:
    if target is None or not target.is_file():
        return json_error(404, "No such path.")
    mimetype = _STATIC_TYPES.get(target.suffix, "application/octet-stream")
    return Response(target.read_bytes(), mimetype=mimetype, headers={"Cache-Control": "no-cache"})


class LocalRequestHandler(WSGIRequestHandler):
    """werkzeug's request handler, reading chunked bodies up front and rejecting requests in JSON."""

    _body: bytes | None = None

    def run_wsgi(self) -> None:
        self._body = None
        try:
            if "Transfer-Encoding" in self.headers:
                self._continue()
                self._body = read_chunked(self.headers, self.rfile, get_settings().max_request_bytes)
            elif not re.fullmatch(r"[0-9]*", ",".join(self.headers.get_all("Content-Length", []))):
                raise errors.BadRequest("The Content-Length is not one number.")
        except errors.AppError as exc:
            self.send_error(exc.status, exc.message)
            return
        super().run_wsgi()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One access line: method, path without its query string (tokens travel there), status."""
        path = urlsplit(getattr(self, "path", "") or "").path
        access_log.info(f"{getattr(self, 'command', None) or '-'} {path} {code}")

    def log_message(self, format: str, *args: Any) -> None:
        """Anything else the server notes: its template only, as the log filter treats any library's."""
        access_log.info(format)

    def log_error(self, format: str, *args: Any) -> None:
        access_log.warning(format)

    def _continue(self) -> None:
        # werkzeug answers `Expect: 100-continue` only once the body is read: too late for a chunked one.
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            del self.headers["Expect"]

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        if self._body is not None:
            environ.pop("wsgi.input_terminated", None)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.update({"wsgi.input": io.BytesIO(self._body), "CONTENT_LENGTH": str(len(self._body))})
        return environ

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request the server itself rejects (bad request line, oversized headers...) in JSON."""
        phrase = self.responses.get(code, ("Error",))[0]
        body = json_error(code, message or phrase).get_data()
        access_log.warning(f"refused: {code} {phrase}")  # not the request line: it can carry a token
        if self.request_version == "HTTP/0.9":  # a request line too broken to parse: still send a status line
            self.request_version = "HTTP/1.0"
        self.send_response(code, phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        self._discard_unread()

    def _discard_unread(self) -> None:
        # Closing on bytes the client still sends resets the connection, which can lose our answer.
        with selectors.DefaultSelector() as selector:
            selector.register(self.connection, selectors.EVENT_READ)
            for _ in range(_MAX_DISCARDED_READS):
                if not selector.select(timeout=0.05) or not self.rfile.read1(65536):
                    return


def read_chunked(headers: Message, rfile: io.BufferedIOBase, limit: int) -> bytes:
    """The body of a chunked request; BadRequest when its framing is broken, PayloadTooLarge past `limit`."""
    codings = [coding.strip().lower() for coding in headers.get_all("Transfer-Encoding", [])]
    if codings != ["chunked"] or "Content-Length" in headers:
        raise errors.BadRequest("Send a Content-Length or Transfer-Encoding: chunked, nothing else.")
    body = bytearray()
    while size := _chunk_size(rfile.readline(_MAX_LINE)):
        if len(body) + size > limit:
            raise errors.PayloadTooLarge(f"The body is larger than {limit} bytes.")
        chunk = rfile.read(size)
        if len(chunk) < size or rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n"):
            raise errors.BadRequest("The chunked body is malformed.")
        body += chunk
    for _ in range(_MAX_TRAILERS):
        line = rfile.readline(_MAX_LINE)
        if line in (b"\r\n", b"\n"):
            return bytes(body)
        if not line.endswith(b"\n"):
            break
    raise errors.BadRequest("The chunked body is malformed.")


def _chunk_size(line: bytes) -> int:
    match = _CHUNK_SIZE_LINE.fullmatch(line)
    if match is None:
        raise errors.BadRequest("The chunked body is malformed.")
    return int(match[1], 16)


def _stop_on_signals() -> None:
    """End the run on SIGTERM and SIGHUP as on Ctrl-C, so the exit handlers stop the embedded Postgres."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        # An ignored signal stays ignored (nohup, a shell's background job).
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, interrupt)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run every function and the widget on one local port.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    parser.add_argument("--shop-port", type=int, help="the demo shop API's port (default: --port + 11)")
    parser.add_argument("--help-port", type=int, help="the demo help center's port (default: --port + 12)")
    args = parser.parse_args()
    for key, value in local_environment(args.host, args.port).items():
        os.environ.setdefault(key, value)
    help_center = None
    if os.environ["ENVIRONMENT"] == "local":
        chosen = args.shop_port is not None
        local_demo.start(args.shop_port if chosen else args.port + local_demo.SHOP_PORT_OFFSET, chosen=chosen)
        chosen = args.help_port is not None
        help_port = args.help_port if chosen else args.port + local_help_center.HELP_PORT_OFFSET
        help_center = local_help_center.start(help_port, chosen=chosen)
    _stop_on_signals()
    with contextlib.suppress(KeyboardInterrupt):
        _serve(args.host, args.port, help_center)
    print("stopped; the embedded Postgres stops with this process")


def _serve(host: str, port: int, help_center: FakeHelpCenter | None = None) -> None:
    try:
        settings = get_settings()
    except ValidationError as exc:
        raise SystemExit("; ".join(str(error["msg"]) for error in exc.errors())) from None
    configure_logging(settings.log_level)  # before werkzeug logs, so that it adds no unfiltered handler
    mode = (
        "Cloud SQL"
        if settings.instance_connection_name
        else "DATABASE_URL"
        if settings.database_url
        else (f"embedded Postgres in {settings.embedded_pg_dir}")
    )
    print(f"database: {mode}")
    prepare_database()
    from shared.answering import get_provider
    from shared.embeddings import describe_retrieval

    print(f"answers: {get_provider().name} provider")
    print(f"retrieval: {describe_retrieval()}")
    print(f"support bot running at http://{host}:{port}/  (Ctrl-C to stop)")
    print(f"API contract: http://{host}:{port}/openapi.json")
    print(f"support console: http://{host}:{port}/{CONSOLE_FUNCTION}/  ({_who_signs_in(settings.environment)})")
    threading.Thread(target=_deliver_notifications_every, args=(DELIVERY_SECONDS,), daemon=True).start()
    server = make_server(host, port, Dispatcher(function_apps()), threaded=True, request_handler=LocalRequestHandler)
    local_help_center.sync_in_background(help_center)  # the bot listens: it answers while the sync runs
    server.serve_forever()


def _deliver_notifications_every(seconds: float) -> None:
    """Play Cloud Scheduler's part: run `deliver_notifications` (handovers' summaries, then notifications) often."""
    from shared.services import notifications

    while True:
        time.sleep(seconds)
        try:
            notifications.deliver_due()
        except Exception:
            logging.getLogger("support.local").exception("scheduled delivery failed")


def _who_signs_in(environment: str) -> str:
    if environment != "local":
        return f"ENVIRONMENT={environment}: operators sign in with Google"
    return "sign in by email from this machine: on an empty team the first becomes admin, then only operators"


if __name__ == "__main__":
    main()
