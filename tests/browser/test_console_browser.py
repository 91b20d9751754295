"""The operator console in a real Chromium, driven by Playwright, against the local run.

Customers are either the real widget in a second browser context or plain HTTP calls to the
public functions; agents sign in by email, which the `local` environment allows.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
import sqlalchemy as sa

from shared.core.settings import PROJECT_ROOT
from shared.services import notifications
from tests.chromium import require, screenshot, watched_page

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CONSOLE_HTML = PROJECT_ROOT / "frontend" / "console.html"
W = "#support-widget-host >> "
HTML_ATTACK = "<img src=x onerror=alert(1)><b>hi</b>"


@pytest.fixture
def open_page(browser, local_run, settings_env):
    """Opens a page of the local run in a fresh browser context: `open_page("/console", viewport=...)`."""
    settings_env(ENVIRONMENT="local")  # signing in by email; before any page loads
    contexts = []

    def new(path: str = "/console", **context_options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
        contexts.append(context)
        page = watched_page(context)
        page.goto(local_run + path)
        return page

    yield new
    for context in contexts:
        context.close()


# ---- people ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Agent:
    id: str
    email: str
    name: str


def _agent(name: str | None = None, role: str = "agent") -> Agent:
    """A member of the team, with a random email (the test database is shared by the whole run)."""
    from shared.schemas.console import OperatorCreate
    from shared.services import operators

    name = name or f"Agent {secrets.token_hex(3)}"
    email = f"{name.split()[0].lower()}.{secrets.token_hex(4)}@team.example"
    created = operators.add_operator(OperatorCreate(email=email, display_name=name, role=role))  # type: ignore[arg-type]
    return Agent(str(created.id), created.email, created.display_name)


def _agent_token(base: str, agent: Agent) -> dict[str, str]:
    signed = httpx.post(f"{base}/operator_api/sign-in", json={"local_email": agent.email}).json()
    return {"Authorization": f"Bearer {signed['token']}"}


@dataclass(frozen=True)
class Customer:
    """A customer talking to the public functions directly, as the widget does."""

    base: str
    id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def say(self, text: str) -> dict:
        body = {"session_id": self.id, "content": text}
        response = httpx.post(f"{self.base}/post_message", json=body, headers=self.auth, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def messages(self) -> list[dict]:
        response = httpx.get(f"{self.base}/get_messages?session_id={self.id}", headers=self.auth)
        return response.json()["messages"]


def _customer(base: str, *texts: str, page: str = "/help", locale: str = "en") -> Customer:
    created = httpx.post(f"{base}/create_session", json={"locale": locale, "attributes": {"page": page}}).json()
    customer = Customer(base, created["session_id"], created["session_token"])
    for text in texts:
        customer.say(text)
    return customer


# ---- console helpers ---------------------------------------------------------------------------------
def _sign_in(page, agent: Agent) -> None:
    page.fill("#local-email", agent.email)
    page.click("#local-form button[type=submit]")
    page.wait_for_selector("#app", state="visible")


def _row(page, conversation_id: str):
    return page.locator(f'#list .item[data-id="{conversation_id}"]')


def _open_conversation(page, conversation_id: str) -> None:
    _row(page, conversation_id).click()
    page.wait_for_function(
        "id => location.hash.endsWith(id) && document.querySelector('#transcript .msg')", arg=conversation_id
    )


def _search(page, text: str, *expected_ids: str) -> None:
    """Types in the search box and waits until the list shows exactly `expected_ids`."""
    with page.expect_response(lambda response: f"q={text}" in response.url):
        page.fill("#search", text)
    _listed(page, *expected_ids)


def _listed(page, *expected_ids: str) -> None:
    """Waits until the list shows exactly `expected_ids`, in that order."""
    page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#list .item')].map(row => row.dataset.id))"
        " === JSON.stringify(ids)",
        arg=list(expected_ids),
        timeout=10000,
    )


def _state(page) -> str:
    return page.locator("#conv-sub .state").inner_text()


def _send(page, text: str) -> None:
    page.fill("#composer-text", text)
    page.press("#composer-text", "Enter")


def _stored_token(page) -> str | None:
    stored = page.evaluate("() => Object.entries(sessionStorage).find(([k]) => k.startsWith('support-console:'))")
    return json.loads(stored[1])["token"] if stored else None


# ---- widget helpers ----------------------------------------------------------------------------------
def _widget_ask(page, text: str) -> dict:
    page.click(W + "button.launcher")
    page.fill(W + "textarea", text)
    page.keyboard.press("Enter")
    page.wait_for_selector(W + ".banner", state="visible", timeout=15000)
    stored = page.evaluate(
        "() => Object.entries(localStorage).find(([k]) => k.startsWith('support-widget:') && !k.endsWith(':open'))"
    )
    return json.loads(stored[1])


# ---- tests --------------------------------------------------------------------------------------------
def test_sign_in_by_email_then_sign_out_ends_the_token(open_page, local_run):
    agent = _agent("Robin Park")
    page = open_page()
    assert page.locator("#local-form").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "local-email"
    _sign_in(page, agent)
    assert page.locator("#me-name").inner_text() == "Robin Park"
    assert page.locator("#tab-waiting").get_attribute("aria-selected") == "true"
    token = _stored_token(page)
    assert token
    page.reload()  # the token lives in this tab's sessionStorage
    page.wait_for_selector("#app", state="visible")
    assert page.locator("#me-name").inner_text() == "Robin Park" and page.locator("#signin").is_hidden()
    page.click("#sign-out")
    page.wait_for_selector("#local-form", state="visible")
    assert "signed out" in page.locator("#signin-message").inner_text()
    assert _stored_token(page) is None
    me = httpx.get(f"{local_run}/operator_api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    assert not [url for url in page.requested if "accounts.google.com" in url]  # no client id, no Google script
    assert page.problems == []


def test_a_poll_that_crosses_the_sign_out_does_not_say_the_session_ended(open_page):
    page = open_page()
    _sign_in(page, _agent("Robin Park"))
    held = []
    page.route("**/operator_api/conversations?*", lambda route: held.append(route))
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")  # polls the inbox now
    while not held:
        page.wait_for_timeout(20)
    page.click("#sign-out")
    page.wait_for_selector("#local-form", state="visible")
    with page.expect_response("**/operator_api/conversations?*") as answered:
        held[0].continue_()
    assert answered.value.status == 401  # the token was revoked before this poll reached the server
    page.wait_for_timeout(100)
    assert page.locator("#signin-message").inner_text() == "You are signed out."


FAKE_GSI = """
window.google = { accounts: { id: {
  initialize: function (options) { window.gsiOptions = options; },
  renderButton: function (parent) {
    var button = document.createElement("button");
    button.id = "fake-google";
    button.textContent = "Sign in with Google";
    button.addEventListener("click", function () { window.gsiOptions.callback({ credential: "header.claims.sig" }); });
    parent.appendChild(button);
  },
  disableAutoSelect: function () {}
} } };
"""


def test_the_meta_tags_set_the_api_base_and_google_sign_in(open_page, local_run):
    port = local_run.rsplit(":", 1)[1]
    api_base = f"http://localhost:{port}"  # another origin than the page's 127.0.0.1

    def configured(route):
        html = route.fetch().text()
        html = html.replace('name="support-api-base" content=""', f'name="support-api-base" content="{api_base}/"')
        html = html.replace('name="google-client-id" content=""', 'name="google-client-id" content="1-x.apps.example"')
        html = html.replace("connect-src 'self'", f"connect-src 'self' {api_base}")
        route.fulfill(body=html, content_type="text/html")

    # Chromium asks before a page calls another loopback origin (Local Network Access): granted here.
    page = open_page("/", permissions=["local-network-access"])
    page.route(f"{local_run}/console", configured)
    page.route(
        "https://accounts.google.com/gsi/client",
        lambda route: route.fulfill(body=FAKE_GSI, content_type="text/javascript"),
    )
    page.goto(local_run + "/console")
    page.wait_for_selector("#fake-google")
    assert page.locator("#local-form").is_hidden()
    assert page.evaluate("() => window.gsiOptions.client_id") == "1-x.apps.example"
    with page.expect_request(f"{api_base}/operator_api/sign-in") as sent:
        page.click("#fake-google")
    assert sent.value.post_data_json == {"id_token": "header.claims.sig"}
    page.wait_for_function("() => document.querySelector('#signin-message').textContent.includes('not configured')")
    assert not [p for p in page.problems if "Content Security Policy" in p]


def test_someone_outside_the_team_sees_the_apis_refusal(open_page):
    _agent()  # the team is not empty, so a stranger does not become its admin
    page = open_page()
    page.fill("#local-email", f"stranger.{secrets.token_hex(4)}@elsewhere.example")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#signin-message').textContent.includes('not a member')")
    assert page.locator("#app").is_hidden()


def test_a_session_ended_elsewhere_returns_to_sign_in_with_a_message(open_page):
    from shared.services import operators

    agent = _agent()
    page = open_page()
    _sign_in(page, agent)
    operators.sign_out(_stored_token(page))
    page.wait_for_selector("#local-form", state="visible", timeout=10000)  # the next poll answers 401
    assert "session has ended" in page.locator("#signin-message").inner_text()
    assert page.locator("#app").is_hidden()


def test_the_whole_handover_from_the_widget_to_an_agent_and_back(open_page):
    agent = _agent("Sam Rivera")
    shop = open_page("/")
    session = _widget_ask(shop, "I want to talk to a person")

    console = open_page()
    _sign_in(console, agent)
    row = _row(console, session["id"])
    row.wait_for(timeout=10000)  # under Waiting, the tab the console opens on
    assert console.locator("#tab-waiting").get_attribute("aria-selected") == "true"
    assert "Asked for a person" in row.inner_text()

    _open_conversation(console, session["id"])
    assert "I want to talk to a person" in console.locator("#transcript .msg.user").first.inner_text()
    assert _state(console) == "Waiting"
    console.click("[data-action=take_over]")
    console.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Assigned'")
    assert console.locator("[data-action=take_over]").is_hidden()
    assert "Sam Rivera" in console.locator("#conv-sub").inner_text()

    _send(console, "Hi, I'm Sam from the team. How can I help?")
    console.wait_for_selector("#transcript .msg.agent >> text=I'm Sam from the team")
    assert console.locator("#composer-text").input_value() == ""
    replied = time.monotonic()
    # The widget polls every 5 s while a person is involved: the reply is there within one poll.
    shop.wait_for_selector(W + ".msg.agent", timeout=6000)
    assert time.monotonic() - replied <= 5.5
    reply = shop.locator(W + ".msg.agent")
    assert reply.locator(".who").inner_text() == "Sam Rivera"
    assert "I'm Sam from the team" in reply.inner_text()
    assert "Sam Rivera" in shop.locator(W + ".banner").inner_text()

    console.click("[data-action=resolve]")
    console.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Resolved'")
    assert console.locator("[data-action=reopen]").is_visible()
    assert console.locator("[data-action=resolve]").is_hidden()
    assert console.locator("[data-action=hand_back]").is_hidden()
    assert "Assigned → Resolved" in console.locator("#history li").first.inner_text()
    assert "Sam Rivera" in console.locator("#history li").first.inner_text()
    console.click("#tab-resolved")
    _row(console, session["id"]).wait_for(timeout=10000)
    assert console.problems == [] and shop.problems == []


def test_an_internal_note_never_reaches_the_widget(open_page, local_run):
    agent = _agent("Priya Shah")
    shop = open_page("/")
    session = _widget_ask(shop, "I want to talk to a person")
    console = open_page()
    _sign_in(console, agent)
    _row(console, session["id"]).wait_for(timeout=10000)
    _open_conversation(console, session["id"])

    console.click(".modes label:has(input[value=note])")
    assert console.locator("#send").inner_text() == "Add note"
    _send(console, "Loyal customer since 2021: offer the express swap")
    note = console.locator("#transcript .msg.note")
    note.wait_for()
    assert note.locator(".note-label").text_content() == "Internal note" and note.locator(".note-label").is_visible()
    assert _state(console) == "Waiting"  # a note takes nothing over

    console.click(".modes label:has(input[value=reply])")
    _send(console, "Hello, I can help with that.")
    console.wait_for_selector("#transcript .msg.agent:not(.note)")
    shop.wait_for_selector(W + ".msg.agent", timeout=6000)
    assert "express swap" not in shop.locator(W + ".log").inner_text()
    customer = Customer(local_run, session["id"], session["token"])
    assert all("express swap" not in m["content"] for m in customer.messages())


def test_keyboard_only_sign_in_open_the_first_waiting_conversation_and_reply_with_enter(open_page, local_run):
    agent = _agent()
    _customer(local_run, "I want to talk to a person")
    page = open_page()
    page.keyboard.type(agent.email)  # the email field has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#list .item")
    assert page.evaluate("() => document.activeElement.id") == "tab-waiting"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.id") == "tab-mine"
    assert page.locator("#tab-mine").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector("#list .item")

    _tab_until(page, "document.activeElement.matches('#list .item')")
    first = page.locator("#list .item").first.get_attribute("data-id")
    assert page.evaluate("() => document.activeElement.dataset.id") == first
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'conv-title'")
    assert page.locator("#conv-title").inner_text().startswith("Visitor ")

    _tab_until(page, "document.activeElement.id === 'composer-text'")
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Second line")
    assert page.locator("#composer-text").input_value() == "Hello from the keyboard\nSecond line"
    page.keyboard.press("Enter")
    page.wait_for_selector("#transcript .msg.agent >> text=Hello from the keyboard")
    assert page.evaluate("() => document.activeElement.id") == "composer-text"
    page.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Assigned'")
    assert page.problems == []


def _tab_until(page, condition: str, presses: int = 25) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {condition}"):
            return
    pytest.fail(f"Tab never reached: {condition}")


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) }));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_the_inbox_and_a_conversation_have_no_serious_accessibility_violations(open_page, local_run):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    agent = _agent()
    customer = _customer(local_run, "Can I return something I bought?", "I want to talk to a person")
    answer = next(m for m in customer.messages() if m["sender"] == "bot")
    feedback = {"session_id": customer.id, "message_id": answer["id"], "rating": "up", "comment": "Clear, thanks"}
    httpx.post(f"{local_run}/post_feedback", json=feedback, headers=customer.auth).raise_for_status()
    page = open_page(bypass_csp=True)  # only to inject axe; the CSP itself has its own test
    assert _axe(page) == []  # the sign-in screen
    _sign_in(page, agent)
    page.wait_for_selector("#list .item")
    assert _axe(page) == []
    _open_conversation(page, customer.id)
    page.click(".modes label:has(input[value=note])")
    _send(page, "Checked the order: it shipped yesterday")
    page.wait_for_selector("#transcript .msg.note")
    assert page.locator("#transcript .msg.bot .sources a").count() >= 1
    assert page.locator("#transcript .msg.bot .feedback").inner_text().endswith("Clear, thanks")
    assert _axe(page) == []


def test_customer_written_html_stays_text_in_the_list_and_the_transcript(open_page, local_run):
    agent = _agent()
    marker = f"order-{secrets.token_hex(4)}"
    customer = _customer(local_run, "I want to talk to a person")
    httpx.post(
        f"{local_run}/operator_api/conversations/{customer.id}/actions",
        json={"action": "take_over"},
        headers=_agent_token(local_run, agent),
    ).raise_for_status()
    assert customer.say(f"{marker} {HTML_ATTACK}")["reply"] is None  # the bot is silent: it is the preview
    page = open_page()
    _sign_in(page, agent)
    page.click("#tab-open")
    _search(page, marker, customer.id)
    row = _row(page, customer.id)
    assert HTML_ATTACK in row.locator(".preview").inner_text()
    assert row.locator("img, b").count() == 0
    _open_conversation(page, customer.id)
    bubble = page.locator("#transcript .msg.user .bubble").last
    assert bubble.inner_text() == f"{marker} {HTML_ATTACK}"
    assert bubble.evaluate("node => node.children.length") == 0
    assert page.locator("#transcript img, #transcript b, #list img, #list b").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == [] and page.problems == []


def test_filters_by_reason_and_search(open_page, local_run):
    agent = _agent()
    marker = f"zebra-{secrets.token_hex(4)}"
    wants_person = _customer(local_run, f"My {marker} headphones broke. I want to talk to a person")
    page = open_page()
    _sign_in(page, agent)
    _search(page, marker, wants_person.id)
    page.select_option("#reason", "frustration")
    page.wait_for_selector("#list-empty >> text=No conversation matches these filters.")
    assert page.locator("#list .item").count() == 0
    page.select_option("#reason", "person")
    _row(page, wants_person.id).wait_for()


def test_show_more_lists_the_next_page_and_it_stays_listed_while_the_inbox_refreshes(open_page, local_run, db):
    marker = f"okapi-{secrets.token_hex(4)}"
    ids = [_customer(local_run, f"Where is my {marker} order?").id for _ in range(52)]
    resolve = "UPDATE chat_sessions SET state = 'resolved' WHERE id = ANY(CAST(:ids AS uuid[]))"
    db.execute(sa.text(resolve), {"ids": ids})
    db.commit()
    newest_first = ids[::-1]
    page = open_page()
    _sign_in(page, _agent())
    page.click("#tab-resolved")
    _search(page, marker, *newest_first[:50])
    page.click("#show-more")
    _listed(page, *newest_first)
    assert page.locator("#show-more").is_hidden()
    page.wait_for_timeout(4500)  # one refresh of the inbox
    assert page.locator("#list .item").count() == 52


def test_new_conversations_and_messages_appear_without_a_reload(open_page, local_run):
    agent = _agent()
    page = open_page()
    _sign_in(page, agent)
    page.wait_for_selector("#list .item, #list-empty:not([hidden])")
    customer = _customer(local_run, "I want to talk to a person")
    _row(page, customer.id).wait_for(timeout=10000)  # the inbox polls every 4 s
    _open_conversation(page, customer.id)
    customer.say("Are you still there?")
    page.wait_for_selector("#transcript .msg.user >> text=Are you still there?", timeout=8000)  # every 3 s


def test_actions_follow_the_state_and_assign_goes_to_a_colleague(open_page, local_run):
    agent, colleague = _agent(), _agent("Noor Haddad")
    customer = _customer(local_run, "I want to talk to a person")
    page = open_page()
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")

    def visible() -> list[str]:
        return [
            b.get_attribute("data-action") for b in page.locator("#actions button[data-action]").all() if b.is_visible()
        ]

    assert visible() == ["take_over", "hand_back", "resolve", "assign"]
    assert page.locator("[data-action=assign]").is_disabled()
    page.select_option("#assign-to", label="Noor Haddad")
    page.click("[data-action=assign]")
    page.wait_for_function("() => document.querySelector('#conv-sub').textContent.includes('Noor Haddad')")
    assert _state(page) == "Assigned" and colleague.name in page.locator("#conv-sub").inner_text()
    page.click("[data-action=hand_back]")
    page.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Bot'")
    assert visible() == ["take_over", "resolve", "assign"]
    page.click("[data-action=resolve]")
    page.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Resolved'")
    assert visible() == ["take_over", "reopen", "assign"]
    page.click("[data-action=reopen]")
    page.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Waiting'")
    assert page.locator("#notice-text").inner_text() == "Conversation reopened."


def test_an_api_error_is_shown_as_a_polite_message(open_page, local_run):
    agent = _agent()
    customer = _customer(local_run, "I want to talk to a person")
    page = open_page()
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")
    httpx.post(  # a colleague resolves it meanwhile: Hand back is no longer allowed
        f"{local_run}/operator_api/conversations/{customer.id}/actions",
        json={"action": "resolve"},
        headers=_agent_token(local_run, _agent()),
    ).raise_for_status()
    page.click("[data-action=hand_back]")
    page.wait_for_function("() => document.querySelector('#notice').classList.contains('shown')")
    assert "cannot be handed back" in page.locator("#notice-text").inner_text()
    assert page.locator("#notice-text").get_attribute("role") == "status"


def test_csat_and_contact_details_show_when_the_conversation_has_them(open_page, local_run):
    agent = _agent()
    customer = _customer(local_run, "I want to talk to a person")
    httpx.post(
        f"{local_run}/operator_api/conversations/{customer.id}/actions",
        json={"action": "resolve"},
        headers=_agent_token(local_run, agent),
    ).raise_for_status()
    rating = {"session_id": customer.id, "rating": 4, "comment": "Quick and kind"}
    httpx.post(f"{local_run}/post_csat", json=rating, headers=customer.auth).raise_for_status()
    page = open_page()
    _sign_in(page, agent)
    page.click("#tab-resolved")
    _row(page, customer.id).wait_for(timeout=10000)
    assert "CSAT 4/5" in _row(page, customer.id).inner_text()
    _open_conversation(page, customer.id)
    assert "4 / 5" in page.locator("#csat").inner_text() and "Quick and kind" in page.locator("#csat").inner_text()
    facts = page.locator("#facts").inner_text()
    assert "/help" in facts and "en" in facts


def test_metrics_show_the_figures_for_a_date_range_and_say_when_they_are_not_available(open_page):
    agent = _agent()
    page = open_page()
    _sign_in(page, agent)
    requested = []
    page.on("request", lambda request: requested.append(request.url) if "/metrics" in request.url else None)
    page.click("#nav-metrics")
    page.wait_for_selector(".cards")  # the real endpoint, over the default range
    assert re.search(r"from=\d{4}-\d\d-\d\dT.*&to=\d{4}-", requested[-1])
    first, last = page.input_value("#range-from"), page.input_value("#range-to")
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days
    assert days == 6  # the last 7 days, today included
    conversations = page.locator(".card-metric").first
    assert conversations.locator("dt").inner_text() == "Conversations"
    assert re.fullmatch(r"[\d,]+", conversations.locator("dd:not(.definition)").inner_text())
    assert "customer message" in conversations.locator("dd.definition").inner_text()

    figures = {
        "from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z", "conversations": 1284,
        "involvement_rate": 0.9, "resolution_rate": 0.702, "confirmed_resolutions": 300, "assumed_resolutions": 511,
        "resolutions_taken_back": 12, "automation_rate": 0.6318, "durable_resolution_rate": 0.95, "reopen_rate": 0.04,
        "handover_rate": 0.143, "handovers_by_reason": {"person": 120, "frustration": 41},
        "median_first_response_seconds": 252, "median_resolution_seconds": 5400, "csat_average": None,
        "csat_response_rate": 0.31, "csat_responses": 57, "csat_bot_only_average": 4.5, "csat_bot_only_responses": 40,
        "csat_human_average": None, "csat_human_responses": 0, "thumbs_up": 402, "thumbs_down": 38,
        "unanswered_questions": 17, "model_input_tokens": 1520330, "model_output_tokens": 240118,
        "estimated_cost_usd": 3.42,
        "outcomes_by_day": [{"day": "2026-11-01T00:00:00Z", "answered": 150, "suggested": 20, "unknown": 9}],
        "topics": [
            {"entry_id": "returns", "question": "How do I return an item?", "conversations": 310,
             "resolution_rate": 0.81, "csat_average": 4.6, "csat_responses": 12},
            {"entry_id": None, "question": None, "conversations": 95, "resolution_rate": None,
             "csat_average": None, "csat_responses": 0},
            {"entry_id": "passage:12", "question": "Shipping guide › Canada", "conversations": 40,
             "resolution_rate": 0.9, "csat_average": None, "csat_responses": 0},
            {"entry_id": "passage:3", "question": None, "conversations": 7, "resolution_rate": 0.5,
             "csat_average": None, "csat_responses": 0},
        ],
    }  # fmt: skip
    page.route("**/operator_api/metrics?*", lambda route: route.fulfill(json=figures))
    page.fill("#range-from", "2026-11-01")
    page.fill("#range-to", "2026-11-07")
    page.click("#range button[type=submit]")
    page.wait_for_function("() => document.querySelector('#metrics-body').textContent.includes('1,284')")
    assert "from=2026-11-0" in requested[-1]  # local midnight of the first day, in UTC
    text = page.locator("#metrics-body").inner_text()
    for expected in ("70.2 %", "63.2 %", "14.3 %", "4 min", "1 h 30 min", "—", "402 / 38", "$3.42", "57 responses"):
        assert expected in text
    assert "300 confirmed, 511 assumed, 12 taken back" in text
    assert "4.50 / 5" in page.locator("[data-figure=csat_bot_only]").inner_text()
    automation = page.locator("[data-figure=automation_rate] .definition").inner_text()
    assert "Involvement × resolution" in automation  # each figure says what it counts
    assert page.locator(".outcome-days tbody tr").inner_text().split("\t")[:4] == ["2026-11-01", "150", "20", "9"]
    topic_rows = page.locator(".topics tbody tr")
    assert "How do I return an item?" in topic_rows.nth(0).inner_text() and "81 %" in topic_rows.nth(0).inner_text()
    assert "No entry (see Gaps)" in topic_rows.nth(1).inner_text()
    assert "Shipping guide › Canada" in topic_rows.nth(2).inner_text()
    assert "A help-center section since changed" in topic_rows.nth(3).inner_text()
    assert "Asked for a person" in page.locator(".bars").inner_text()

    page.unroute("**/operator_api/metrics?*")
    missing = {"error": {"code": "not_found", "message": "No such path."}}
    page.route("**/operator_api/metrics?*", lambda route: route.fulfill(status=404, json=missing))
    page.click("#range button[type=submit]")
    page.wait_for_selector("text=Metrics are not available")
    assert not page.locator("#notice").evaluate("n => n.classList.contains('shown')")
    page.click("#nav-inbox")
    page.wait_for_selector("#inbox-view", state="visible")
    assert page.problems == []


def test_the_console_runs_under_a_strict_content_security_policy(open_page):
    html = CONSOLE_HTML.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline scripts"
    assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handlers"
    assert not re.search(r"<style\b", html), "no inline style sheet"
    assert not re.search(r"\sstyle\s*=", html), "no style attributes"
    page = open_page()
    csp = page.evaluate("() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert "'unsafe-inline'" not in csp and "unsafe-eval" not in csp
    # The styles still apply: they come from console.css, which the policy admits as 'self'.
    assert page.evaluate("() => getComputedStyle(document.querySelector('.signin')).display") == "grid"
    _sign_in(page, _agent())
    page.wait_for_selector("#list .item, #list-empty:not([hidden])")
    assert not [p for p in page.problems if "Content Security Policy" in p]


def test_desktop_shows_list_and_conversation_side_by_side_and_a_phone_one_at_a_time(open_page, local_run, db):
    """Also saves the README's screenshots (docs/screenshots) when UPDATE_SCREENSHOTS=1."""
    sam, _ = _agent("Sam Rivera", role="admin"), _agent("Priya Shah")
    rich = _seed_conversations(local_run, sam, db)
    desktop = open_page()
    _sign_in(desktop, sam)
    first = desktop.locator("#list .item").first
    first.wait_for()
    first.click()
    desktop.wait_for_selector("#transcript .msg")
    rows, pane = desktop.locator(".list-pane").bounding_box(), desktop.locator("#conv").bounding_box()
    assert rows["x"] + rows["width"] <= pane["x"] and pane["width"] >= 800
    screenshot(desktop, "console-inbox.png")
    desktop.click("#tab-mine")
    _row(desktop, rich.id).wait_for()
    _open_conversation(desktop, rich.id)
    desktop.wait_for_selector("#summary:not([hidden])")
    desktop.locator("#composer-text").focus()
    desktop.evaluate("() => document.activeElement.blur()")
    screenshot(desktop, "console-conversation.png")

    phone = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    _sign_in(phone, sam)
    phone.click("#tab-mine")
    _row(phone, rich.id).wait_for()
    assert phone.locator("#conv-pane").is_hidden()
    _open_conversation(phone, rich.id)
    assert phone.locator(".list-pane").is_hidden() and phone.locator("#composer-text").is_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.locator("#transcript .msg").last.scroll_into_view_if_needed()
    screenshot(phone, "console-phone.png")
    phone.click("#details-toggle")
    assert phone.locator("#details").is_visible()
    phone.click("#back")
    phone.wait_for_selector(".list-pane", state="visible")
    assert desktop.problems == [] and phone.problems == []


