"""A signed-in customer's widget: their previous conversation follows them to any device, in a real Chromium."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from devtools.fake_identity import SECRET, FakeShop
from shared.schemas.public import MessageCreate, SessionCreate
from shared.services import chat, sessions
from tests.browser.test_widget_browser import W, _open, _send, _session, _wait_replies

pytestmark = pytest.mark.browser

SHOP_PAGE = """<!doctype html><html lang="en"><head><title>Shop</title></head>
<body><h1>My account</h1>
<script src="/widget.js" data-api-base="" {token_attribute} defer></script></body></html>"""


@pytest.fixture
def signed_in(settings_env, local_run):
    """Identity tokens verified with the shop's secret, and a page of the shop for a customer (or nobody)."""
    settings_env(IDENTITY_SIGNING_SECRET=SECRET)
    shop = FakeShop()

    def visit(page, customer: str | None) -> None:
        token = shop.sign(customer, algorithm="HS256", name="Ada") if customer else None
        attribute = f'data-identity-token="{token}"' if token else ""
        html = SHOP_PAGE.format(token_attribute=attribute)
        page.route(f"{local_run}/account.html", lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto(f"{local_run}/account.html")

    visit.shop = shop
    return visit


def _conversation_elsewhere(shop: FakeShop, customer: str, question: str) -> str:
    """A conversation the customer had on another device: opened signed in, one question answered."""
    created = sessions.create_session(SessionCreate(identity_token=shop.sign(customer, algorithm="HS256")))
    request = MessageCreate(session_id=created.session_id, content=question, client_message_id=uuid.uuid4().hex)
    chat.post_message(request, token=created.session_token)
    return str(created.session_id)


def test_a_signed_in_customer_sees_their_previous_conversation_and_continues_it(page, signed_in, db):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    earlier = _conversation_elsewhere(signed_in.shop, customer, "Do you ship to Canada?")
    signed_in(page, customer)
    _open(page)
    page.wait_for_selector(W + ".greeting >> text=Hi Ada!")
    item = page.locator(W + f".previous button[data-session='{earlier}']")
    item.wait_for()
    assert page.locator(W + ".previous").get_attribute("aria-label") == "Previous conversations"
    item.click()
    page.wait_for_selector(W + ".msg.user >> text=Do you ship to Canada?")
    assert _session(page)["id"] == earlier
    _wait_replies(page, 1)
    _send(page, "And how long does it take?")
    _wait_replies(page, 2)
    said = db.execute(
        sa.text("SELECT count(*) FROM messages WHERE session_id = :id AND sender = 'user'"), {"id": earlier}
    ).scalar_one()
    assert said == 2
    assert page.problems == []


def test_a_visitor_who_signs_in_mid_chat_keeps_it_and_logout_forgets_it(page, signed_in, db):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    signed_in(page, None)
    _open(page)
    _send(page, "Do you take PayPal?")
    _wait_replies(page, 1)
    anonymous = _session(page)["id"]
    page.evaluate("token => window.SupportWidget.identify(token)", signed_in.shop.sign(customer, algorithm="HS256"))
    page.wait_for_function("() => JSON.stringify(localStorage).includes('\\\\\"known\\\\\":true')")
    owner = db.execute(sa.text("SELECT customer_id FROM chat_sessions WHERE id = :id"), {"id": anonymous}).scalar_one()
    assert owner == customer and _session(page)["id"] == anonymous
    page.evaluate("() => window.SupportWidget.logout()")
    assert _session(page) is None
    assert page.locator(W + ".msg.user").count() == 0
    assert page.problems == []
