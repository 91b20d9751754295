"""Notifications: handovers to Slack and a signed webhook, unread agent replies by e-mail; never lost."""

from __future__ import annotations

import json
import re
import secrets

import pytest
import sqlalchemy as sa

from devtools.fake_smtp import FakeSmtp
from devtools.fake_webhook import FakeWebhook
from shared.clients.webhooks import sign
from tests.factories import new_operator, new_session

SECRET = "test-signing-secret"


@pytest.fixture(autouse=True)
def quiet_outbox(db):
    """What other tests queued is not this test's to deliver (its receivers would get it)."""
    db.execute(sa.text("UPDATE outbox SET delivered_at = now() WHERE delivered_at IS NULL"))


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


def _handed_over_and_followed_up(function_client, session):
    """The customer's request hands over; the scheduled delivery writes the summary and notifies the team."""
    _hand_over(function_client, session)
    return function_client("deliver_notifications").post("/").json


def _outbox(db, session_id):
    """The deliveries queued for a conversation (not the handover's follow-up row)."""
    return db.execute(
        sa.text(
            "SELECT kind, attempts, delivered_at, last_error FROM outbox "
            "WHERE session_id = :s AND kind <> 'handover' ORDER BY kind"
        ),
        {"s": session_id},
    ).all()


def test_a_handover_reaches_slack_and_the_signed_webhook_with_a_summary(function_client, receivers, db):
    slack, hook = receivers
    session = new_session()
    _hand_over(function_client, session)
    assert slack.received == hook.received == [] and _outbox(db, session.id) == []  # nothing in the request
    report = function_client("deliver_notifications").post("/").json
    assert report == {"handovers": 1, "delivered": 2, "failed": 0}
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
    _handed_over_and_followed_up(function_client, session)
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
    _handed_over_and_followed_up(function_client, session)
    [row] = _outbox(db, session.id)
    assert row.delivered_at is None and row.attempts == 1
    delays = []
    for _ in range(3):
        db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
        function_client("deliver_notifications").post("/")
        wait = db.execute(
            sa.text(
                "SELECT extract(epoch FROM next_attempt_at - now()) FROM outbox "
                "WHERE session_id = :s AND kind = 'slack'"
            ),
            {"s": session.id},
        ).scalar()
        delays.append(float(wait))
    assert delays[0] < delays[1] < delays[2]


def test_without_targets_a_handover_is_summarised_and_queues_no_deliveries(function_client, db):
    session = new_session()
    assert _handed_over_and_followed_up(function_client, session)["handovers"] == 1
    assert _outbox(db, session.id) == []
    summary = db.execute(sa.text("SELECT content FROM session_summaries WHERE session_id = :s"), {"s": session.id})
    assert "4411" in summary.scalar()


def test_a_follow_up_whose_lease_lapsed_queues_its_deliveries_once(function_client, receivers, db):
    slack, hook = receivers
    session = new_session()
    _hand_over(function_client, session)
    from shared.db import outbox
    from shared.db.engine import connection
    from shared.services import _handover

    with connection() as conn:  # a run that claims the follow-up, then stalls past its lease
        [stalled] = outbox.claim_due(conn, limit=100, follow_ups=True, lease_seconds=0)
    assert function_client("deliver_notifications").post("/").json["handovers"] == 1
    assert _handover.follow_up(stalled) is False
    assert [row.kind for row in _outbox(db, session.id)] == ["slack", "webhook"]
    assert len(slack.received) == len(hook.received) == 1


def test_erasing_the_conversation_erases_its_pending_notifications(function_client, settings_env, db):
    settings_env(SLACK_WEBHOOK_URL="http://127.0.0.1:9/unreachable")
    session = new_session()
    _handed_over_and_followed_up(function_client, session)
    assert _outbox(db, session.id)
    function_client("delete_session").post("/", json={"session_id": str(session.id)}, headers=session.auth)
    assert _outbox(db, session.id) == []


def test_a_webhook_without_its_secret_is_refused_at_start():
    from shared.core.settings import Settings

    with pytest.raises(ValueError, match="NOTIFY_WEBHOOK_SECRET"):
        Settings(notify_webhook_url="https://example.com/hook")


# Reply e-mails: an agent's reply the customer has not read in the widget goes to the address they left.

SENDER = "support@shop.example"
CHAT_PAGE = "https://shop.example/help"