def _seed_conversations(base: str, sam: Agent, db) -> Customer:
    """A few realistic conversations; returns the one Sam owns, with sources, a rating, a note and a summary."""
    import sqlalchemy as sa

    waiting = [
        _customer(base, "My Aura Buds stopped charging after a week.", "I want to talk to a person please",
                  page="/products/aura-buds"),
        _customer(base, "Where is my package? It's been 10 days", "This is useless, nothing you say helps!!",
                  page="/account/orders"),
        _customer(base, "Do you ship to Canada?", "can I speak to a human agent", page="/help", locale="fr"),
    ]  # fmt: skip
    for minutes, customer in zip((14, 6, 2), waiting, strict=True):
        db.execute(
            sa.text("UPDATE chat_sessions SET waiting_since = now() - make_interval(mins => :m) WHERE id = :id"),
            {"m": minutes, "id": customer.id},
        )
    rich = _customer(base, "Can I return something I bought?", page="/account/invoices")
    answer = next(m for m in rich.messages() if m["sender"] == "bot")
    feedback = {"session_id": rich.id, "message_id": answer["id"], "rating": "up", "comment": "Clear, thanks"}
    httpx.post(f"{base}/post_feedback", json=feedback, headers=rich.auth).raise_for_status()
    rich.say("I was charged twice for order 48213, I need a person to look at it")
    notifications.deliver_due()  # as the scheduler would: the agents' summary is written after the handover
    httpx.post(f"{base}/summarize_session", json={"session_id": rich.id}, headers=rich.auth)
    auth = _agent_token(base, sam)
    actions = f"{base}/operator_api/conversations/{rich.id}"
    httpx.post(f"{actions}/actions", json={"action": "take_over"}, headers=auth).raise_for_status()
    for content, internal in [
        ("Hi, I'm Sam from InnovateTech. Sorry about that! Let me check order 48213 for you.", False),
        ("Double charge confirmed in the payment dashboard: refund the second one.", True),
        ("I found the duplicate charge and refunded it. You'll see it in 3-5 business days.", False),
    ]:
        httpx.post(f"{actions}/messages", json={"content": content, "internal": internal}, headers=auth)
    rich.say("That was quick, thank you!")
    return rich


