"""A local stand-in for the shop's own API, which the bot's actions call for a signed-in customer.

`FakeShopApi().start()` serves plain HTTP/JSON, every route behind `Authorization: Bearer <token>`
(else 401), the demo data of `devtools.shop_data`:

    GET  /api/customers/{customer_id}/orders/{order_id}         the order
    GET  /api/customers/{customer_id}/orders[?limit=N]          {"orders": [...]}, newest first (5 by default)
    POST /api/customers/{customer_id}/orders/{order_id}/cancel  the order, cancelled; 409 unless still processing

An order of another customer is a 404, as one that does not exist; so is any other route. For
tests: `delay_seconds` before each answer, `mode` "error" (500), "garbage" (200, not JSON) or
"close" (hang up without answering), and `requests`, what arrived, the path as on the request line.

Standalone (`./dev run` starts one itself): python -m devtools.fake_shop --port 8091
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from devtools import local_server
from devtools.shop_data import demo_customers, demo_orders

TOKEN = "local-shop-token"
DEFAULT_LIMIT, MAX_LIMIT = 5, 50
Answer = tuple[int, dict[str, Any]]
NOT_FOUND: Answer = (404, {"error": "not_found"})


@dataclass(frozen=True)
class ShopRequest:
    """A request as it reached the shop: `path` exactly as on the request line, header names lowercased."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON; an empty body is an empty object."""
        return json.loads(self.body or b"{}")


class FakeShopApi:
    def __init__(self, *, token: str = TOKEN) -> None:
        self.token = token
        self.requests: list[ShopRequest] = []
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """The demo data as it started, no requests recorded, answering normally and at once."""
        with self._lock:
            self.orders = demo_orders()
            self.requests.clear()
        self.mode, self.delay_seconds = "normal", 0.0

    def start(self, port: int = 0) -> FakeShopApi:
        self._server = local_server.serve(get=self._handle, post=self._handle, other=self._handle, port=port)
        return self

    def stop(self) -> None:
        local_server.stop(self._server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        received = local_server.read_request(handler)
        # handler.path is already normalised ("//x" becomes "/x"): keep what the client sent.
        raw_path = handler.requestline.split()[1]
        request = ShopRequest(handler.command, raw_path, received.headers, received.body)
        with self._lock:
            self.requests.append(request)
        time.sleep(self.delay_seconds)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            self._send(handler, request)

    def _send(self, handler: BaseHTTPRequestHandler, request: ShopRequest) -> None:
        if self.mode == "close":
            handler.close_connection = True
        elif self.mode == "garbage":
            _send_garbage(handler)
        elif self.mode == "error":
            local_server.send_json(handler, 500, {"error": "internal"})
        else:
            local_server.send_json(handler, *self._answer(request))

    def _answer(self, request: ShopRequest) -> Answer:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            return 401, {"error": "unauthorized"}
        url = urlsplit(request.path)
        match request.method, [unquote(part) for part in url.path.split("/")]:
            case "GET", ["", "api", "customers", customer_id, "orders"]:
                return self._list(customer_id, parse_qs(url.query).get("limit", [str(DEFAULT_LIMIT)])[-1])
            case "GET", ["", "api", "customers", customer_id, "orders", order_id]:
                order = self._find(customer_id, order_id)
                return (200, order) if order else NOT_FOUND
            case "POST", ["", "api", "customers", customer_id, "orders", order_id, "cancel"]:
                return self._cancel(customer_id, order_id, request)
        return NOT_FOUND

    def _list(self, customer_id: str, limit: str) -> Answer:
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
            return 400, {"error": "bad_request", "message": f"limit must be 1 to {MAX_LIMIT}"}
        return 200, {"orders": self.orders.get(customer_id, [])[: int(limit)]}

    def _find(self, customer_id: str, order_id: str) -> dict[str, Any] | None:
        return next((order for order in self.orders.get(customer_id, []) if order["id"] == order_id), None)

    def _cancel(self, customer_id: str, order_id: str, request: ShopRequest) -> Answer:
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return 400, {"error": "bad_request", "message": "the body must be a JSON object"}
        with self._lock:
            order = self._find(customer_id, order_id)
            if order is None:
                return NOT_FOUND
            if order["status"] != "processing":
                return 409, {"error": "already_cancelled" if order["status"] == "cancelled" else "already_shipped"}
            order["status"] = "cancelled"
            return 200, order


def _send_garbage(handler: BaseHTTPRequestHandler) -> None:
    body = b"<html><body>502 Bad Gateway (but said with a 200)</body>"
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the fake shop API with its demo customers and orders.")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--token", default=TOKEN, help="the bearer token every request must carry")
    args = parser.parse_args()
    shop = FakeShopApi(token=args.token).start(args.port)
    ids = ", ".join(customer["id"] for customer in demo_customers())
    print(f"demo shop API: {shop.url} (customers {ids}; Authorization: Bearer {args.token})  (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    shop.stop()


if __name__ == "__main__":
    main()
