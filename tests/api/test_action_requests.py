"""The request an action sends keeps its template's shape, goes only where it is allowed, and the file is checked."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest

from devtools import local_server
from devtools.fake_shop import FakeShopApi
from shared.actions import arguments
from shared.actions.catalogue import ActionsFileInvalid, parsed
from shared.actions.requests import Caller, built
from shared.clients import shop as shop_client
from shared.clients.shop import OutgoingRequest


def _action(**overrides):
    action = {
        "name": "lookup",
        "description": "Look a thing up",
        "parameters": {"type": "object", "required": ["ref"], "properties": {"ref": {"type": "string"}}},
        "request": {"method": "GET", "url": "https://shop.example/api/customers/{customer.id}/things/{ref}?x=1"},
        "requires": "verified_customer",
    }
    return parsed({"actions": [{**action, **overrides}]})[0]


@pytest.mark.parametrize(
    "value", ["../..", "a/b", "%2F..", "x@evil.example", "a?admin=1", "a#frag", "a\r\nHost: evil", "é/ü", "x" * 200]
)
def test_a_value_stays_inside_its_path_segment(value):
    action = _action()
    try:
        checked = arguments.validated(action, {"ref": value})
    except arguments.ArgumentInvalid:
        return  # refused before any request: as good
    url = built(action, checked, Caller("cust-1")).url
    parts = urlsplit(url)
    assert parts.hostname == "shop.example" and parts.query == "x=1" and not parts.fragment
    assert parts.path.count("/") == 5 and parts.path.startswith("/api/customers/cust-1/things/")
    assert "\r" not in url and "\n" not in url


@pytest.mark.parametrize("value", [".", ".."])
def test_a_dot_segment_is_refused(value):
    with pytest.raises(arguments.ArgumentInvalid):
        arguments.validated(_action(), {"ref": value})


def test_values_are_checked_by_pattern_enum_and_length():
    action = _action(
        parameters={
            "type": "object",
            "required": ["order_id", "reason"],
            "properties": {
                "order_id": {"type": "string", "pattern": "^[0-9]{4,10}$"},
                "reason": {"type": "string", "enum": ["late", "damaged"]},
            },
        },
        request={"method": "GET", "url": "https://shop.example/{customer.id}/{order_id}/{reason}"},
    )
    assert arguments.validated(action, {"order_id": "1234", "reason": "late"}) == {"order_id": "1234", "reason": "late"}
    for bad in ({"order_id": "12", "reason": "late"}, {"order_id": "1234", "reason": "other"}, {"order_id": "1234"}):
        with pytest.raises(arguments.ArgumentInvalid):
            arguments.validated(action, bad)
    with pytest.raises(arguments.ArgumentInvalid):
        arguments.validated(action, {"order_id": "1234", "reason": "late", "customer_id": "cust-2"})


def test_a_parameter_is_found_in_a_message_by_its_pattern_as_a_whole_token():
    spec = _action(
        parameters={"type": "object", "required": ["order_id"],
                    "properties": {"order_id": {"type": "string", "pattern": "^[0-9]{4,10}$"}}},
        request={"method": "GET", "url": "https://shop.example/{customer.id}/{order_id}"},
    ).parameters.properties["order_id"]  # fmt: skip
    assert arguments.candidates(spec, "where is order #48213?") == ("48213",)
    assert arguments.candidates(spec, "call me on 555-010 or at 1234567890123") == ()
    assert arguments.candidates(spec, "orders 1234 and 5678, or 1234") == ("1234", "5678")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"request": {"method": "GET", "url": "https://{ref}.example/x"}}, "host"),
        ({"request": {"method": "GET", "url": "https://shop.example/{secret}"}}, "unknown placeholders"),
        ({"requires": None}, "verified_customer"),
        ({"request": {"method": "GET", "url": "https://shop.example/{customer.id}", "body": {"a": "b"}}}, "body"),
        ({"request": {"method": "GET", "url": "ftp://shop.example/{customer.id}"}}, "http"),
        ({"request": {"method": "GET", "url": "https://user:pw@shop.example/{customer.id}"}}, "credentials"),
    ],
)
def test_an_actions_file_with_a_mistake_is_refused_naming_it(change, problem):
    with pytest.raises(ActionsFileInvalid, match=problem):
        _action(**change)


def test_a_write_always_waits_for_confirmation():
    write = _action(request={"method": "POST", "url": "https://shop.example/{customer.id}/{ref}"}, confirm=False)
    assert write.writes


def test_the_repositorys_actions_file_is_valid(project_root, monkeypatch):
    monkeypatch.setenv("SHOP_API_BASE", "https://shop.example")
    names = [action.name for action in parsed(json.loads((project_root / "actions.json").read_text()))]
    assert names == ["order_status", "recent_orders", "cancel_order"]


@pytest.fixture(scope="module")
def shop_api():
    shop = FakeShopApi().start()
    yield shop
    shop.stop()


def _get(url: str, allowed: list[str]) -> shop_client.ShopResponse:
    request = OutgoingRequest("GET", url, {"Authorization": "Bearer local-shop-token"}, None)
    return shop_client.send(request, allowed_hosts=allowed, timeout=2)


def test_only_listed_hosts_are_called_and_a_loopback_one_only_with_its_port(shop_api):
    shop_api.reset()
    url = f"{shop_api.url}/api/customers/cust-1001/orders/10187"
    host_port = shop_api.url.removeprefix("http://")
    assert _get(url, [host_port]).ok
    assert _get(url, ["127.0.0.1"]).failure == "refused_host"  # http, and loopback, without a port
    assert _get(url, []).failure == "refused_host"
    assert _get(url.replace("127.0.0.1", "localhost"), [host_port]).failure == "refused_host"
    assert len(shop_api.requests) == 1


def test_a_public_name_that_resolves_to_a_private_address_is_refused():
    assert _get("https://localhost/x", ["localhost"]).failure == "refused_host"


def test_a_redirect_is_a_failure_and_is_not_followed():
    def redirect(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "http://169.254.169.254/latest/meta-data")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = local_server.serve(get=redirect)
    try:
        host = f"127.0.0.1:{server.server_address[1]}"
        assert _get(f"http://{host}/x", [host]).failure == "redirect"
    finally:
        local_server.stop(server)


def test_not_found_and_server_errors_are_told_apart(shop_api):
    shop_api.reset()
    host = shop_api.url.removeprefix("http://")
    assert _get(f"{shop_api.url}/api/customers/cust-1001/orders/55555", [host]).failure == "not_found"
    shop_api.mode = "error"
    assert _get(f"{shop_api.url}/api/customers/cust-1001/orders/10187", [host]).failure == "server_error"
    shop_api.mode = "garbage"
    assert _get(f"{shop_api.url}/api/customers/cust-1001/orders/10187", [host]).failure == "garbage"
    shop_api.reset()
