"""The HTTP server under each local fake (Gemini, OpenAI, the identity issuer, the webhook receiver).

A threaded server on a free port of 127.0.0.1, in a daemon thread, quiet in the test output;
each fake passes the functions that answer its GET and POST requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[BaseHTTPRequestHandler], None]


def serve(*, get: Answer | None = None, post: Answer | None = None) -> ThreadingHTTPServer:
    """Start answering GET and POST requests with `get` and `post` (another method gets a 501)."""

    class Handler(BaseHTTPRequestHandler):
        if get is not None:

            def do_GET(self) -> None:
                get(self)

        if post is not None:

            def do_POST(self) -> None:
                post(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Stop answering and free the port."""
    server.shutdown()
    server.server_close()
