"""Actions on the shop's API in the widget, in a real Chromium: the order card, Confirm / Cancel, the sign-in prompt.

The shop is `devtools.fake_shop` on a local port and the customer signs in with the demo storefront's
own control, as in `./dev run`.
"""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from devtools.fake_identity import SECRET
from devtools.fake_shop import FakeShopApi
from tests.browser.test_console_browser import AXE, _axe
from tests.browser.test_demo_sign_in_browser import _sign_in
from tests.browser.test_widget_browser import W, _open, _replies, _send, _session, _wait_replies
from tests.chromium import require, screenshot

pytestmark = pytest.mark.browser

ADA = "Ada Whitfield (cust-1001)"


@pytest.fixture(scope="module")
def shop_api():
    shop = FakeShopApi().start()
    yield shop
    shop.stop()


@pytest.fixture
def shop(shop_api, settings_env):
    """The fake shop, reset, and the dispatcher answering as `./dev run` does with its demo shop."""
    shop_api.reset()
    settings_env(
        ENVIRONMENT="local",
        SHOP_API_BASE=shop_api.url,
        SHOP_API_TOKEN="local-shop-token",
        ACTIONS_ALLOWED_HOSTS=shop_api.url.removeprefix("http://"),
        IDENTITY_SIGNING_SECRET=SECRET,
    )
    return shop_api


def _posts(shop) -> list[str]:
    return [r.path for r in shop.requests if r.method == "POST"]


def _ask(page, text: str, count: int):
    """Sends `text` and returns the bot's reply to it, the `count`th of the conversation."""
    _send(page, text)
    _wait_replies(page, count)
    return _replies(page).nth(count - 1)


def _card(reply) -> dict[str, str]:
    box = reply.locator(".facts[role=group]")
    labels, values = box.locator("dt").all_inner_texts(), box.locator("dd").all_inner_texts()
    return {"title": box.get_attribute("aria-label"), **dict(zip(labels, values, strict=True))}


def _signed_in_page(open_page, **options):
    page = open_page(**options)
    page.locator("#sign-in").wait_for()
    _sign_in(page, ADA)
    _open(page)
    return page


def test_a_signed_in_customer_sees_their_order_as_a_card_with_a_tracking_link(shop, open_page):
    """Also saves the README's order card screenshot when UPDATE_SCREENSHOTS=1."""
    page = open_page()
    # Ada's conversations in earlier tests would be listed under the greeting: the screenshot shows this one alone.
    page.route("**/get_conversations", lambda route: route.fulfill(json={"conversations": []}))
    page.locator("#sign-in").wait_for()
    _sign_in(page, ADA)
    _open(page)
    reply = _ask(page, "where's my order 10187?", 1)
    assert reply.locator(".body").inner_text() == "Here's what I found:"  # the rest is in the card
    card = _card(reply)
    assert card == {**card, "title": "Order 10187", "Status": "shipped", "Carrier": "Parcelway"}
    assert "Track" not in card  # the tracking link is the card's button
    track = reply.locator(".facts a")
    assert track.count() == 1 and track.inner_text() == "Track"
    assert track.get_attribute("href") == "https://track.parcelway.example/parcel/PW4471902338"
    assert (track.get_attribute("target"), track.get_attribute("rel")) == ("_blank", "noopener noreferrer")
    assert [r.path for r in shop.requests] == ["/api/customers/cust-1001/orders/10187"]
    screenshot(page, "widget-order-card.png")
    assert page.problems == []


def test_an_anonymous_visitor_is_offered_the_pages_sign_in_then_gets_the_card(shop, open_page):
    page = open_page()
    page.locator("#sign-in").wait_for()
    _open(page)
    reply = _ask(page, "where's my order 10187?", 1)
    assert "sign in" in reply.locator(".body").inner_text().lower() and reply.locator(".facts").count() == 0
    sign_in = reply.get_by_role("link", name="Sign in")
    assert sign_in.get_attribute("href") == "#sign-in"
    sign_in.click()
    assert page.evaluate("() => [location.hash, document.activeElement.id]") == ["#sign-in", "demo-customer"]
    assert shop.requests == []

    _sign_in(page, ADA)
    reply = _ask(page, "where's my order 10187?", 2)
    assert _card(reply)["Status"] == "shipped"
    assert page.problems == []


