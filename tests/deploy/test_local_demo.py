"""The demo shop beside `./dev run`: its settings, and `/demo/*`, which signs the storefront's customers in."""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from werkzeug.test import Client

from devtools import local_demo
from devtools.fake_identity import SECRET
from devtools.fake_shop import TOKEN
from devtools.serve import Dispatcher
from shared.auth.identity import verify_identity_token
from tests.deploy.test_local_run import LocalRun, start_local_run

SHOP_NAMES = (
    "SHOP_API_BASE",
    "SHOP_API_TOKEN",
    "ACTIONS_ALLOWED_HOSTS",
    "IDENTITY_SIGNING_SECRET",
    "IDENTITY_JWKS_URL",
)


@pytest.fixture
def demo(settings_env) -> Client:
    """The local run's dispatcher, in a local run that signs identity tokens with the demo secret."""
    settings_env(ENVIRONMENT="local", IDENTITY_SIGNING_SECRET=SECRET)
    return Client(Dispatcher({}))


@pytest.fixture
def bare_env(monkeypatch, tmp_path) -> None:
    """None of the demo shop's settings in the environment, and no `.env` (they come back afterwards)."""
    for name in SHOP_NAMES:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_the_demo_customers_are_listed(demo):
    response = demo.get("/demo/customers")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    customers = response.get_json()["customers"]
    assert [c["id"] for c in customers] == ["cust-1001", "cust-1002", "cust-1003"]
    assert all(set(c) == {"id", "name", "email"} for c in customers)


def test_signing_in_gives_a_half_hour_hs256_token_naming_the_customer(demo):
    response = demo.get("/demo/sign_in?customer=cust-1001")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    answer = response.get_json()
    assert answer["customer"] == {"id": "cust-1001", "name": "Ada Whitfield", "email": "ada.whitfield@example.com"}
    claims = jwt.decode(answer["identity_token"], SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["name"], claims["email"]) == tuple(answer["customer"].values())
    assert claims["exp"] - claims["iat"] == 30 * 60 and abs(claims["iat"] - time.time()) < 5
    assert verify_identity_token(answer["identity_token"]).customer_id == "cust-1001"


def test_the_token_carries_the_audience_and_issuer_the_bot_expects_and_lives_no_longer_than_allowed(demo, settings_env):
    settings_env(
        IDENTITY_AUDIENCE="support-widget", IDENTITY_ISSUER="https://shop.example", IDENTITY_MAX_TOKEN_MINUTES="10"
    )
    token = demo.get("/demo/sign_in?customer=cust-1002").get_json()["identity_token"]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="support-widget", issuer="https://shop.example")
    assert claims["exp"] - claims["iat"] == 10 * 60
    assert verify_identity_token(token).name == "Bruno Okafor"


@pytest.mark.parametrize("query", ["?customer=cust-9999", "?customer=", ""])
def test_signing_in_as_an_unknown_customer_is_a_json_404(demo, query):
    response = demo.get(f"/demo/sign_in{query}")
    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert response.get_json()["error"]["code"] == "not_found"


def test_other_demo_paths_are_404_and_other_methods_405(demo):
    assert demo.get("/demo/").status_code == demo.get("/demo/sign_in/cust-1001").status_code == 404
    response = demo.post("/demo/sign_in?customer=cust-1001")
    assert (response.status_code, response.get_json()["error"]["code"]) == (405, "method_not_allowed")


@pytest.mark.parametrize(
    "settings", [{"ENVIRONMENT": "test", "IDENTITY_SIGNING_SECRET": SECRET}, {"ENVIRONMENT": "local"}]
)
def test_outside_a_local_run_that_signs_with_a_secret_nobody_is_listed_and_nobody_signs_in(settings_env, settings):
    settings_env(**settings)
    client = Client(Dispatcher({}))
    assert client.get("/demo/customers").get_json() == {"customers": []}
    assert client.get("/demo/sign_in?customer=cust-1001").status_code == 404


def test_the_demo_shops_settings_point_the_bot_at_it():
    assert local_demo.shop_environment("http://127.0.0.1:8091", set()) == {
        "SHOP_API_BASE": "http://127.0.0.1:8091",
        "SHOP_API_TOKEN": TOKEN,
        "ACTIONS_ALLOWED_HOSTS": "127.0.0.1:8091",
        "IDENTITY_SIGNING_SECRET": SECRET,
    }


