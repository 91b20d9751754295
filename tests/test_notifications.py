"""Handover notifications: written with the handover, delivered to Slack and a signed webhook, never lost."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from devtools.fake_webhook import FakeWebhook
from shared.notify import sign
from tests.factories import new_session

SECRET = "test-signing-secret"


@pytest.fixture
def receivers(settings_env):
    slack, hook = FakeWebhook().start(), FakeWebhook().start()
    settings_env(
        SLACK_WEBHOOK_URL=slack.url("/slack"),
        NOTIFY_WEBHOOK_URL=hook.url("/hook"),
        NOTIFY_WEBHOOK_SECRET=SECRET,
        CONSOLE_URL="http://console.example/console",
    )
    yield slack, hook
    slack.stop()
    hook.stop()


def _hand_over(function_client, session, text="I want to talk to a person, my order 4411 never came"):
    body = {"session_id": str(session.id), "content": text}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def _outbox(db, session_id):
    return db.execute(
        sa.text("SELECT kind, attempts, delivered_at, last_error FROM outbox WHERE session_id = :s ORDER BY kind"),
        {"s": session_id},
    ).all()


def test_a_handover_reaches_slack_and_the_signed_webhook_with_a_summary(function_client, receivers, db):
    slack, hook = receivers
    session = new_session()
    _hand_over(function_client, session)
    [slack_post], [hook_post] = slack.received, hook.received
    assert "New conversation waiting for a person" in slack_post.json["text"]
    assert f"http://console.example/console#/conversations/{session.id}" in slack_post.json["text"]
    event = hook_post.json
    assert event["event"] == "conversation.handed_over" and event["conversation_id"] == str(session.id)
    assert event["reason_kind"] == "person" and "4411" in event["summary"]
    signature = sign(SECRET, hook_post.headers["x-support-timestamp"], hook_post.body)
    assert hook_post.headers["x-support-signature"] == signature
    assert all(row.delivered_at is not None for row in _outbox(db, session.id))
    summary = db.execute(sa.text("SELECT content FROM session_summaries WHERE session_id = :s"), {"s": session.id})
    assert "4411" in summary.scalar()


def test_a_receiver_that_fails_first_gets_the_notification_later_and_nothing_is_lost(function_client, receivers, db):
    _, hook = receivers
    hook.fail_first = 1
    session = new_session()
    _hand_over(function_client, session)
    assert hook.received == []
    rows = {row.kind: row for row in _outbox(db, session.id)}
    assert rows["webhook"].delivered_at is None and "503" in rows["webhook"].last_error
    assert rows["slack"].delivered_at is not None
    db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
    report = function_client("deliver_notifications").post("/").json
    assert report["delivered"] >= 1
    assert [json.loads(r.body)["conversation_id"] for r in hook.received] == [str(session.id)]
    assert all(row.delivered_at is not None for row in _outbox(db, session.id))


def test_a_receiver_that_is_down_is_retried_with_growing_backoff(function_client, settings_env, db):
    settings_env(SLACK_WEBHOOK_URL="http://127.0.0.1:9/unreachable")
    session = new_session()
    _hand_over(function_client, session)
    [row] = _outbox(db, session.id)
    assert row.delivered_at is None and row.attempts == 1
    delays = []
    for _ in range(3):
        db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
        function_client("deliver_notifications").post("/")
        wait = db.execute(
            sa.text("SELECT extract(epoch FROM next_attempt_at - now()) FROM outbox WHERE session_id = :s"),
            {"s": session.id},
        ).scalar()
        delays.append(float(wait))
    assert delays[0] < delays[1] < delays[2]


def test_without_targets_a_handover_writes_no_outbox_rows(function_client, db):
    session = new_session()
    _hand_over(function_client, session)
    assert _outbox(db, session.id) == []


def test_erasing_the_conversation_erases_its_pending_notifications(function_client, settings_env, db):
    settings_env(SLACK_WEBHOOK_URL="http://127.0.0.1:9/unreachable")
    session = new_session()
    _hand_over(function_client, session)
    function_client("delete_session").post("/", json={"session_id": str(session.id)}, headers=session.auth)
    assert _outbox(db, session.id) == []


def test_a_webhook_without_its_secret_is_refused_at_start():
    from shared.settings import Settings

    with pytest.raises(ValueError, match="NOTIFY_WEBHOOK_SECRET"):
        Settings(notify_webhook_url="https://example.com/hook")
