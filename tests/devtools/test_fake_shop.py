"""The fake shop API the bot's actions call: its routes, its token, its demo data and its test knobs."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from devtools.fake_shop import TOKEN, FakeShopApi
from devtools.shop_data import PRICES, demo_customers

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORDERS = "/api/customers/{}/orders"


@pytest.fixture(scope="module")
def shop_server() -> Iterator[FakeShopApi]:
    shop = FakeShopApi().start()
    yield shop
    shop.stop()


@pytest.fixture
def shop(shop_server: FakeShopApi) -> FakeShopApi:
    shop_server.reset()
    return shop_server


def get(shop: FakeShopApi, path: str, **kwargs) -> httpx.Response:
    return httpx.get(shop.url + path, headers=kwargs.pop("headers", AUTH), **kwargs)


def cancel(shop: FakeShopApi, customer: str, order: str, **kwargs) -> httpx.Response:
    return httpx.post(f"{shop.url}{ORDERS.format(customer)}/{order}/cancel", headers=AUTH, **kwargs)


def send_raw(shop: FakeShopApi, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", int(shop.url.rsplit(":", 1)[1])), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    return answer


def test_an_order_is_answered_to_its_customer(shop):
    response = get(shop, f"{ORDERS.format('cust-1001')}/10187")
    assert response.status_code == 200
    assert response.json()["id"] == "10187" and response.json()["status"] == "shipped"
    assert response.json()["shipment"]["tracking_url"].startswith("https://")


def test_another_customers_order_is_a_404_just_like_a_missing_one(shop):
    theirs = get(shop, f"{ORDERS.format('cust-1002')}/10187")
    missing = get(shop, f"{ORDERS.format('cust-1001')}/99999")
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()) == (404, {"error": "not_found"})


def test_orders_are_listed_newest_first_five_at_most_by_default(shop):
    orders = get(shop, ORDERS.format("cust-1001")).json()["orders"]
    assert [order["id"] for order in orders] == ["10234", "10187", "9876"]
    assert [o["placed_at"] for o in orders] == sorted((o["placed_at"] for o in orders), reverse=True)
    shop.orders["cust-1001"] *= 3
    assert len(get(shop, ORDERS.format("cust-1001")).json()["orders"]) == 5


def test_a_limit_cuts_the_list_and_a_bad_one_is_a_400(shop):
    assert len(get(shop, ORDERS.format("cust-1002"), params={"limit": 1}).json()["orders"]) == 1
    for limit in ("0", "-1", "ten", "51"):
        response = get(shop, ORDERS.format("cust-1002"), params={"limit": limit})
        assert (response.status_code, response.json()["error"]) == (400, "bad_request")


def test_an_unknown_customer_has_no_orders(shop):
    response = get(shop, ORDERS.format("cust-9999"))
    assert (response.status_code, response.json()) == (200, {"orders": []})


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-the-token"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}],
)
def test_a_request_without_the_shops_bearer_token_is_a_401(shop, headers):
    for path in (ORDERS.format("cust-1001"), f"{ORDERS.format('cust-1001')}/10234", "/nowhere"):
        response = get(shop, path, headers=headers)
        assert (response.status_code, response.json()) == (401, {"error": "unauthorized"})
    assert httpx.post(f"{shop.url}{ORDERS.format('cust-1001')}/10234/cancel", headers=headers).status_code == 401
    assert shop.orders["cust-1001"][0]["status"] == "processing"


def test_the_token_is_the_one_given_to_the_shop():
    shop = FakeShopApi(token="another-token").start()
    try:
        assert get(shop, ORDERS.format("cust-1001")).status_code == 401
        assert get(shop, ORDERS.format("cust-1001"), headers={"Authorization": "bearer another-token"}).is_success
    finally:
        shop.stop()


def test_cancelling_a_processing_order_cancels_it(shop):
    response = cancel(shop, "cust-1001", "10234", json={"reason": "Ordered the wrong colour"})
    assert (response.status_code, response.json()["id"], response.json()["status"]) == (200, "10234", "cancelled")
    assert get(shop, f"{ORDERS.format('cust-1001')}/10234").json()["status"] == "cancelled"
    assert shop.requests[0].json() == {"reason": "Ordered the wrong colour"}


def test_a_cancel_without_a_body_is_accepted_and_a_body_that_is_not_an_object_is_a_400(shop):
    assert cancel(shop, "cust-1002", "10240", content=b"[1]").status_code == 400
    assert cancel(shop, "cust-1002", "10240", content=b"{nope").status_code == 400
    assert cancel(shop, "cust-1002", "10240").json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("customer", "order", "error"),
    [("cust-1001", "10187", "already_shipped"), ("cust-1001", "9876", "already_shipped"),
     ("cust-1002", "8841", "already_cancelled")],
)  # fmt: skip
def test_only_a_processing_order_can_be_cancelled(shop, customer, order, error):
    before = get(shop, f"{ORDERS.format(customer)}/{order}").json()
    response = cancel(shop, customer, order)
    assert (response.status_code, response.json()) == (409, {"error": error})
    assert get(shop, f"{ORDERS.format(customer)}/{order}").json() == before


def test_cancelling_another_customers_order_is_a_404_and_changes_nothing(shop):
    response = cancel(shop, "cust-1002", "10234")
    assert (response.status_code, response.json()) == (404, {"error": "not_found"})
    assert get(shop, f"{ORDERS.format('cust-1001')}/10234").json()["status"] == "processing"


def test_a_cancelled_order_cannot_be_cancelled_again(shop):
    assert cancel(shop, "cust-1003", "10251").status_code == 200
    assert cancel(shop, "cust-1003", "10251").json() == {"error": "already_cancelled"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/api/customers/cust-1001"),
        ("GET", "/api/customers/cust-1001/orders/10234/cancel"),
        ("POST", "/api/customers/cust-1001/orders/10234"),
        ("DELETE", "/api/customers/cust-1001/orders/10234"),
        ("PUT", "/api/customers/cust-1001/orders/10234/cancel"),
        ("GET", "/api/customers/cust-1001/orders/10187%2Fcancel"),
        ("GET", "/api/customers/cust-1002/orders/../../cust-1001/orders/10234"),
    ],
)
def test_any_other_route_is_a_json_404(shop, method, path):
    answer = send_raw(shop, f"{method} {path} HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 404 ") and answer.endswith(b'{"error": "not_found"}')


def test_an_encoded_segment_is_read_as_one_segment(shop):
    assert get(shop, f"{ORDERS.format('cust%2D1001')}/%31%30%32%33%34").json()["id"] == "10234"


def test_requests_are_recorded_as_they_arrived(shop):
    path = "//api/customers/cust-1001/orders/..%2F10187?limit=2&x=%20"
    body = b'{"reason": "late"}'
    request = f"POST {path} HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\nX-Trace-ID: t-1\r\n"
    send_raw(shop, f"{request}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    [recorded] = shop.requests
    assert (recorded.method, recorded.path, recorded.body) == ("POST", path, body)
    assert recorded.headers == {"authorization": f"Bearer {TOKEN}", "x-trace-id": "t-1", "content-length": "18"}


def test_requests_from_many_threads_are_all_recorded(shop):
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: get(shop, f"{ORDERS.format('cust-1001')}/{i}").status_code, range(40)))
    assert statuses == [404] * 40
    assert sorted(r.path.rsplit("/", 1)[1] for r in shop.requests) == sorted(str(i) for i in range(40))


def test_error_mode_answers_a_json_500(shop):
    shop.mode = "error"
    response = get(shop, f"{ORDERS.format('cust-1001')}/10234")
    assert (response.status_code, response.json()) == (500, {"error": "internal"})


def test_garbage_mode_answers_a_200_that_is_not_json(shop):
    shop.mode = "garbage"
    response = get(shop, f"{ORDERS.format('cust-1001')}/10234")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_close_mode_hangs_up_without_an_answer(shop):
    shop.mode = "close"
    with pytest.raises(httpx.RemoteProtocolError):
        cancel(shop, "cust-1001", "10234")
    assert len(shop.requests) == 1
    shop.mode = "normal"
    assert get(shop, f"{ORDERS.format('cust-1001')}/10234").json()["status"] == "processing"


def test_delay_seconds_holds_each_answer_back(shop):
    shop.delay_seconds = 0.3
    with pytest.raises(httpx.ReadTimeout):
        get(shop, ORDERS.format("cust-1001"), timeout=0.1)
    started = time.monotonic()
    assert get(shop, ORDERS.format("cust-1001")).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_reset_restores_the_data_and_forgets_requests_and_knobs(shop):
    cancel(shop, "cust-1001", "10234")
    shop.mode, shop.delay_seconds = "error", 1.0
    shop.reset()
    assert (shop.requests, shop.mode, shop.delay_seconds) == ([], "normal", 0.0)
    assert get(shop, f"{ORDERS.format('cust-1001')}/10234").json()["status"] == "processing"


def test_every_demo_customer_has_a_cancellable_and_a_shipped_order_of_the_storefronts_products(shop):
    for customer in demo_customers():
        orders = get(shop, ORDERS.format(customer["id"])).json()["orders"]
        assert {"processing", "shipped"} <= {order["status"] for order in orders}
        for order in orders:
            assert re.fullmatch(r"[0-9]{4,6}", order["id"]) and order["currency"] == "USD"
            assert {item["name"] for item in order["items"]} <= set(PRICES)
            total = sum(PRICES[item["name"]] * item["quantity"] for item in order["items"])
            assert order["total"] == f"{total:.2f}"
            assert (order["shipment"] is None) == (order["status"] in ("processing", "cancelled"))


def test_the_command_serves_the_shop_on_the_given_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "devtools.fake_shop", "--port", str(port)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            assert f"demo shop API: http://127.0.0.1:{port} (customers cust-1001" in process.stdout.readline()
            response = httpx.get(f"http://127.0.0.1:{port}{ORDERS.format('cust-1001')}", headers=AUTH)
            assert response.json()["orders"][0]["id"] == "10234"
        finally:
            process.terminate()