# ---- every conversation has a place: the All tab and search --------------------------------------------
def _resolved_and_rated(base: str, agent: Agent, *texts: str) -> Customer:
    """A conversation an agent took over and resolved, rated 5/5 by the customer."""
    customer = _customer(base, *texts)
    auth = _agent_token(base, agent)
    for action in ("take_over", "resolve"):
        url = f"{base}/operator_api/conversations/{customer.id}/actions"
        httpx.post(url, json={"action": action}, headers=auth).raise_for_status()
    rating = {"session_id": customer.id, "rating": 5}
    httpx.post(f"{base}/post_csat", json=rating, headers=customer.auth).raise_for_status()
    return customer


def test_a_resolved_rated_conversation_the_customer_wrote_to_again_is_under_all_and_found_by_search(
    open_page, local_run
):
    agent = _agent()
    marker = f"quokka-{secrets.token_hex(4)}"
    customer = _resolved_and_rated(local_run, agent, f"My {marker} blender arrived broken. I want to talk to a person")
    customer.say("One more thing: do you ship to Canada?")  # back to the bot, out of every other tab
    page = open_page()
    _sign_in(page, agent)
    _search(page, marker, customer.id)  # typed on the Waiting tab the console opens on
    assert page.locator("#tab-all").get_attribute("aria-selected") == "true"
    row = _row(page, customer.id)
    assert row.locator(".state").inner_text() == "Bot" and "CSAT 5/5" in row.inner_text()
    _search(page, customer.id[:6], customer.id)  # the start of its id, as "Visitor 0b0c1f" shows it
    page.fill("#search", "")
    _row(page, customer.id).wait_for()  # the All tab lists it without a search
    for tab in ("waiting", "mine", "open", "resolved"):
        page.click(f"#tab-{tab}")
        page.wait_for_selector("#list .item, #list-empty:not([hidden])")
        assert _row(page, customer.id).count() == 0
    assert page.problems == []


