"""A local webhook receiver for tests and benchmarks: records what it is sent, can fail the first N.

`FakeWebhook(fail_first=2).start()` answers 503 to the first two requests, then 200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from devtools import local_server


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeWebhook:
    fail_first: int = 0
    received: list[Received] = field(default_factory=list)
    refused: int = 0

    def start(self) -> FakeWebhook:
        self._server = local_server.serve(post=self._receive)
        return self

    def _receive(self, handler: BaseHTTPRequestHandler) -> None:
        request = local_server.read_request(handler)
        status = self._answer(Received(request.path, request.headers, request.body))
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _answer(self, request: Received) -> int:
        if self.refused < self.fail_first:
            self.refused += 1
            return 503
        self.received.append(request)
        return 200

    def stop(self) -> None:
        local_server.stop(self._server)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"
