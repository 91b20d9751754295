"""The console's Team screen and what its sign-in page says about who may sign in, in a real Chromium."""

from __future__ import annotations

import secrets

import httpx
import pytest

from tests.browser import test_console_browser
from tests.browser.test_console_browser import _agent, _agent_token, _sign_in

pytestmark = pytest.mark.browser
open_page = test_console_browser.open_page  # the console's own page fixture (a local run, email sign-in)


def _team_row(page, email: str):
    return page.locator("#team-list tr", has_text=email)


def _roles(base: str, admin) -> dict[str, str]:
    listed = httpx.get(f"{base}/operator_api/operators", headers=_agent_token(base, admin)).json()["operators"]
    return {operator["email"]: operator["role"] for operator in listed if operator["active"]}


def test_an_admin_adds_re_roles_and_removes_a_member_on_the_team_screen(open_page, local_run):
    admin = _agent("Dana Admin", role="admin")
    page = open_page()
    _sign_in(page, admin)
    page.click("#nav-team")
    page.wait_for_selector(f"#team-list tr >> text={admin.email}")
    mine = _team_row(page, admin.email)
    assert "(you)" in mine.inner_text() and mine.locator("select").is_disabled()
    assert mine.locator("[data-team=remove]").count() == 0  # nobody removes themselves

    email = f"noor.{secrets.token_hex(4)}@team.example"
    page.fill("#team-email", email)
    page.fill("#team-name", "Noor Haddad")
    page.click("#team-add-button")
    page.wait_for_selector("#notice-text >> text=Noor Haddad can now sign in.")
    row = _team_row(page, email)
    assert row.locator("select").input_value() == "agent" and page.input_value("#team-email") == ""
    noor = httpx.post(f"{local_run}/operator_api/sign-in", json={"local_email": email}).json()["token"]

    row.locator("select").select_option("admin")
    page.wait_for_selector("#notice-text >> text=Noor Haddad is now an admin.")
    assert _roles(local_run, admin)[email] == "admin"

    row.locator("[data-team=remove]").click()
    assert "Remove Noor Haddad?" in row.inner_text()
    row.locator("[data-team=confirm]").click()
    page.wait_for_selector("#notice-text >> text=Noor Haddad was removed and signed out.")
    page.wait_for_function("email => !document.querySelector('#team-list').textContent.includes(email)", arg=email)
    assert email not in _roles(local_run, admin)
    me = httpx.get(f"{local_run}/operator_api/me", headers={"Authorization": f"Bearer {noor}"})
    assert me.status_code == 401
    assert page.problems == []


def test_a_change_the_server_refuses_is_shown_and_the_role_shown_stays_the_stored_one(open_page, local_run):
    admin, colleague = _agent("Dana Admin", role="admin"), _agent("Sam Rivera", role="admin")
    page = open_page()
    _sign_in(page, admin)
    page.click("#nav-team")
    row = _team_row(page, colleague.email)
    row.wait_for()
    httpx.delete(  # meanwhile, from another console
        f"{local_run}/operator_api/operators/{colleague.id}", headers=_agent_token(local_run, admin)
    ).raise_for_status()
    row.locator("select").select_option("agent")
    page.wait_for_selector("#notice.shown:not(.info)")
    assert row.locator("select").input_value() == "admin" and not row.locator("select").is_disabled()
    assert page.problems == []


def test_an_agent_has_no_team_screen(open_page):
    page = open_page()
    _sign_in(page, _agent())
    assert page.locator("#nav-team").is_hidden()
    page.goto(f"{page.url.split('#')[0]}#/team")
    page.wait_for_selector("#inbox-view", state="visible")
    assert page.locator("#team-view").is_hidden()


def test_the_sign_in_page_says_who_may_sign_in_on_an_empty_team_and_after(scratch_database, open_page):
    from shared.db.migrate import upgrade

    upgrade()
    page = open_page()
    who = page.locator("#signin-who")
    page.wait_for_function("() => document.querySelector('#signin-who').textContent.includes('team is empty')")
    assert "first email to sign in becomes the team's admin" in who.inner_text()
    page.fill("#local-email", "owner@shop.example")
    page.keyboard.press("Enter")
    page.wait_for_selector("#app", state="visible")
    assert page.locator("#me-role").inner_text() == "Admin"
    page.click("#sign-out")
    page.wait_for_function("() => document.querySelector('#signin-who').textContent.includes('adds people under')")
    assert "empty" not in who.inner_text()
    page.fill("#local-email", "someone.else@shop.example")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#signin-message').textContent.includes('not a member')")
    assert page.locator("#app").is_hidden()
