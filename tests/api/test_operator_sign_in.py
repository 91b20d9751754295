"""Operators sign in with Google (verified for real against a local issuer) or, in a local run only, by email."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time

import pytest

from devtools.fake_issuer import FakeIssuer
from shared.services import operators
from tests.factories import new_operator

CLIENT_ID = "1234-console.apps.googleusercontent.com"


@pytest.fixture(scope="module")
def issuer():
    fake = FakeIssuer().start()
    yield fake
    fake.stop()


@pytest.fixture
def google(issuer, settings_env):
    settings_env(GOOGLE_OAUTH_CLIENT_ID=CLIENT_ID, GOOGLE_CERTS_URL=issuer.certs_url)
    return issuer


def _sign_in(function_client, body):
    return function_client("operator_api").post("/sign-in", json=body)


def test_a_valid_google_token_of_an_operator_signs_in(function_client, google):
    agent = new_operator()
    response = _sign_in(function_client, {"id_token": google.issue(audience=CLIENT_ID, email=agent.email.upper())})
    assert response.status_code == 200
    body = response.json
    assert body["operator"]["email"] == agent.email and len(body["token"]) >= 40
    me = function_client("operator_api").get("/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json["display_name"] == agent.name


@pytest.mark.parametrize(
    "problem, status",
    [
        ("expired", 401),
        ("wrong audience", 401),
        ("unverified email", 401),
        ("other issuer", 401),
        ("forged", 401),
        ("unknown operator", 403),
        ("removed operator", 403),
    ],
)
def test_google_tokens_that_must_not_sign_in(function_client, google, problem, status):
    agent = new_operator()
    now = int(time.time())
    tokens = {
        "expired": lambda: google.issue(audience=CLIENT_ID, email=agent.email, iat=now - 7200, exp=now - 3600),
        "wrong audience": lambda: google.issue(audience="someone-else", email=agent.email),
        "unverified email": lambda: google.issue(audience=CLIENT_ID, email=agent.email, email_verified=False),
        "other issuer": lambda: google.issue(audience=CLIENT_ID, email=agent.email, iss="https://evil.example"),
        "forged": lambda: FakeIssuer().issue(audience=CLIENT_ID, email=agent.email),
        "unknown operator": lambda: google.issue(audience=CLIENT_ID, email="stranger@elsewhere.example"),
        "removed operator": lambda: google.issue(audience=CLIENT_ID, email=agent.email),
    }
    if problem == "removed operator":
        operators.remove_operator(agent.email)
    response = _sign_in(function_client, {"id_token": tokens[problem]()})
    assert response.status_code == status
    assert "token" not in response.json


def test_a_workspace_domain_restricts_who_signs_in(function_client, google, settings_env):
    settings_env(GOOGLE_WORKSPACE_DOMAIN="team.example")
    agent = new_operator()
    outside = google.issue(audience=CLIENT_ID, email=agent.email)
    inside = google.issue(audience=CLIENT_ID, email=agent.email, hd="team.example")
    assert _sign_in(function_client, {"id_token": outside}).status_code == 403
    assert _sign_in(function_client, {"id_token": inside}).status_code == 200


def test_local_sign_in_works_only_in_a_local_run(function_client, settings_env):
    agent = new_operator()
    assert _sign_in(function_client, {"local_email": agent.email}).status_code == 403  # ENVIRONMENT=test
    settings_env(ENVIRONMENT="local")
    assert _sign_in(function_client, {"local_email": agent.email}).status_code == 200
    settings_env(
        ENVIRONMENT="production",
        ALLOWED_ORIGINS="https://shop.example",
        CONSOLE_ORIGINS="https://support.shop.example",
        SCHEDULER_AUDIENCE="https://x.example/purge_expired",
        SCHEDULER_SERVICE_ACCOUNT="scheduler@x.iam.gserviceaccount.com",
    )
    assert _sign_in(function_client, {"local_email": agent.email}).status_code == 403


def test_send_exactly_one_way_of_signing_in(function_client):
    assert _sign_in(function_client, {}).status_code == 422
    assert _sign_in(function_client, {"local_email": "a@b.example", "id_token": "x"}).status_code == 422


def test_an_expired_operator_token_stops_working(function_client, settings_env):
    settings_env(ENVIRONMENT="local", OPERATOR_TOKEN_HOURS="0.0003")  # about a second
    agent = new_operator()
    token = _sign_in(function_client, {"local_email": agent.email}).json["token"]
    time.sleep(1.3)
    assert function_client("operator_api").get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_operators_command_adds_lists_and_removes(project_root, database_url):
    email = f"{secrets.token_hex(4)}@team.example"
    env = {**os.environ, "DATABASE_URL": database_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shared.cli", "operators", *args],
            cwd=project_root,
            env=env,
            capture_output=True,
            text=True,
        )

    added = run("add", email, "--role", "admin", "--name", "Dana Lee")
    assert added.returncode == 0, added.stderr
    assert f"{email}\tadmin\tDana Lee\tactive" in run("list").stdout
    assert run("remove", email).returncode == 0
    assert f"{email}\tadmin\tDana Lee\tremoved" in run("list").stdout
    assert run("remove", "nobody@nowhere.example").returncode == 1


def test_the_first_person_to_sign_in_to_a_fresh_local_console_becomes_its_admin(function_client, settings_env, db):
    import sqlalchemy as sa

    settings_env(ENVIRONMENT="local")
    db.execute(sa.text("UPDATE operators SET active = false"))
    email = f"{secrets.token_hex(4)}@shop.example"
    first = _sign_in(function_client, {"local_email": email})
    assert first.status_code == 200 and first.json["operator"]["role"] == "admin"
    assert _sign_in(function_client, {"local_email": f"x{email}"}).status_code == 403


# ---- who may sign in, and from where ---------------------------------------------------------------
@pytest.mark.parametrize("peer", ["203.0.113.7", "10.0.0.5", "172.17.0.1"])
def test_local_email_sign_in_answers_only_the_loopback_peer(function_client, settings_env, peer):
    settings_env(ENVIRONMENT="local", TRUSTED_PROXY_HOPS="1")
    agent = new_operator()
    spoofed = {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1", "Forwarded": "for=127.0.0.1"}
    response = function_client("operator_api").post(
        "/sign-in", json={"local_email": agent.email}, headers=spoofed, environ_overrides={"REMOTE_ADDR": peer}
    )
    assert response.status_code == 403 and "token" not in response.json


@pytest.mark.parametrize("peer", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_local_email_sign_in_works_from_this_machine(function_client, settings_env, peer):
    settings_env(ENVIRONMENT="local")
    agent = new_operator()
    response = function_client("operator_api").post(
        "/sign-in", json={"local_email": agent.email}, environ_overrides={"REMOTE_ADDR": peer}
    )
    assert response.status_code == 200


def test_with_environment_unset_email_sign_in_is_refused(function_client, settings_env, monkeypatch):
    settings_env(
        ALLOWED_ORIGINS="https://shop.example",
        CONSOLE_ORIGINS="https://support.shop.example",
        SCHEDULER_AUDIENCE="https://x.example/purge_expired",
        SCHEDULER_SERVICE_ACCOUNT="scheduler@x.iam.gserviceaccount.com",
    )
    monkeypatch.delenv("ENVIRONMENT")
    agent = new_operator()
    response = _sign_in(function_client, {"local_email": agent.email})
    assert response.status_code == 403 and "token" not in response.json
    options = function_client("operator_api").get("/sign-in-options").json
    assert options["email"] is False and options["first_sign_in_becomes_admin"] is False


def test_sign_in_options_say_who_may_sign_in(function_client, settings_env, db):
    import sqlalchemy as sa

    settings_env(ENVIRONMENT="local")
    client = function_client("operator_api")
    new_operator()
    assert client.get("/sign-in-options").json == {
        "google_client_id": None,
        "workspace_domain": None,
        "email": True,
        "first_sign_in_becomes_admin": False,
    }
    db.execute(sa.text("UPDATE operators SET active = false"))
    assert client.get("/sign-in-options").json["first_sign_in_becomes_admin"] is True
    from_elsewhere = client.get("/sign-in-options", environ_overrides={"REMOTE_ADDR": "203.0.113.7"}).json
    assert from_elsewhere["email"] is False and from_elsewhere["first_sign_in_becomes_admin"] is False
    settings_env(ENVIRONMENT="test", GOOGLE_OAUTH_CLIENT_ID=CLIENT_ID, GOOGLE_WORKSPACE_DOMAIN="team.example")
    assert client.get("/sign-in-options").json == {
        "google_client_id": CLIENT_ID,
        "workspace_domain": "team.example",
        "email": False,
        "first_sign_in_becomes_admin": False,
    }