# ---- the transcript follows new messages --------------------------------------------------------------
def _at_end(page) -> bool:
    return page.evaluate("() => { const l = document.querySelector('#transcript');"
                         " return l.scrollHeight - l.scrollTop - l.clientHeight < 2; }")  # fmt: skip


def _last_message_shown(page, text: str) -> bool:
    return page.evaluate(
        """text => { const log = document.querySelector('#transcript');
                     const last = [...log.querySelectorAll('.msg')].pop();
                     return last.textContent.includes(text)
                         && last.getBoundingClientRect().bottom <= log.getBoundingClientRect().bottom + 1; }""",
        text,
    )


def test_the_transcript_follows_replies_after_a_notice_and_marks_new_messages_once_scrolled_up(open_page, local_run):
    agent = _agent()
    questions = ["Do you ship to Canada?", "How do I return an item?", "Can I pay with PayPal?",
                 "How long is the warranty?", "Where is my order?", "I want to talk to a person"]  # fmt: skip
    customer = _customer(local_run, *questions)
    page = open_page(viewport={"width": 1280, "height": 640})
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")
    assert page.evaluate("() => document.querySelector('#transcript').scrollTop") > 0 and _at_end(page)

    page.click("[data-action=take_over]")
    page.wait_for_selector("#notice.shown >> text=You took over")  # the notice takes room above the transcript
    _send(page, "Hi, I'm on it: which order is it?")
    page.wait_for_selector("#transcript .msg.agent >> text=which order is it")
    assert _last_message_shown(page, "which order is it") and _at_end(page)
    customer.say("Order 48213, thanks!")
    page.wait_for_selector("#transcript .msg.user >> text=Order 48213", timeout=8000)
    assert _last_message_shown(page, "Order 48213")
    assert page.locator("#new-messages").is_hidden()

    page.locator("#transcript").evaluate("log => { log.scrollTop = 0; }")  # the agent reads back
    page.wait_for_timeout(100)
    customer.say("Any news about it?")
    marker = page.locator("#new-messages")
    marker.wait_for(state="visible", timeout=8000)
    assert page.evaluate("() => document.querySelector('#transcript').scrollTop") == 0  # not pulled down
    assert marker.inner_text().startswith("New messages")
    marker.click()
    assert _last_message_shown(page, "Any news about it?") and marker.is_hidden()
    assert page.problems == []


