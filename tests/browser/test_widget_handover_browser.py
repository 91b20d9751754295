"""The widget's side of a handover, in Chromium: the agent's name, the unread badge, email out of hours, CSAT."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.db.engine import transaction
from shared.services import _handover
from tests.browser.test_widget_browser import W, _open, _send, _session, _wait_replies
from tests.factories import new_operator

pytestmark = pytest.mark.browser


def _agent_reply(function_client, session_id, agent, text):
    function_client("operator_api").post(
        f"/conversations/{session_id}/messages", json={"content": text}, headers=agent.auth
    )


def test_the_agents_reply_arrives_within_five_seconds_under_their_name(page, function_client):
    agent = new_operator()
    _open(page)
    _send(page, "I need to speak to a person")
    _wait_replies(page, 1)
    session = _session(page)
    _agent_reply(function_client, session["id"], agent, "Hi, Sam here. Let me look at your order.")
    page.wait_for_selector(W + ".msg.agent", timeout=5000)
    assert page.locator(W + ".msg.agent .who").inner_text() == agent.name
    page.wait_for_function(
        "name => document.querySelector('#support-widget-host').shadowRoot.querySelector('.banner')"
        ".textContent.includes(name)",
        arg=agent.name,
        timeout=5000,
    )


def test_with_the_panel_closed_a_reply_raises_an_unread_badge(page, function_client, db):
    agent = new_operator()
    _open(page)
    _send(page, "talk to a human please")
    _wait_replies(page, 1)
    session = _session(page)
    page.keyboard.press("Escape")
    db.execute(sa.text("UPDATE chat_sessions SET state = 'assigned', assignee_id = :a WHERE id = :s"),
               {"a": agent.id, "s": session["id"]})  # fmt: skip
    _agent_reply(function_client, session["id"], agent, "Are you still there?")
    badge = page.locator(W + ".badge")
    badge.wait_for(state="visible", timeout=40_000)
    assert badge.inner_text() == "1"
    assert "1 new messages" in page.locator(W + "button.launcher").get_attribute("aria-label")
    page.click(W + "button.launcher")
    assert page.locator(W + ".badge").is_hidden()


def test_out_of_hours_without_email_set_up_nothing_is_promised_by_email(page, settings_env):
    settings_env(SUPPORT_WEEKLY_HOURS="mon-sun closed")
    _open(page)
    _send(page, "I want to talk to a person")
    _wait_replies(page, 1)
    assert page.locator(W + ".contact input[type=email]").count() == 0
    assert "email" not in page.locator(W + ".msg.bot").last.inner_text().lower()


def test_out_of_hours_the_customer_leaves_an_email(page, settings_env, db):
    settings_env(
        SUPPORT_WEEKLY_HOURS="mon-sun closed",
        SMTP_HOST="127.0.0.1",
        SMTP_FROM="support@shop.example",
        SUPPORT_PAGE_URL="https://shop.example/help",
    )
    _open(page)
    _send(page, "I want to talk to a person")
    _wait_replies(page, 1)
    field = page.locator(W + ".contact input[type=email]")
    field.fill("jane@example.com")
    field.press("Enter")
    page.wait_for_selector(W + ".contact >> text=We'll reply to jane@example.com")
    stored = db.execute(sa.text("SELECT contact_email FROM chat_sessions WHERE id = :s"), {"s": _session(page)["id"]})
    assert stored.scalar() == "jane@example.com"


def test_a_resolved_conversation_asks_once_for_a_rating_and_stores_it(page, function_client, db):
    agent = new_operator()
    _open(page)
    _send(page, "agent please")
    _wait_replies(page, 1)
    session_id = _session(page)["id"]
    with transaction() as conn:
        _handover.transition(conn, session_id, "take_over", operator_id=agent.id, assignee_id=agent.id)
        _handover.transition(conn, session_id, "resolve", operator_id=agent.id)
    card = page.locator(W + ".csat")
    card.wait_for(state="visible", timeout=10_000)
    card.get_by_role("button", name="4 out of 5").click()
    card.locator("textarea").fill("Quick, thanks")
    card.get_by_role("button", name="Send rating").click()
    page.wait_for_selector(W + ".csat >> text=Thank you for your rating!")
    rating = db.execute(sa.text("SELECT rating, comment FROM csat_ratings WHERE session_id = :s"), {"s": session_id})
    assert tuple(rating.one()) == (4, "Quick, thanks")
    page.reload()
    page.wait_for_selector(W + ".msg.user")
    assert page.locator(W + ".csat").count() == 0


def test_a_colleagues_message_stored_just_before_the_customer_writes_is_not_skipped(page, function_client, db):
    agent = new_operator()
    _open(page)
    _send(page, "talk to a human please")
    _wait_replies(page, 1)
    session_id = _session(page)["id"]
    with transaction() as conn:
        _handover.transition(conn, session_id, "take_over", operator_id=agent.id, assignee_id=agent.id)
    _agent_reply(function_client, session_id, agent, "Which order is it about?")
    _send(page, "Order 5512")  # before the next poll: the widget's cursor must not jump past the agent's message
    page.wait_for_selector(W + ".msg.agent >> text=Which order is it about?", timeout=6000)
    assert page.locator(W + ".msg.user").count() == 2


def test_after_a_reload_while_an_agent_owns_the_conversation_no_typing_dots_show(page, function_client):
    agent = new_operator()
    _open(page)
    _send(page, "I need to speak to a person")
    _wait_replies(page, 1)
    session_id = _session(page)["id"]
    with transaction() as conn:
        _handover.transition(conn, session_id, "take_over", operator_id=agent.id, assignee_id=agent.id)
    _send(page, "My order number is 5512")  # the bot stays silent: the customer's message is the last one
    page.wait_for_selector(W + ".msg.user[data-id] >> text=My order number is 5512")
    page.reload()
    page.wait_for_selector(W + ".msg.user >> text=My order number is 5512")
    for _ in range(10):  # the dots came at once and stayed for about 20 s
        assert page.locator(W + ".typing").is_hidden()
        page.wait_for_timeout(150)
