"""The HTTP server under each local fake (Gemini, OpenAI, the identity issuer, the webhook receiver, the shop).

A threaded server on 127.0.0.1 (a free port unless told one), in a daemon thread, quiet in the test
output; each fake passes the functions that answer its GET and POST requests (and, if it wants
them, PUT, PATCH and DELETE), and reads and answers them with `read_request` and `send_json`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[BaseHTTPRequestHandler], None]


def serve(
    *, get: Answer | None = None, post: Answer | None = None, other: Answer | None = None, port: int = 0
) -> ThreadingHTTPServer:
    """Start answering GET and POST with `get` and `post`, PUT, PATCH and DELETE with `other` (else a 501)."""

    class Handler(BaseHTTPRequestHandler):
        if get is not None:

            def do_GET(self) -> None:
                get(self)

        if post is not None:

            def do_POST(self) -> None:
                post(self)

        if other is not None:

            def do_PUT(self) -> None:
                other(self)

            do_PATCH = do_DELETE = do_PUT

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Stop answering and free the port."""
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class Request:
    """A request as a fake received it, header names lowercased."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON; an empty body is an empty object."""
        return json.loads(self.body or b"{}")


def read_request(handler: BaseHTTPRequestHandler) -> Request:
    """Read the request's body (Content-Length bytes) and note its path and headers."""
    body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
    return Request(handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)


def send_json(
    handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str] | None = None
) -> None:
    """Answer with `payload` as JSON, and any extra `headers`."""
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
