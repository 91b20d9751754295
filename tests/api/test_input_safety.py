"""Input Postgres cannot hold is refused with a clear 422 before any SQL, never a 500."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

NUL, SURROGATE = "\u0000", "\ud800"
TOO_BIG = 2**63


def _raw_post(function_client, target, session, body: dict, **headers):
    # json.dumps writes the lone surrogate as the escape "\ud800", as an attacker's client would.
    return function_client(target).post(
        "/", data=json.dumps(body), content_type="application/json", headers={**session.auth, **headers}
    )


def _assert_422(response, field: str) -> None:
    assert response.status_code == 422, response.data
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert any(d["field"].startswith(field) for d in error["details"]), error


@pytest.mark.parametrize(
    "field, body",
    [
        ("content", {"content": f"card 4111{NUL}1111"}),
        ("content", {"content": f"hello {SURROGATE} there"}),
        ("client_message_id", {"content": "hello", "client_message_id": f"id{NUL}"}),
        ("client_message_id", {"content": "hello", "client_message_id": SURROGATE}),
    ],
)
def test_post_message_refuses_text_the_database_cannot_hold(function_client, chat_session, db, field, body):
    response = _raw_post(function_client, "post_message", chat_session, {"session_id": str(chat_session.id), **body})
    _assert_422(response, field)
    count = db.execute(sa.text("SELECT count(*) FROM messages WHERE session_id = :s"), {"s": chat_session.id})
    assert count.scalar() == 0


@pytest.mark.parametrize(
    "attributes",
    [{"page": f"/x{NUL}"}, {f"pa{NUL}ge": "/x"}, {"page": SURROGATE}],
)
def test_create_session_refuses_attributes_the_database_cannot_hold(function_client, chat_session, attributes):
    response = _raw_post(function_client, "create_session", chat_session, {"attributes": attributes})
    _assert_422(response, "attributes")


def test_feedback_comment_with_nul_is_a_422(function_client, chat_session):
    body = {"session_id": str(chat_session.id), "message_id": 1, "rating": "down", "comment": f"bad{NUL}"}
    _assert_422(_raw_post(function_client, "post_feedback", chat_session, body), "comment")


def test_feedback_message_id_beyond_bigint_is_a_422(function_client, chat_session):
    body = {"session_id": str(chat_session.id), "message_id": TOO_BIG, "rating": "up"}
    _assert_422(_raw_post(function_client, "post_feedback", chat_session, body), "message_id")


@pytest.mark.parametrize("after", [str(TOO_BIG), str(10**40)])
def test_get_messages_cursor_beyond_bigint_is_a_422(function_client, chat_session, after):
    response = function_client("get_messages").get(
        f"/?session_id={chat_session.id}&after={after}", headers=chat_session.auth
    )
    _assert_422(response, "after")


def test_query_string_with_nul_is_a_422(function_client, chat_session):
    response = function_client("get_messages").get(f"/?session_id={chat_session.id}%00", headers=chat_session.auth)
    _assert_422(response, "session_id")


def test_idempotency_key_header_with_nul_is_a_422(function_client, chat_session):
    body = {"session_id": str(chat_session.id), "content": "hello"}
    response = _raw_post(function_client, "post_message", chat_session, body, **{"Idempotency-Key": "k\x00"})
    assert response.status_code in (400, 422)
    assert response.json["error"]["code"] in ("bad_request", "validation_failed")


def test_unknown_fields_that_hold_nul_are_still_a_clean_422(function_client, chat_session):
    body = {"session_id": str(chat_session.id), "content": "hi", "extra": [1, {"deep": f"x{NUL}"}]}
    assert _raw_post(function_client, "post_message", chat_session, body).status_code == 422


@pytest.mark.parametrize(
    "content",
    [
        " \t\n ",
        "\u200b",
        "\ufeff",
        "\u202e",
        "\u200b\ufeff\u202e \u200d\u2060",
        "\u00a0\u3000\u2028",  # no-break, ideographic and line-separator spaces
        "\x07\x1b",  # control characters
        "\u3164\u2800",  # a Hangul filler and a blank Braille pattern: letters that draw nothing
        "\ufe0f\u034f",  # a variation selector and a grapheme joiner with nothing to join
        "\U000e0041\U000e0042",  # tag characters
    ],
)
def test_post_message_refuses_blank_or_invisible_only_text_before_storing_it(
    function_client, chat_session, db, content
):
    response = _raw_post(
        function_client, "post_message", chat_session, {"session_id": str(chat_session.id), "content": content}
    )
    _assert_422(response, "content")
    count = db.execute(sa.text("SELECT count(*) FROM messages WHERE session_id = :s"), {"s": chat_session.id})
    assert count.scalar() == 0


def test_two_invisible_messages_in_a_row_do_not_hand_the_conversation_over(function_client, chat_session, db):
    for content in ("\u200b", "\ufeff\u202e"):
        body = {"session_id": str(chat_session.id), "content": content}
        assert _raw_post(function_client, "post_message", chat_session, body).status_code == 422
    state = db.execute(sa.text("SELECT state FROM chat_sessions WHERE id = :s"), {"s": chat_session.id}).scalar()
    assert state == "bot"


@pytest.mark.parametrize("content", ["ok\u200b", "\u202eright to left", "\U0001f44d", "\u0301e", "日本"])
def test_text_with_something_visible_is_still_accepted(function_client, chat_session, content):
    body = {"session_id": str(chat_session.id), "content": content}
    assert _raw_post(function_client, "post_message", chat_session, body).status_code == 200