def _smtp_settings(settings_env, server, **more):
    settings_env(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(server.port),
        SMTP_SECURITY="none",
        SMTP_FROM=SENDER,
        SUPPORT_PAGE_URL=CHAT_PAGE,
        SUPPORT_WEEKLY_HOURS="mon-sun closed",
        **more,
    )


@pytest.fixture
def smtp(settings_env):
    server = FakeSmtp().start()
    _smtp_settings(settings_env, server)
    yield server
    server.stop()


def _away_customer(function_client):
    """A customer handed over out of hours who left a (unique) address."""
    session = new_session()
    _hand_over(function_client, session)
    address = f"jane.{secrets.token_hex(4)}@example.com"
    left = function_client("post_contact").post(
        "/", json={"session_id": str(session.id), "email": address}, headers=session.auth
    )
    assert left.status_code == 204
    return session, address


def _agent_says(function_client, agent, session, content, internal=False):
    answer = function_client("operator_api").post(
        f"/conversations/{session.id}/messages", json={"content": content, "internal": internal}, headers=agent.auth
    )
    assert answer.status_code in (200, 201)
    return answer.json["id"]


def _a_minute_later(db, session):
    db.execute(
        sa.text("UPDATE messages SET created_at = created_at - interval '61 seconds' WHERE session_id = :s"),
        {"s": session.id},
    )


def _deliver(function_client):
    return function_client("deliver_notifications").post("/").json


def _mails_to(server, address):
    return [mail for mail in server.received if address in mail.recipients]


def _emails(db, session):
    return db.execute(
        sa.text("SELECT attempts, delivered_at, last_error FROM outbox WHERE session_id = :s AND kind = 'email'"),
        {"s": session.id},
    ).all()


def test_a_reply_the_customer_has_not_read_is_emailed_with_only_the_reply_and_a_link(function_client, smtp, db):
    agent = new_operator()
    session, address = _away_customer(function_client)
    _agent_says(function_client, agent, session, "Your refund for order 4411 left today.")
    _agent_says(function_client, agent, session, "Internal: customer seemed upset", internal=True)
    _a_minute_later(db, session)
    _deliver(function_client)
    [mail] = _mails_to(smtp, address)
    body = mail.message.get_content()
    assert (mail.sender, mail.message["From"], mail.message["To"]) == (SENDER, SENDER, address)
    assert mail.message["Subject"] == "InnovateTech: a reply to your question"
    assert f"{agent.name} from the InnovateTech team replied" in body
    assert "Your refund for order 4411 left today." in body and CHAT_PAGE in body
    assert "never came" not in body and "Internal" not in body and "person" not in body
    assert "unsubscribe" not in body.lower()
    [row] = _emails(db, session)
    assert row.delivered_at is not None
    _deliver(function_client)
    assert len(_mails_to(smtp, address)) == 1


def test_a_reply_read_in_the_widget_is_not_emailed(function_client, smtp, db):
    agent = new_operator()
    session, address = _away_customer(function_client)
    _agent_says(function_client, agent, session, "Here is your answer.")
    function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth)
    _a_minute_later(db, session)
    _deliver(function_client)
    assert _mails_to(smtp, address) == [] and _emails(db, session) == []


def test_a_reply_waits_a_minute_for_the_customer_to_read_it_in_the_widget(function_client, smtp, db):
    agent = new_operator()
    session, address = _away_customer(function_client)
    _agent_says(function_client, agent, session, "Here is your answer.")
    _deliver(function_client)
    assert _mails_to(smtp, address) == []
    _a_minute_later(db, session)
    _deliver(function_client)
    assert len(_mails_to(smtp, address)) == 1


def test_a_reply_read_after_it_was_queued_is_not_sent(function_client, smtp, db):
    agent = new_operator()
    session, address = _away_customer(function_client)
    smtp.fail_first = 1
    _agent_says(function_client, agent, session, "Here is your answer.")
    _a_minute_later(db, session)
    _deliver(function_client)
    function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth)
    db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
    _deliver(function_client)
    assert _mails_to(smtp, address) == []
    [row] = _emails(db, session)
    assert row.delivered_at is not None


def test_a_refusing_smtp_server_gets_the_email_later_and_nothing_is_lost(function_client, smtp, db):
    agent = new_operator()
    session, address = _away_customer(function_client)
    smtp.fail_first = 1
    _agent_says(function_client, agent, session, "Here is your answer.")
    _a_minute_later(db, session)
    assert _deliver(function_client)["failed"] >= 1
    [row] = _emails(db, session)
    assert row.delivered_at is None and row.last_error == "email: SMTPDataError"
    db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
    _deliver(function_client)
    assert len(_mails_to(smtp, address)) == 1
    [row] = _emails(db, session)
    assert row.delivered_at is not None and row.attempts == 2


