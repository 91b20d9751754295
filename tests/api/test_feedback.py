"""Thumbs up or down on the bot's replies."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import new_session


def _exchange(function_client, session):
    return (
        function_client("post_message")
        .post("/", json={"session_id": str(session.id), "content": "How do I reset my password?"}, headers=session.auth)
        .json
    )


def _rate(function_client, session, message_id, rating, **extra):
    body = {"session_id": str(session.id), "message_id": message_id, "rating": rating, **extra}
    return function_client("post_feedback").post("/", json=body, headers=session.auth)


def test_rating_a_reply_stores_it_and_rating_again_replaces_it(function_client, chat_session, db):
    reply_id = _exchange(function_client, chat_session)["reply"]["id"]
    assert _rate(function_client, chat_session, reply_id, "down", comment="too vague").status_code == 204
    assert _rate(function_client, chat_session, reply_id, "up").status_code == 204
    row = db.execute(sa.text("SELECT rating, comment FROM message_feedback WHERE message_id = :id"), {"id": reply_id})
    assert tuple(row.one()) == ("up", None)


def test_only_the_bots_replies_can_be_rated(function_client, chat_session):
    user_id = _exchange(function_client, chat_session)["user_message"]["id"]
    response = _rate(function_client, chat_session, user_id, "up")
    assert response.status_code == 422


def test_another_sessions_reply_cannot_be_rated(function_client, chat_session):
    reply_id = _exchange(function_client, chat_session)["reply"]["id"]
    response = _rate(function_client, new_session(), reply_id, "down")
    assert response.status_code == 422


def test_rating_needs_the_session_token(function_client, chat_session):
    reply_id = _exchange(function_client, chat_session)["reply"]["id"]
    body = {"session_id": str(chat_session.id), "message_id": reply_id, "rating": "up"}
    response = function_client("post_feedback").post("/", json=body, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_a_rating_must_be_up_or_down(function_client, chat_session):
    reply_id = _exchange(function_client, chat_session)["reply"]["id"]
    assert _rate(function_client, chat_session, reply_id, "meh").status_code == 422
