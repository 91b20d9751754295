"""The chat widget recovering from cut streams, errors, long conversations and refusals, in a real Chromium."""

from __future__ import annotations

import json
import uuid

import pytest

from shared.schemas.public import MessageCreate
from shared.services import chat
from tests.browser.test_widget_browser import W, _open, _replies, _send, _session, _wait_replies

pytestmark = pytest.mark.browser


SHADOW = "document.querySelector('#support-widget-host').shadowRoot"


def _events(body: str, count: int) -> str:
    """The first `count` server-sent events of a stream's body."""
    return "".join(block + "\n\n" for block in body.split("\n\n")[:count])


def _cut_stream(page, *, count: int, tail: str = "") -> None:
    """The next post_message reaches the server whole; the widget gets only its first `count` events (+ tail)."""
    cut = []

    def handle(route):
        if cut:
            return route.continue_()
        cut.append(route)
        response = route.fetch()
        route.fulfill(response=response, body=_events(response.text(), count) + tail)

    page.route("**/post_message", handle)


def _seed(page, count: int) -> list[str]:
    """A conversation of `count` + 1 exchanges: the first through the widget, the rest stored directly."""
    _open(page)
    _send(page, "Do you ship to Canada?")
    _wait_replies(page, 1)
    session = _session(page)
    questions = [f"Question {n}: what payment methods do you accept?" for n in range(1, count + 1)]
    for question in questions:
        request = MessageCreate(session_id=session["id"], content=question, client_message_id=uuid.uuid4().hex)
        chat.post_message(request, token=session["token"])
    return ["Do you ship to Canada?", *questions]


def _user_texts(page) -> list[str]:
    return [node.inner_text() for node in page.locator(W + ".msg.user .body").all()]


def test_a_stream_cut_after_its_first_delta_is_recovered_without_repeating_the_message(page):
    _cut_stream(page, count=2)
    _open(page)
    _send(page, "Can I return something I bought?")
    _wait_replies(page, 1)
    page.wait_for_timeout(300)
    assert _user_texts(page) == ["Can I return something I bought?"]
    assert _replies(page).count() == 1
    assert "30 days" in _replies(page).first.inner_text()
    assert page.locator(W + ".msg.streaming, .msg.failed").count() == 0
    assert page.problems == []


def test_an_error_event_removes_the_half_written_reply_and_offers_retry(page):
    error = {"error": {"code": "unavailable", "message": "The service is busy. Please try again."}}
    _cut_stream(page, count=2, tail=f"event: error\ndata: {json.dumps(error)}\n\n")
    _open(page)
    _send(page, "Can I return something I bought?")
    page.wait_for_selector(W + ".msg.user.failed button.retry")
    assert page.locator(W + ".msg.bot:not(.greeting)").count() == 0
    assert "The service is busy" in page.locator(W + ".msg.user .retry-row").inner_text()
    page.click(W + "button.retry")
    _wait_replies(page, 1)
    assert _user_texts(page) == ["Can I return something I bought?"]
    assert page.locator(W + ".msg.failed, .msg.streaming").count() == 0
    assert "30 days" in _replies(page).first.inner_text()


def test_a_conversation_longer_than_a_page_is_restored_whole_and_in_order(page, settings_env):
    settings_env(MESSAGES_PAGE_SIZE="5")
    questions = _seed(page, 6)
    page.reload()
    _wait_replies(page, len(questions))
    page.wait_for_timeout(300)
    assert _user_texts(page) == questions
    assert _replies(page).count() == len(questions)
    senders = page.evaluate(
        f"() => Array.from({SHADOW}.querySelectorAll('.msg:not(.greeting)'), n => n.classList.contains('user'))"
    )
    assert senders == [True, False] * len(questions)


