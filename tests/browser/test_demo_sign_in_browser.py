"""The demo storefront's "Sign in as a demo customer" control (local runs only), in a real Chromium."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from devtools.fake_identity import SECRET
from tests.browser.test_console_browser import AXE, _axe
from tests.browser.test_widget_browser import _open, _send, _session, _wait_replies
from tests.chromium import require

pytestmark = pytest.mark.browser


@pytest.fixture
def local_demo(settings_env):
    """The dispatcher answering as `./dev run` does: local, signing identity tokens with the demo secret."""
    settings_env(ENVIRONMENT="local", IDENTITY_SIGNING_SECRET=SECRET)


def _sign_in(page, name: str) -> None:
    page.get_by_label("Sign in as a demo customer").select_option(label=name)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text(f"Signed in as {name.split(' (')[0]}").wait_for()


def test_a_demo_customer_signs_in_mid_chat_keeps_it_and_signs_out(local_demo, open_page, db):
    page = open_page()
    page.locator("#sign-in").wait_for()
    assert page.get_by_label("Sign in as a demo customer").locator("option").count() == 3
    assert page.locator("script[src='widget.js']").get_attribute("data-login-url") == "#sign-in"
    _open(page)
    _send(page, "Where is my order?")
    _wait_replies(page, 1)
    session_id = _session(page)["id"]

    _sign_in(page, "Bruno Okafor (cust-1002)")
    assert page.evaluate("() => document.activeElement.id") == "demo-sign-out"
    page.wait_for_function("() => JSON.stringify(localStorage).includes('\\\\\"known\\\\\":true')")
    owner = db.execute(sa.text("SELECT customer_id FROM chat_sessions WHERE id = :id"), {"id": session_id})
    assert owner.scalar_one() == "cust-1002"

    page.reload()
    page.get_by_text("Signed in as Bruno Okafor").wait_for()  # the tab remembers who signed in
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in", exact=True).wait_for()
    assert page.evaluate("() => document.activeElement.id") == "demo-customer"
    assert _session(page) is None
    assert page.problems == []


def test_outside_a_local_run_the_control_stays_hidden_without_a_failed_request(open_page):
    page = open_page()
    with page.expect_response("**/demo/customers"):
        page.reload()
    page.wait_for_timeout(200)
    assert page.locator("#sign-in").is_hidden()
    assert page.problems == []


def test_the_storefront_with_the_control_has_no_serious_accessibility_violations(local_demo, open_page):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    page = open_page(bypass_csp=True)  # only to inject axe
    page.locator("#sign-in").wait_for()
    assert _axe(page) == []
    _sign_in(page, "Ada Whitfield (cust-1001)")
    assert _axe(page) == []
