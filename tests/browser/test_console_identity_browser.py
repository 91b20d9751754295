"""The console shows who a signed-in customer is, what the page claimed unsigned, and their other conversations."""

from __future__ import annotations

import secrets

import httpx
import pytest

from devtools.fake_identity import SECRET, FakeShop
from tests.browser.test_console_browser import Customer, _agent, _open_conversation, _row, _sign_in, open_page

pytestmark = pytest.mark.browser
__all__ = ["open_page"]  # the console's page fixture, shared


def _known_customer(base: str, identity_token: str, *texts: str) -> Customer:
    body = {"locale": "en", "attributes": {"page": "/account"}, "identity_token": identity_token}
    created = httpx.post(f"{base}/create_session", json=body).json()
    customer = Customer(base, created["session_id"], created["session_token"])
    for text in texts:
        customer.say(text)
    return customer


def test_the_details_say_who_the_customer_is_and_list_their_other_conversations(open_page, local_run, settings_env):
    settings_env(IDENTITY_SIGNING_SECRET=SECRET)
    shop, customer_id = FakeShop(), f"cust-{secrets.token_hex(4)}"
    token = shop.sign(customer_id, algorithm="HS256", name="Ada Lovelace", attributes={"plan": "pro"})
    earlier = _known_customer(local_run, token, "Where is my order?")
    current = _known_customer(local_run, token, "I want to speak to someone")
    page = open_page()
    _sign_in(page, _agent())
    _row(page, current.id).wait_for(timeout=10000)
    _open_conversation(page, current.id)
    facts = page.locator("#facts").inner_text()
    assert "Verified by the shop" in facts and "Ada Lovelace" in facts and customer_id in facts
    assert "Plan" in facts and "pro" in facts and "Page (unverified)" in facts
    assert page.locator("#transcript .msg.user .author").first.inner_text() == "Ada Lovelace"
    other = page.locator(f'#other-conversations a[href="#/conversations/{earlier.id}"]')
    assert other.inner_text()  # the start of its last message (the bot's reply)
    other.click()
    page.wait_for_function("id => location.hash.endsWith(id)", arg=earlier.id)
    page.wait_for_selector("#transcript .msg >> text=Where is my order?")