def test_polling_fetches_every_page_of_new_messages_at_once(page, db, settings_env):
    import sqlalchemy as sa

    _open(page)
    _send(page, "I need to speak to a person")
    _wait_replies(page, 1)
    session = _session(page)
    settings_env(MESSAGES_PAGE_SIZE="2")
    for n in range(1, 4):
        db.execute(
            sa.text("INSERT INTO messages (session_id, sender, content) VALUES (:s, 'agent', :c)"),
            {"s": session["id"], "c": f"Agent note {n}"},
        )
    page.wait_for_selector(W + ".msg.agent", timeout=15000)
    # Everything arrives in the same poll, not one page every five seconds.
    page.wait_for_function(f"() => {SHADOW}.querySelectorAll('.msg.agent').length === 3", timeout=2000)
    texts = [node.inner_text() for node in page.locator(W + ".msg.agent .body").all()]
    assert texts == ["Agent note 1", "Agent note 2", "Agent note 3"]


def test_the_retry_button_of_a_failed_send_is_scrolled_into_view(page):
    _seed(page, 8)
    page.reload()
    _wait_replies(page, 9)
    assert page.evaluate(
        f"() => {SHADOW}.querySelector('.log').scrollHeight > {SHADOW}.querySelector('.log').clientHeight"
    )
    page.route("**/post_message", lambda route: route.abort())
    _send(page, "Where is my package?")
    page.wait_for_selector(W + ".msg.user.failed button.retry")
    page.wait_for_timeout(200)
    visible = page.evaluate(f"""() => {{
        const log = {SHADOW}.querySelector('.log').getBoundingClientRect();
        const button = {SHADOW}.querySelector('.msg.failed button.retry').getBoundingClientRect();
        return button.top >= log.top && button.bottom <= log.bottom;
    }}""")
    assert visible


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "You're sending messages a little fast. Please wait a moment, then retry."),
        ("fr-FR", "Vous envoyez des messages un peu vite. Patientez un instant, puis réessayez."),
    ],
)
def test_a_rate_limited_send_keeps_the_message_and_says_so_kindly(open_page, locale, expected):
    page = open_page(locale=locale)
    limited = []

    def handle(route):
        if limited:
            return route.continue_()
        limited.append(route)
        body = {"error": {"code": "rate_limited", "message": "Too many requests."}}
        route.fulfill(status=429, headers={"Retry-After": "1"}, content_type="application/json", body=json.dumps(body))

    page.route("**/post_message", handle)
    _open(page)
    _send(page, "Where is my package?")
    page.wait_for_selector(W + ".msg.user.failed button.retry")
    assert page.locator(W + ".msg.user .retry-row").inner_text().strip().startswith(expected)
    assert _user_texts(page) == ["Where is my package?"]
    assert _session(page) is not None
    assert page.locator(W + "button.retry").is_disabled()  # for the Retry-After second
    page.click(W + "button.retry")
    _wait_replies(page, 1)
    assert _user_texts(page) == ["Where is my package?"]
    assert page.locator(W + ".msg.failed").count() == 0


def test_a_message_still_being_answered_is_awaited_and_the_session_kept(page):
    answered = []

    def handle(route):
        if answered:
            return route.continue_()
        answered.append(route)
        route.fetch()  # the server answers and stores the reply; this client hears "still in progress"
        body = {"error": {"code": "in_progress", "message": "This message is still being answered."}}
        route.fulfill(status=409, headers={"Retry-After": "1"}, content_type="application/json", body=json.dumps(body))

    _open(page)
    _send(page, "Do you ship to Canada?")
    _wait_replies(page, 1)
    session = _session(page)
    page.route("**/post_message", handle)
    _send(page, "Can I return something I bought?")
    _wait_replies(page, 2)
    page.wait_for_timeout(300)
    assert _session(page) == session
    assert _user_texts(page) == ["Do you ship to Canada?", "Can I return something I bought?"]
    assert "30 days" in _replies(page).last.inner_text()
    assert page.locator(W + ".msg.failed").count() == 0