@pytest.mark.parametrize("configured", ["IDENTITY_SIGNING_SECRET", "IDENTITY_JWKS_URL"])
def test_an_identity_configuration_of_the_users_is_left_alone(configured):
    assert "IDENTITY_SIGNING_SECRET" not in local_demo.shop_environment("http://127.0.0.1:8091", {configured})


def test_a_setting_of_the_users_wins():
    values = local_demo.shop_environment("http://127.0.0.1:8091", {"SHOP_API_TOKEN", "ACTIONS_ALLOWED_HOSTS"})
    assert set(values) == {"SHOP_API_BASE", "IDENTITY_SIGNING_SECRET"}


def test_the_users_settings_are_read_from_the_environment_and_the_env_file(bare_env, monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_API_TOKEN", "mine")
    (tmp_path / ".env").write_text("# a comment\nidentity_jwks_url=https://shop.example/jwks.json\n")
    configured = local_demo.user_settings()
    assert {"SHOP_API_TOKEN", "IDENTITY_JWKS_URL"} <= configured and "SHOP_API_BASE" not in configured
    values = local_demo.shop_environment("http://127.0.0.1:8091", configured)
    assert set(values) == {"SHOP_API_BASE", "ACTIONS_ALLOWED_HOSTS"}


def test_start_serves_the_shop_and_sets_its_settings(bare_env, capsys):
    shop = local_demo.start(_free_port())
    assert shop is not None
    try:
        assert os.environ["SHOP_API_BASE"] == shop.url and os.environ["IDENTITY_SIGNING_SECRET"] == SECRET
        assert get_json(f"{shop.url}/api/customers/cust-1001/orders")["orders"]
        assert f"demo shop API: {shop.url} (customers cust-1001, cust-1002, cust-1003" in capsys.readouterr().out
    finally:
        shop.stop()


def test_start_leaves_the_demo_shop_out_when_the_user_names_a_shop_api(bare_env, monkeypatch):
    monkeypatch.setenv("SHOP_API_BASE", "https://staging.shop.example")
    assert local_demo.start(_free_port()) is None
    assert "SHOP_API_TOKEN" not in os.environ and "IDENTITY_SIGNING_SECRET" not in os.environ


def test_start_on_a_busy_default_port_serves_the_shop_on_another(bare_env, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        shop = local_demo.start(busy.getsockname()[1])
        assert shop is not None
        try:
            assert get_json(f"{shop.url}/api/customers/cust-1002/orders")["orders"]
            assert os.environ["SHOP_API_BASE"] == shop.url != f"http://127.0.0.1:{busy.getsockname()[1]}"
            assert "is taken, using another (--shop-port chooses one)" in capsys.readouterr().out
        finally:
            shop.stop()


def test_start_on_a_busy_chosen_port_stops_the_run(bare_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(SystemExit, match=f"cannot listen on 127.0.0.1:{busy.getsockname()[1]}"):
            local_demo.start(busy.getsockname()[1], chosen=True)


def get_json(url: str) -> dict:
    return httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).json()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def bare_run(project_root: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRun]:
    """`./dev run` as a developer starts it: local, with no shop API and no identity configured."""
    run = start_local_run(
        project_root,
        tmp_path_factory.mktemp("demo-run") / "serve.log",
        unset=("ENVIRONMENT", "ALLOWED_ORIGINS", "CONSOLE_ORIGINS", *SHOP_NAMES),
        DATABASE_URL=database_url,
    )
    yield run
    run.process.terminate()
    run.process.wait(timeout=30)


@pytest.mark.slow
def test_the_local_run_serves_the_demo_shop_and_accepts_its_own_demo_sign_in(bare_run):
    shop_url = re.search(r"demo shop API: (http://127\.0\.0\.1:\d+)", bare_run.output())
    assert shop_url, bare_run.output()
    beside = f"http://127.0.0.1:{int(bare_run.url.rsplit(':', 1)[1]) + local_demo.SHOP_PORT_OFFSET}"
    assert shop_url[1] == beside or "is taken, using another" in bare_run.output()
    assert get_json(f"{shop_url[1]}/api/customers/cust-1003/orders/10251")["status"] == "processing"

    token = httpx.get(f"{bare_run.url}/demo/sign_in", params={"customer": "cust-1003"}).json()["identity_token"]
    session = httpx.post(f"{bare_run.url}/create_session").json()
    identified = httpx.post(
        f"{bare_run.url}/identify",
        json={"session_id": session["session_id"], "identity_token": token},
        headers={"Authorization": f"Bearer {session['session_token']}"},
    )
    assert identified.status_code == 200, identified.text
    assert identified.json()["customer"]["customer_id"] == "cust-1003"