def test_on_a_phone_the_sign_in_link_closes_the_full_screen_panel(shop, open_page):
    page = open_page(viewport={"width": 390, "height": 780}, is_mobile=True, has_touch=True)
    page.locator("#sign-in").wait_for()
    _open(page)
    _ask(page, "where's my order 10187?", 1).get_by_role("link", name="Sign in").click()
    assert page.locator(W + ".panel").is_hidden()
    assert page.evaluate("() => document.activeElement.id") == "demo-customer"


@pytest.mark.parametrize("login_url", [None, "javascript:alert(1)", "/account/login"])
def test_without_a_usable_login_url_the_prompt_is_the_text_alone(shop, open_page, local_run, login_url):
    page = open_page()

    def storefront(route):
        html = route.fetch().text()
        replacement = f'data-login-url="{login_url}"' if login_url else ""
        route.fulfill(body=html.replace('data-login-url="#sign-in"', replacement), content_type="text/html")

    page.route(local_run + "/", storefront)
    page.reload()
    _open(page)
    reply = _ask(page, "where's my order 10187?", 1)
    assert "sign in" in reply.inner_text().lower()
    assert reply.locator("a").all_inner_texts() == ["How can I track my order?"]  # its source, nothing else


def test_a_confirmed_cancellation_runs_once_and_a_cancelled_one_never(shop, open_page):
    page = _signed_in_page(open_page)
    proposal = _ask(page, "please cancel my order 10234", 1).locator("fieldset")
    assert proposal.locator("legend").inner_text() == "Cancel order 10234"
    assert proposal.locator("button").all_inner_texts() == ["Confirm", "Cancel"]
    assert _posts(shop) == []

    proposal.get_by_role("button", name="Confirm").click()
    _wait_replies(page, 2)
    done = _replies(page).nth(1)
    assert done.locator(".body").inner_text() == "Done:"
    assert _card(done) == {"title": "Cancel order 10234", "Status": "cancelled"}
    assert page.locator(W + "fieldset").count() == 0
    assert _posts(shop) == ["/api/customers/cust-1001/orders/10234/cancel"]

    other = _ask(page, "please cancel my order 10187", 3).locator("fieldset")
    other.get_by_role("button", name="Cancel").click()
    _wait_replies(page, 4)
    assert "haven't done anything" in _replies(page).nth(3).inner_text()
    assert len(_posts(shop)) == 1

    session_id = _session(page)["id"]
    page.reload()  # the demo hands the kept token to the widget before it starts: the conversation goes on
    _wait_replies(page, 4)  # and once decided, a proposal has no buttons
    assert _session(page)["id"] == session_id
    assert page.locator(W + "fieldset").count() == 0
    assert _card(_replies(page).nth(1))["Status"] == "cancelled"
    assert page.problems == []


def test_a_decision_made_elsewhere_or_too_late_removes_the_buttons_with_a_note(shop, open_page, local_run, db):
    page = _signed_in_page(open_page)
    proposal = _ask(page, "please cancel my order 10234", 1).locator("fieldset")
    page.route("**/confirm_action", lambda route: route.fulfill(status=503, json={"error": {"message": "Busy."}}))
    proposal.get_by_role("button", name="Confirm").click()
    page.locator(W + ".notice >> text=Busy.").wait_for()
    assert proposal.locator("button:enabled").count() == 2  # can be tried again
    page.unroute("**/confirm_action")

    session = _session(page)
    request_id = db.execute(
        sa.text("SELECT id FROM action_requests WHERE session_id = :id"), {"id": session["id"]}
    ).scalar_one()
    body = {"session_id": session["id"], "action_request_id": str(request_id), "decision": "cancel"}
    httpx.post(f"{local_run}/confirm_action", json=body, headers={"Authorization": f"Bearer {session['token']}"})
    proposal.get_by_role("button", name="Confirm").click()
    page.locator(W + ".notice >> text=This request was already handled.").wait_for()
    assert proposal.count() == 0

    later = _ask(page, "please cancel my order 10234", 2).locator("fieldset")
    db.execute(
        sa.text("UPDATE action_requests SET expires_at = now() - interval '1 second' WHERE session_id = :id"),
        {"id": session["id"]},
    )
    db.commit()
    later.get_by_role("button", name="Confirm").click()
    page.locator(W + ".notice >> text=This request expired. Ask me again.").wait_for()
    assert later.count() == 0 and _posts(shop) == []


def test_a_card_and_a_proposal_have_no_serious_accessibility_violations(shop, open_page):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    page = _signed_in_page(open_page, bypass_csp=True)  # only to inject axe
    _ask(page, "where's my order 10187?", 1)
    _ask(page, "please cancel my order 10234", 2).locator("fieldset").wait_for()
    assert _axe(page) == []