# ---- writes sent once -------------------------------------------------------------------------------------
class LostAnswer:
    """Holds the first request matching `pattern`; `lose()` lets it reach the server but never answers the console.

    `keys` has the Idempotency-Key of every matching request (None when there was none)."""

    def __init__(self, page, pattern: str) -> None:
        self.keys: list[str | None] = []
        self.held: list = []
        self.page = page
        page.route(pattern, self._handle)

    def _handle(self, route) -> None:
        self.keys.append(route.request.headers.get("idempotency-key"))
        if len(self.keys) == 1:
            self.held.append(route)
        else:
            route.continue_()

    def wait_held(self) -> None:
        while not self.held:
            self.page.wait_for_timeout(20)

    def lose(self) -> None:
        self.wait_held()
        self.held[0].fetch()
        self.held[0].abort("connectionreset")


def test_a_reply_sent_again_after_its_answer_was_lost_is_stored_once(open_page, local_run):
    agent = _agent()
    customer = _customer(local_run, "I want to talk to a person")
    page = open_page()
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")
    lost = LostAnswer(page, f"**/conversations/{customer.id}/messages")
    _send(page, "Let me check that for you.")
    lost.lose()
    page.wait_for_selector("#notice.shown:not(.info)")  # an error: the agent sends it again
    assert page.locator("#composer-text").input_value() == "Let me check that for you."
    page.click("#send")
    page.wait_for_selector("#transcript .msg.agent >> text=Let me check that for you.")
    keys = lost.keys
    assert len(keys) == 2 and keys[0] == keys[1] and re.fullmatch(r"[0-9a-f-]{36}", keys[0] or "")
    replies = [m for m in customer.messages() if m["sender"] == "agent"]
    assert [m["content"] for m in replies] == ["Let me check that for you."]
    _send(page, "Let me check that for you.")  # the same words again, on purpose: a new submit
    page.wait_for_function("() => document.querySelectorAll('#transcript .msg.agent').length === 2")
    assert len(keys) == 3 and keys[2] != keys[0]


