"""Sessions: creation, reading messages, erasure, and authorisation."""

from __future__ import annotations

import base64
import uuid

import sqlalchemy as sa

from shared.auth.tokens import hash_token
from tests.factories import NewSession


def test_create_session_returns_id_token_and_greeting(function_client):
    response = function_client("create_session").post("/")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"session_id", "session_token", "created_at", "greeting", "bot_name", "customer"}
    assert body["customer"] is None  # anonymous: no identity token was sent
    uuid.UUID(body["session_id"])
    assert len(base64.urlsafe_b64decode(body["session_token"] + "==")) * 8 >= 128
    assert body["greeting"]


def test_create_session_stores_only_a_hash_of_the_token(function_client, db):
    body = function_client("create_session").post("/", json={"locale": "en-GB", "attributes": {"page": "/pricing"}})
    stored = db.execute(
        sa.text("SELECT token_hash, locale, attributes FROM chat_sessions WHERE id = :id"),
        {"id": body.json["session_id"]},
    ).one()
    assert stored.token_hash == hash_token(body.json["session_token"])
    assert body.json["session_token"] not in stored.token_hash
    assert (stored.locale, stored.attributes) == ("en-GB", {"page": "/pricing"})


def test_get_messages_lists_the_conversation_in_order(function_client, chat_session: NewSession):
    post = function_client("post_message")
    for text in ("How do I reset my password?", "Do you ship to Canada?"):
        post.post("/", json={"session_id": str(chat_session.id), "content": text}, headers=chat_session.auth)
    response = function_client("get_messages").get(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert response.status_code == 200
    messages = response.json["messages"]
    assert [m["sender"] for m in messages] == ["user", "bot", "user", "bot"]
    assert [m["id"] for m in messages] == sorted(m["id"] for m in messages)
    assert response.json["session"] == {
        "status": "open",
        "state": "bot",
        "agent": None,
        "offer_contact": False,
        "summary": None,
    }


def test_get_messages_after_cursor_returns_only_newer_messages(function_client, chat_session: NewSession):
    post = function_client("post_message")
    first = post.post("/", json={"session_id": str(chat_session.id), "content": "hello"}, headers=chat_session.auth)
    post.post("/", json={"session_id": str(chat_session.id), "content": "track my order"}, headers=chat_session.auth)
    cursor = first.json["reply"]["id"]
    response = function_client("get_messages").get(
        f"/?session_id={chat_session.id}&after={cursor}", headers=chat_session.auth
    )
    assert response.json["messages"][0]["content"] == "track my order"
    assert all(m["id"] > cursor for m in response.json["messages"])


def test_wrong_token_missing_token_and_unknown_session_answer_alike(function_client, chat_session: NewSession):
    get = function_client("get_messages")
    wrong = get.get(f"/?session_id={chat_session.id}", headers={"Authorization": "Bearer not-the-token"})
    missing = get.get(f"/?session_id={chat_session.id}")
    unknown = get.get(f"/?session_id={uuid.uuid4()}", headers=chat_session.auth)
    assert wrong.status_code == missing.status_code == unknown.status_code == 401
    assert wrong.json == missing.json == unknown.json


def test_delete_session_erases_the_session_and_its_messages(function_client, chat_session: NewSession, db):
    function_client("post_message").post(
        "/", json={"session_id": str(chat_session.id), "content": "warranty?"}, headers=chat_session.auth
    )
    function_client("summarize_session").post("/", json={"session_id": str(chat_session.id)}, headers=chat_session.auth)
    response = function_client("delete_session").post(
        "/", json={"session_id": str(chat_session.id)}, headers=chat_session.auth
    )
    assert response.status_code == 204
    assert response.data == b""
    for table in ("chat_sessions", "messages", "session_summaries"):
        column = "id" if table == "chat_sessions" else "session_id"
        count = db.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": chat_session.id})
        assert count.scalar() == 0, table
    again = function_client("get_messages").get(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert again.status_code == 401


def test_delete_session_accepts_the_delete_method_with_a_query(function_client, chat_session: NewSession):
    response = function_client("delete_session").delete(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert response.status_code == 204


def test_delete_session_with_wrong_token_keeps_the_session(function_client, chat_session: NewSession):
    response = function_client("delete_session").post(
        "/", json={"session_id": str(chat_session.id)}, headers={"Authorization": "Bearer guess"}
    )
    assert response.status_code == 401
    still = function_client("get_messages").get(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert still.status_code == 200


def test_create_session_greets_in_the_sessions_language_while_the_greeting_is_the_default(function_client):
    body = function_client("create_session").post("/", json={"locale": "es-MX"}).get_json()
    assert body["greeting"].startswith("¡Hola! Soy Ivy")
    assert body["bot_name"] == "Ivy"


def test_create_session_keeps_the_shops_own_greeting_in_every_language(function_client, settings_env):
    settings_env(GREETING="Welcome to Acme!", BOT_NAME="Robo")
    body = function_client("create_session").post("/", json={"locale": "de-DE"}).get_json()
    assert (body["greeting"], body["bot_name"]) == ("Welcome to Acme!", "Robo")


def test_the_default_english_greeting_is_the_settings_default():
    from shared.core.settings import Settings
    from shared.services.sessions import DEFAULT_GREETINGS

    english = DEFAULT_GREETINGS["en"].format(bot="Ivy", company="InnovateTech")
    assert english == Settings.model_fields["greeting"].default
