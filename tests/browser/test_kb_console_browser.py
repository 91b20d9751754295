"""The console's Knowledge area in a real Chromium, driven by Playwright, against the local run.

Admins and agents sign in by email (the `local` environment allows it); customers are plain HTTP
calls to the public functions, so what the bot answers is what a widget would show.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser.test_console_browser import AXE, _axe
from tests.chromium import require, screenshot, watched_page
from tests.factories import NewOperator, new_operator, unique_marker
from tests.knowledge.test_passage_answers import bicycle_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

HTML_ATTACK = "<img src=x onerror=alert(1)><b>hi</b>"


@pytest.fixture
def console(browser, local_run, settings_env):
    """Opens the console signed in as `operator`, at `hash`: `console(admin, "#/knowledge/gaps")`."""
    settings_env(ENVIRONMENT="local")  # signing in by email; before any page loads
    contexts = []

    def open_as(operator: NewOperator, hash: str = "#/knowledge", **context_options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"{local_run}/console{hash}")
        page.fill("#local-email", operator.email)
        page.click("#local-form button[type=submit]")
        page.wait_for_selector("#knowledge-view", state="visible")
        return page

    yield open_as
    for context in contexts:
        context.close()


# ---- the API, as a customer and as a colleague ------------------------------------------------------
def _ask(base: str, text: str) -> dict:
    """A new customer asks `text` through the real post_message; returns the bot's reply."""
    created = httpx.post(f"{base}/create_session", json={"locale": "en"}).json()
    auth = {"Authorization": f"Bearer {created['session_token']}"}
    body = {"session_id": created["session_id"], "content": text}
    response = httpx.post(f"{base}/post_message", json=body, headers=auth, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["reply"] | {"session": created}


def _dislike(base: str, reply: dict) -> None:
    """The customer gives `reply` a thumbs-down."""
    session = reply["session"]
    auth = {"Authorization": f"Bearer {session['session_token']}"}
    body = {"session_id": session["session_id"], "message_id": reply["id"], "rating": "down"}
    assert httpx.post(f"{base}/post_feedback", json=body, headers=auth, timeout=30).status_code == 204


def _operator_api(base: str, operator: NewOperator, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{base}/operator_api{path}", headers=operator.auth, timeout=30, **kwargs)


def _entry(base: str, operator: NewOperator, entry_id: str) -> dict:
    return _operator_api(base, operator, "GET", f"/kb/entries/{entry_id}").json()["entry"]


def _gap_with(base: str, operator: NewOperator, question: str) -> dict:
    groups = _operator_api(base, operator, "GET", "/kb/gaps").json()["groups"]
    return next(group for group in groups if question in group["examples"])


# ---- console helpers -----------------------------------------------------------------------------------
def _open_entry(page, entry_id: str) -> None:
    page.click(f'#kb-list .item[data-id="{entry_id}"]')
    page.wait_for_function(
        "id => !document.querySelector('#kb-editor').hidden && location.hash.endsWith(id)"
        " && document.querySelector('#kb-versions li[data-version]')",
        arg=entry_id,
    )


def _published(page, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('#notice-text').textContent.includes(text)", arg=text, timeout=15000
    )


# ---- tests ---------------------------------------------------------------------------------------------------
def test_an_admin_edits_an_answer_and_the_next_customer_gets_it_at_once(console, local_run, restore_knowledge_base):
    admin, marker = new_operator("admin"), unique_marker()
    before = _entry(local_run, admin, "warranty")
    page = console(admin)
    _open_entry(page, "warranty")
    assert page.input_value("#kb-question") == "What warranty do your products have?"
    assert page.locator("#kb-editor-version").inner_text() == f"Version {before['version']}"
    new_answer = f"Every product has a 3-year warranty (ref {marker}); register it from your account."
    page.fill("#kb-answer", new_answer)
    page.click("#kb-save")
    _published(page, f"Published version {before['version'] + 1}.")

    reply = _ask(local_run, "How long is the warranty on your products?")
    assert marker in reply["content"] and [s["id"] for s in reply["sources"]] == ["warranty"]
    page.wait_for_selector(f"#kb-editor-version >> text=Version {before['version'] + 1}")
    newest = page.locator("#kb-versions li").first
    assert "changed answer" in newest.inner_text() and admin.email in newest.inner_text()
    assert page.locator("#kb-broken").is_hidden() and page.locator("#kb-conflict").is_hidden()
    assert page.problems == []


def test_a_question_the_bot_failed_on_becomes_an_entry_and_a_regression_case(
    console, local_run, restore_knowledge_base
):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Do you offer gift wrapping {marker}?"
    _dislike(local_run, _ask(local_run, question))  # a gap, whatever the bot answered
    page = console(admin, "#/knowledge/gaps")
    gap = page.locator(".gap", has_text=question)
    gap.wait_for(timeout=10000)
    assert re.search(r"× \d+", gap.inner_text())  # other tests' questions may share the group
    gap.locator("[data-gap-action=new]").click()

    page.wait_for_selector("#kb-editor-gap", state="visible")
    assert page.input_value("#kb-question") == question  # drafted from the group
    entry_id = f"gift-wrapping-{marker}"
    page.fill("#kb-id", entry_id)
    page.fill("#kb-answer", f"Yes: add gift wrapping at checkout for $4 (ref {marker}).")
    page.click("#kb-save")
    _published(page, "Entry published. Regression cases added:")
    page.wait_for_function("id => location.hash.endsWith(id)", arg=entry_id)
    page.wait_for_selector(f'#kb-list .item[data-id="{entry_id}"]')

    reply = _ask(local_run, question)
    assert [s["id"] for s in reply["sources"]] == [entry_id] and marker in reply["content"]
    cases = _operator_api(local_run, admin, "GET", "/kb/cases").json()["cases"]
    assert any(c["query"] == question and c["expected"] == [entry_id] for c in cases)
    page.click("#kb-tab-cases")
    row = page.locator("#kb-case-list tr", has_text=question)
    row.wait_for()
    assert entry_id in row.inner_text() and admin.email in row.inner_text()
    groups = _operator_api(local_run, admin, "GET", "/kb/gaps").json()["groups"]
    assert all(question not in g["examples"] for g in groups)
    assert page.problems == []


def test_a_draft_written_from_an_agents_reply_asks_to_be_reviewed_and_shows_no_personal_data(
    console, local_run, restore_knowledge_base
):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Can I pay for a parcel with a paper cheque sent by post {marker}?"
    reply = _ask(local_run, question)
    _dislike(local_run, reply)
    conversation = reply["session"]["session_id"]
    _operator_api(local_run, admin, "POST", f"/conversations/{conversation}/actions", json={"action": "take_over"})
    agent_reply = {"content": "Hi Jordan, cheques are not accepted; order #10482 stays unpaid until a card payment."}
    sent = _operator_api(local_run, admin, "POST", f"/conversations/{conversation}/messages", json=agent_reply)
    assert sent.status_code == 201, sent.text
    page = console(admin, "#/knowledge/gaps")
    gap = page.locator(".gap", has_text=question)
    gap.wait_for(timeout=10000)
    gap.locator("[data-gap-action=new]").click()

    page.wait_for_selector("#kb-draft-review", state="visible")
    assert "placeholders" in page.inner_text("#kb-draft-review")
    answer = page.input_value("#kb-answer")
    assert "cheques are not accepted" in answer and "Jordan" not in answer and "10482" not in answer
    assert page.problems == []


def test_an_edit_that_would_break_a_case_shows_it_and_publishes_only_when_told(
    console, local_run, restore_knowledge_base
):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"I need to recover my account login {marker}"
    reply = _ask(local_run, question)
    rating = {"session_id": reply["session"]["session_id"], "message_id": reply["id"], "rating": "down"}
    session_auth = {"Authorization": f"Bearer {reply['session']['session_token']}"}
    httpx.post(f"{local_run}/post_feedback", json=rating, headers=session_auth).raise_for_status()
    approve = {"message_ids": _gap_with(local_run, admin, question)["message_ids"], "entry_id": "password-reset"}
    _operator_api(local_run, admin, "POST", "/kb/gaps/approve", json=approve).raise_for_status()  # the case
    before = _entry(local_run, admin, "password-reset")

    page = console(admin, "#/knowledge/entries/password-reset")
    page.wait_for_selector("#kb-versions li[data-version]")
    page.fill("#kb-question", "Do you ship to the moon?")
    page.fill("#kb-answer", "No: we only ship on Earth.")
    page.fill("#kb-examples", "")
    page.fill("#kb-keywords", "")
    page.click("#kb-translations summary")
    for field in page.locator("#kb-translations input, #kb-translations textarea").all():
        field.fill("")  # a translation left blank is left out
    page.click("#kb-save")
    page.wait_for_selector("#kb-broken", state="visible", timeout=15000)
    assert "Nothing is published yet" in page.locator("#kb-broken-text").inner_text()
    broken = page.locator("#kb-broken-list tr", has_text=question)
    cells = broken.locator("td").all_inner_texts()
    assert cells[:2] == [question, "password-reset"] and "password-reset" not in cells[2]
    assert _entry(local_run, admin, "password-reset") == before  # nothing published
    screenshot(page, "console-knowledge-broken.png")

    page.click("#kb-publish-anyway")
    _published(page, f"Published version {before['version'] + 1}.")
    assert _entry(local_run, admin, "password-reset")["question"] == "Do you ship to the moon?"
    assert page.locator("#kb-broken").is_hidden()
    assert page.problems == []


def test_a_second_save_from_the_same_loaded_version_shows_the_conflict(console, local_run, restore_knowledge_base):
    first_admin, second_admin = new_operator("admin"), new_operator("admin")
    loaded = _entry(local_run, first_admin, "return-policy")["version"]
    first, second = console(first_admin), console(second_admin)
    _open_entry(first, "return-policy")
    _open_entry(second, "return-policy")

    first.fill("#kb-answer", "Returns within 45 days, free of charge.")
    first.click("#kb-save")
    _published(first, f"Published version {loaded + 1}.")
    second.fill("#kb-answer", "Returns within 14 days.")
    second.click("#kb-save")
    second.wait_for_selector("#kb-conflict", state="visible", timeout=15000)
    message = second.locator("#kb-conflict-text").inner_text()
    assert f"now version {loaded + 1}" in message and f"since you opened version {loaded}" in message
    assert _entry(local_run, first_admin, "return-policy")["answer"] == "Returns within 45 days, free of charge."

    second.click("#kb-reload")
    second.wait_for_selector(f"#kb-editor-version >> text=Version {loaded + 1}")
    assert second.input_value("#kb-answer") == "Returns within 45 days, free of charge."
    assert second.locator("#kb-conflict").is_hidden()
    assert first.problems == [] and second.problems == []


def test_try_it_shows_the_decision_the_threshold_and_each_candidates_scores(console):
    page = console(new_operator(), "#/knowledge/try")
    page.fill("#kb-try-question", "how can i change my password")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-candidates")
    assert page.locator("#kb-try-decision").inner_text() == "Answers"
    assert page.locator("#kb-try-reason").get_attribute("data-reason") in {"clear_match", "evidence_agrees"}
    assert page.locator("#kb-try-language").inner_text() == "en"
    assert float(page.locator("#kb-try-threshold").inner_text()) > 0
    assert page.locator("#kb-try-parts").count() == 0  # one question, not split
    best = page.locator("#kb-try-candidates tbody tr").first
    assert best.get_attribute("data-id") == "password-reset" and "fits" in best.get_attribute("class")
    for feature in ("lexical", "dense", "centroid", "learned"):
        float(best.locator(f"[data-feature={feature}]").inner_text())

    page.fill("#kb-try-question", "Who painted the Sistine Chapel ceiling?")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-decision[data-outcome=suggested], #kb-try-decision[data-outcome=unknown]")
    assert page.locator("#kb-try-reason").inner_text()  # the reason in words

    page.fill("#kb-try-question", "How do I reset my password? And how long does shipping take?")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-parts")
    assert len(page.locator("#kb-try-parts li").all_inner_texts()) == 2

    page.fill("#kb-try-question", "what is the capital of Peru")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-decision[data-decision=not_covered]")
    assert page.locator("#kb-try-candidates tr.fits").count() == 0
    assert page.problems == []


def test_try_it_shows_the_help_center_passages_beside_the_entries_and_when_one_answers(
    console,
    bicycle_site,  # noqa: F811
):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    page = console(new_operator(), "#/knowledge/try", bypass_csp=True, viewport={"width": 1280, "height": 960})
    page.fill("#kb-try-question", "How often should I put lubricant on the chain of my Trailmaster?")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-passages")
    assert page.locator("#kb-try-reason").get_attribute("data-reason") == "passage_match"
    answered = page.locator("#kb-try-answered-with").inner_text()
    assert "Bicycle care guide › Chain lubrication" in answered
    best = page.locator("#kb-try-passages tbody tr").first
    assert best.get_attribute("class") == "passage fits" and "Help center" in best.inner_text()
    link = best.locator("a")
    assert link.inner_text() == "Bicycle care guide › Chain lubrication"
    assert link.get_attribute("href") == f"{bicycle_site}#chain"
    assert float(best.locator("[data-feature=lexical]").inner_text()) > 0
    assert _axe(page) == []
    screenshot(page, "console-knowledge-try.png")
    assert page.problems == []


def test_a_gap_names_the_help_center_section_that_almost_answers_it(
    console,
    local_run,
    bicycle_site,  # noqa: F811
):
    question = f"How often should I put lubricant on the chain of my Trailmaster? {unique_marker()}"
    _dislike(local_run, _ask(local_run, question))
    page = console(new_operator("admin"), "#/knowledge/gaps")
    card = page.locator(".gap", has_text=question)
    link = card.locator(".gap-passage a")
    assert link.inner_text() == "Bicycle care guide › Chain lubrication"
    assert link.get_attribute("href") == f"{bicycle_site}#chain"
    assert page.problems == []


def test_an_agent_reads_entries_and_marks_replies_reviewed_but_cannot_edit(console, local_run, restore_knowledge_base):
    admin, agent = new_operator("admin"), new_operator()
    question = f"How do I unsubscribe from the newsletter? {HTML_ATTACK}"
    asked = _ask(local_run, question)
    assert [s["id"] for s in asked["sources"]] == ["newsletter"]
    entry = _entry(local_run, admin, "newsletter")
    edit = {k: entry[k] for k in ("question", "keywords", "examples", "url", "translations")}
    body = {**edit, "answer": "Unsubscribe from the link at the bottom of any email.", "base_version": entry["version"]}
    _operator_api(local_run, admin, "PUT", "/kb/entries/newsletter", json=body).raise_for_status()

    page = console(agent)
    badge = page.locator('#kb-list .item[data-id="newsletter"] [data-testid=review-badge]')
    assert re.fullmatch(r"\d+ to review", badge.inner_text())
    _open_entry(page, "newsletter")
    assert page.locator("#kb-save").is_hidden() and page.locator("#kb-retire").is_hidden()
    assert page.locator("#kb-new").is_hidden() and page.locator("#kb-answer").is_disabled()

    page.click("#kb-tab-review")
    card = page.locator(f'#kb-review-list [data-message-id="{asked["id"]}"]')
    card.wait_for()
    assert HTML_ATTACK in card.inner_text() and card.locator("img, b").count() == 0
    assert f"Used version {entry['version']}, now {entry['version'] + 1}" in card.inner_text()
    card.locator("[data-review]").click()
    card.wait_for(state="detached")
    listed = _operator_api(local_run, agent, "GET", "/kb/review").json()["replies"]
    assert asked["id"] not in [r["message_id"] for r in listed]
    assert page.dialogs == [] and page.problems == []


def test_the_knowledge_views_have_no_serious_accessibility_violations(console, local_run):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    admin, marker = new_operator("admin"), unique_marker()
    assert _ask(local_run, f"What is the capital of Peru {marker}?")["sources"] == []  # a gap
    page = console(admin, "#/knowledge/entries/password-reset", bypass_csp=True)  # only to inject axe
    page.wait_for_selector("#kb-versions li[data-version]")
    page.click("#kb-translations summary")
    assert _axe(page) == []
    screenshot(page, "console-knowledge-entry.png")
    page.click("#kb-tab-try")
    page.fill("#kb-try-question", "Who painted the Sistine Chapel ceiling?")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-decision[data-outcome=suggested], #kb-try-decision[data-outcome=unknown]")
    assert page.locator("#kb-try-reason").inner_text()  # the reason in words

    page.fill("#kb-try-question", "How do I reset my password? And how long does shipping take?")
    page.click("#kb-try-run")
    page.wait_for_selector("#kb-try-candidates")
    assert _axe(page) == []
    for view, ready in [("gaps", ".gap"), ("review", "#kb-review-list:not([aria-busy])"), ("cases", "#kb-case-list")]:
        page.click(f"#kb-tab-{view}")
        page.wait_for_selector(ready, state="attached")
        assert _axe(page) == [], view
    page.click("#kb-tab-gaps")
    page.wait_for_selector(".gap")
    screenshot(page, "console-knowledge-gaps.png")
