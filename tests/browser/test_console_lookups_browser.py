"""An agent looks up a signed-in customer's order at the shop from the console, and reads the card in the transcript."""

from __future__ import annotations

import pytest

from devtools.fake_identity import SECRET, FakeShop
from devtools.fake_shop import FakeShopApi
from tests.browser.test_console_browser import _agent, _customer, _open_conversation, _row, _sign_in, open_page
from tests.browser.test_console_identity_browser import _known_customer

pytestmark = pytest.mark.browser
__all__ = ["open_page"]  # the console's page fixture, shared


@pytest.fixture
def shop(settings_env):
    api = FakeShopApi().start()
    settings_env(
        IDENTITY_SIGNING_SECRET=SECRET,
        SHOP_API_BASE=api.url,
        SHOP_API_TOKEN="local-shop-token",
        ACTIONS_ALLOWED_HOSTS=api.url.removeprefix("http://"),
    )
    yield api
    api.stop()


def test_an_agent_looks_up_an_order_and_the_card_joins_the_transcript_as_a_note(open_page, local_run, shop):
    token = FakeShop().sign("cust-1001", algorithm="HS256", name="Ada Whitfield")
    customer = _known_customer(local_run, token, "I need to talk to a person about an order")
    page = open_page()
    _sign_in(page, _agent())
    _row(page, customer.id).wait_for(timeout=10000)
    _open_conversation(page, customer.id)
    lookup = page.locator('#lookups form[aria-label^="Status, items"]')
    lookup.get_by_label("Order number").fill("10187")
    lookup.get_by_role("button", name="Look up").click()
    card = page.locator('#transcript .msg.note [role="group"][aria-label="Order 10187"]')
    card.wait_for(timeout=10000)
    assert "shipped" in card.inner_text() and "Parcelway" in card.inner_text()
    assert card.locator("a").first.get_attribute("href").startswith("https://track.parcelway.example/")
    assert [r.path for r in shop.requests] == ["/api/customers/cust-1001/orders/10187"]


def test_an_anonymous_visitors_conversation_offers_no_lookups(open_page, local_run, shop):
    customer = _customer(local_run, "I need to talk to a person about an order")
    page = open_page()
    _sign_in(page, _agent())
    _row(page, customer.id).wait_for(timeout=10000)
    _open_conversation(page, customer.id)
    page.wait_for_selector("#transcript .msg.user")
    assert page.locator("#lookups-box").is_hidden()
