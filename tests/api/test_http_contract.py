"""Bad input gets a clear JSON error with the right status, for every function; CORS and logs."""

from __future__ import annotations

import json

import pytest

import main

POST_FUNCTIONS = ["create_session", "post_message", "summarize_session", "delete_session", "post_feedback"]
BODY_FUNCTIONS = ["post_message", "summarize_session", "delete_session", "post_feedback"]


def _valid_body(target: str, session) -> dict:
    extra = {"post_message": {"content": "hello"}, "post_feedback": {"message_id": 1, "rating": "up"}}
    return {} if target == "create_session" else {"session_id": str(session.id), **extra.get(target, {})}


def _assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("target", POST_FUNCTIONS)
def test_malformed_json_is_a_400(function_client, chat_session, target):
    response = function_client(target).post(
        "/", data="{not json", content_type="application/json", headers=chat_session.auth
    )
    _assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("target", POST_FUNCTIONS)
def test_wrong_content_type_is_a_415(function_client, chat_session, target):
    response = function_client(target).post(
        "/", data="session_id=1", content_type="text/plain", headers=chat_session.auth
    )
    _assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("target", main.ENTRY_POINTS)
def test_wrong_method_is_a_405_with_allow_header(function_client, target):
    response = function_client(target).patch("/", json={})
    _assert_error(response, 405, "method_not_allowed")
    assert "OPTIONS" in response.headers["Allow"]


@pytest.mark.parametrize("target", BODY_FUNCTIONS)
def test_missing_body_is_a_422(function_client, chat_session, target):
    response = function_client(target).post("/", headers=chat_session.auth)
    _assert_error(response, 422, "validation_failed")


@pytest.mark.parametrize("target", POST_FUNCTIONS)
def test_unknown_fields_are_a_422(function_client, chat_session, target):
    body = {**_valid_body(target, chat_session), "surprise": True}
    response = function_client(target).post("/", json=body, headers=chat_session.auth)
    _assert_error(response, 422, "validation_failed")
    assert any(d["field"] == "surprise" for d in response.json["error"]["details"])


@pytest.mark.parametrize("body", [[], "text", 3])
def test_json_that_is_not_an_object_is_a_422(function_client, chat_session, body):
    response = function_client("post_message").post(
        "/", data=json.dumps(body), content_type="application/json", headers=chat_session.auth
    )
    _assert_error(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "content, field_message",
    [(None, "content"), ("", "visible text"), ("   ", "visible text"), ("x" * 2001, "2000"), (42, "content")],
)
def test_missing_empty_or_too_long_content_is_a_422(function_client, chat_session, content, field_message):
    body = {"session_id": str(chat_session.id)}
    if content is not None:
        body["content"] = content
    response = function_client("post_message").post("/", json=body, headers=chat_session.auth)
    _assert_error(response, 422, "validation_failed")
    assert field_message in json.dumps(response.json["error"])


def test_message_length_limit_comes_from_settings(function_client, chat_session, settings_env):
    settings_env(MAX_MESSAGE_CHARS="10")
    response = function_client("post_message").post(
        "/", json={"session_id": str(chat_session.id), "content": "x" * 11}, headers=chat_session.auth
    )
    _assert_error(response, 422, "validation_failed")


@pytest.mark.parametrize("query", ["", "session_id=not-a-uuid", "session_id={sid}&after=-1", "session_id={sid}&x=1"])
def test_bad_get_messages_query_is_a_422(function_client, chat_session, query):
    response = function_client("get_messages").get("/?" + query.format(sid=chat_session.id), headers=chat_session.auth)
    _assert_error(response, 422, "validation_failed")


def test_oversized_body_is_a_413(function_client, chat_session):
    response = function_client("post_message").post(
        "/", data="x" * 70_000, content_type="application/json", headers=chat_session.auth
    )
    _assert_error(response, 413, "payload_too_large")


@pytest.mark.parametrize("target", BODY_FUNCTIONS)
def test_missing_token_is_a_401(function_client, chat_session, target):
    body = _valid_body(target, chat_session)
    response = function_client(target).post("/", json=body)
    _assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("target", main.ENTRY_POINTS)
def test_preflight_is_answered_by_the_function(function_client, target):
    response = function_client(target).options(
        "/", headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_only_listed_origins_are_allowed(function_client, settings_env):
    settings_env(ALLOWED_ORIGINS="https://shop.example, https://www.shop.example")
    client = function_client("create_session")
    allowed = client.options("/", headers={"Origin": "https://shop.example"})
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.options("/", headers={"Origin": "https://evil.example"})
    _assert_error(refused, 403, "forbidden")
    post = client.post("/", headers={"Origin": "https://evil.example"})
    _assert_error(post, 403, "forbidden")
    assert "Access-Control-Allow-Origin" not in post.headers


def test_each_request_logs_one_json_line_with_trace_and_no_customer_text(
    function_client, chat_session, capsys, settings_env
):
    settings_env(GOOGLE_CLOUD_PROJECT="acme-support")
    capsys.readouterr()
    function_client("post_message").post(
        "/",
        json={"session_id": str(chat_session.id), "content": "my secret order 12345"},
        headers={**chat_session.auth, "X-Cloud-Trace-Context": "0af7651916cd43dd8448eb211c80319c/1;o=1"},
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    request_lines = [entry for entry in lines if entry.get("function") == "post_message"]
    assert len(request_lines) == 1
    entry = request_lines[0]
    assert entry["severity"] == "INFO"
    assert entry["logging.googleapis.com/trace"] == "projects/acme-support/traces/0af7651916cd43dd8448eb211c80319c"
    assert entry["httpRequest"]["status"] == 200
    assert entry["httpRequest"]["latency"].endswith("s")
    assert "12345" not in json.dumps(lines)


def test_a_disallowed_origin_is_refused_on_every_request_and_nothing_happens(function_client, settings_env, db):
    import sqlalchemy as sa

    from tests.factories import new_session

    session = new_session()
    settings_env(ALLOWED_ORIGINS="https://shop.example")
    evil = {"Origin": "https://evil.example"}
    before = db.execute(sa.text("SELECT count(*) FROM chat_sessions")).scalar()
    created = function_client("create_session").post("/", headers=evil)
    _assert_error(created, 403, "forbidden")
    assert db.execute(sa.text("SELECT count(*) FROM chat_sessions")).scalar() == before
    deleted = function_client("delete_session").post(
        "/", json={"session_id": str(session.id)}, headers={**session.auth, **evil}
    )
    _assert_error(deleted, 403, "forbidden")
    assert db.execute(sa.text("SELECT count(*) FROM chat_sessions WHERE id = :s"), {"s": session.id}).scalar() == 1


def test_requests_without_an_origin_are_server_to_server_and_allowed(function_client, settings_env):
    settings_env(ALLOWED_ORIGINS="https://shop.example")
    assert function_client("create_session").post("/").status_code == 201
    allowed = function_client("create_session").post("/", headers={"Origin": "https://shop.example"})
    assert allowed.status_code == 201
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Retry-After" in allowed.headers["Access-Control-Expose-Headers"]


def test_a_validators_message_reads_as_written_without_the_libraries_prefix(function_client, chat_session):
    body = {"session_id": str(chat_session.id), "content": "\u200b"}
    response = function_client("post_message").post("/", json=body, headers=chat_session.auth)
    [detail] = response.json["error"]["details"]
    assert detail == {"field": "content", "message": "must contain visible text"}