def test_an_unreachable_smtp_server_is_retried_and_the_agent_never_sees_an_error(function_client, settings_env, db):
    server = FakeSmtp().start()
    server.stop()  # nothing listens on its port any more
    _smtp_settings(settings_env, server)
    agent = new_operator()
    session, address = _away_customer(function_client)
    _agent_says(function_client, agent, session, "Here is your answer.")
    _a_minute_later(db, session)
    report = function_client("deliver_notifications").post("/")
    assert report.status_code == 200 and report.json["failed"] >= 1
    [row] = _emails(db, session)
    assert row.delivered_at is None and row.last_error == "email: ConnectionRefusedError"
    back = FakeSmtp().start()
    try:
        _smtp_settings(settings_env, back)
        db.execute(sa.text("UPDATE outbox SET next_attempt_at = now() WHERE session_id = :s"), {"s": session.id})
        _deliver(function_client)
        assert len(_mails_to(back, address)) == 1
    finally:
        back.stop()


def test_the_smtp_login_is_used_when_set(function_client, settings_env, db):
    server = FakeSmtp(login=("mailer", "s3cret-pass")).start()
    try:
        _smtp_settings(settings_env, server, SMTP_USER="mailer", SMTP_PASSWORD="s3cret-pass")
        agent = new_operator()
        session, address = _away_customer(function_client)
        _agent_says(function_client, agent, session, "Here is your answer.")
        _a_minute_later(db, session)
        _deliver(function_client)
        [mail] = _mails_to(server, address)
        assert mail.authenticated
    finally:
        server.stop()


def test_the_email_speaks_the_customers_language(function_client, smtp, db):
    agent = new_operator()
    session = new_session(locale="fr")
    _hand_over(function_client, session, "Je voudrais parler à un conseiller")
    address = f"marie.{secrets.token_hex(4)}@example.com"
    function_client("post_contact").post(
        "/", json={"session_id": str(session.id), "email": address}, headers=session.auth
    )
    _agent_says(function_client, agent, session, "Votre remboursement est parti.")
    _a_minute_later(db, session)
    _deliver(function_client)
    [mail] = _mails_to(smtp, address)
    assert mail.message["Subject"] == "InnovateTech : une réponse à votre question"
    assert "a répondu à votre question" in mail.message.get_content()


def test_without_smtp_no_email_is_promised_and_none_is_queued(function_client, settings_env, db):
    settings_env(SUPPORT_WEEKLY_HOURS="mon-sun closed")
    agent = new_operator()
    session = new_session()
    handed = _hand_over(function_client, session).json
    assert "email" not in handed["reply"]["content"].lower()
    assert "Come back here any time: your conversation is saved." in handed["reply"]["content"]
    assert handed["session"]["offer_contact"] is False
    function_client("post_contact").post(
        "/", json={"session_id": str(session.id), "email": "jane@example.com"}, headers=session.auth
    )
    _agent_says(function_client, agent, session, "Here is your answer.")
    _a_minute_later(db, session)
    _deliver(function_client)
    assert _emails(db, session) == []


def test_smtp_without_a_sender_or_a_link_back_is_refused_at_start():
    from shared.core.settings import Settings

    with pytest.raises(ValueError, match="SMTP_FROM"):
        Settings(smtp_host="smtp.example.com", support_page_url=CHAT_PAGE)
    with pytest.raises(ValueError, match="SUPPORT_PAGE_URL"):
        Settings(smtp_host="smtp.example.com", smtp_from=SENDER)


def test_terraform_passes_the_smtp_settings_and_takes_the_password_only_from_secret_manager(project_root):
    import hcl2

    from shared.core.settings import Settings

    infra = project_root / "infra"
    with (infra / "email.tf").open() as handle:
        [email_locals] = hcl2.load(handle)["locals"]
    environment = email_locals["email_environment"]
    known = {name.upper() for name in Settings.model_fields}
    assert {"SMTP_HOST", "SMTP_FROM", "SUPPORT_PAGE_URL"} <= set(re.findall(r"\b([A-Z_]+)\s*=", environment)) <= known
    assert "SMTP_PASSWORD" not in environment
    assert '"SMTP_PASSWORD" = "smtp-password"' in (infra / "secrets.tf").read_text()
    assert "local.email_environment" in (infra / "functions.tf").read_text()