def test_an_action_retried_after_its_answer_was_lost_happens_once_and_none_can_be_clicked_meanwhile(
    open_page, local_run
):
    agent = _agent()
    customer = _customer(local_run, "I want to talk to a person")
    page = open_page()
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")
    polls: list = []  # held meanwhile, so the view still shows Waiting when the agent tries again
    page.route(f"**/conversations/{customer.id}", lambda route: polls.append(route))
    lost = LostAnswer(page, f"**/conversations/{customer.id}/actions")
    page.click("[data-action=resolve]")
    lost.wait_held()
    assert page.locator("[data-action=resolve]").is_disabled() and page.locator("[data-action=take_over]").is_disabled()
    lost.lose()  # resolved on the server; the console never hears it
    page.wait_for_selector("#notice.shown:not(.info)")
    assert not page.locator("[data-action=resolve]").is_disabled()
    page.click("[data-action=resolve]")  # the console still shows Waiting: the agent tries again
    page.wait_for_function("() => document.querySelector('#conv-sub .state').textContent === 'Resolved'")
    assert len(lost.keys) == 2 and lost.keys[0] == lost.keys[1]
    page.unroute(f"**/conversations/{customer.id}")
    for poll in polls:
        poll.continue_()
    history = page.locator("#history li").all_inner_texts()
    assert sum("resolved by" in item for item in history) == 1


def test_refresh_summary_rewrites_the_teams_summary_from_the_conversation_as_it_is_now(open_page, local_run):
    agent = _agent()
    order = str(10**5 + secrets.randbelow(9 * 10**5))
    customer = _customer(local_run, "Can I return something I bought?", "I want to talk to a person")
    customer.say(f"It is about order {order}, it arrived broken")  # after the handover's summary, if any
    page = open_page()
    _sign_in(page, agent)
    page.goto(f"{page.url.split('#')[0]}#/conversations/{customer.id}")
    page.wait_for_selector("#transcript .msg")
    assert order not in page.locator("#summary-text").inner_text()
    with page.expect_request(f"**/conversations/{customer.id}/summary") as sent:
        page.click("#summary-refresh")
    assert re.fullmatch(r"[0-9a-f-]{36}", sent.value.headers.get("idempotency-key") or "")
    page.wait_for_function(
        "order => document.querySelector('#summary-text').textContent.includes(order)", arg=order, timeout=10000
    )
    assert page.locator("#summary-refresh").inner_text() == "Refresh summary"
    assert not page.locator("#summary-refresh").is_disabled()
    assert page.problems == []
