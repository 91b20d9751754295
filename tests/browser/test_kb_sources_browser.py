"""The console's help-center sources in a real Chromium, against the local run and a local help-center site."""

from __future__ import annotations

import pytest

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from shared.embeddings import use_embedder
from shared.knowledge.documents.sync import remove_source
from tests.browser.test_console_browser import AXE, _axe
from tests.chromium import require, screenshot, watched_page
from tests.factories import NewOperator, new_operator
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.browser


@pytest.fixture
def site(settings_env):
    """The demo help center served locally, which the sync may reach; its sources go after the test."""
    help_center = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=help_center.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="2")
    with use_embedder(HashingEmbedder(model="fake/sources", dimensions=32)):
        yield help_center
    help_center.stop()
    remove_source(f"{help_center.url}/sitemap.xml")


@pytest.fixture
def console(browser, local_run, settings_env):
    """Opens the console's sources signed in as `operator` (by email: a local run)."""
    settings_env(ENVIRONMENT="local")
    contexts = []

    def open_as(operator: NewOperator, **context_options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 860}, **context_options})
        contexts.append(context)
        page = watched_page(context)
        page.goto(f"{local_run}/console#/knowledge/sources")
        page.fill("#local-email", operator.email)
        page.click("#local-form button[type=submit]")
        page.wait_for_selector("#kb-sources", state="visible")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_an_admin_adds_the_help_center_and_sees_its_documents_with_their_statuses(console, site):
    require(AXE.exists(), "axe-core (npm, tests/browser)")
    site.statuses["/warranty-policy.pdf"] = 503
    sitemap = f"{site.url}/sitemap.xml"
    page = console(new_operator("admin"), bypass_csp=True)  # bypassing the CSP only to inject axe
    page.fill("#kb-source-location", sitemap)
    page.click("#kb-source-add")
    page.wait_for_selector("#kb-document-list tr", timeout=60000)

    assert page.locator("#kb-documents-title").inner_text() == f"Documents of {sitemap}"
    rows = page.locator("#kb-document-list tr")
    assert rows.count() == 7
    failed = rows.first  # failures first
    assert failed.get_attribute("data-status") == "failed"
    assert "server_error: the server answered HTTP 503" in failed.inner_text()
    statuses = [row.get_attribute("data-status") for row in rows.all()]
    assert statuses == ["failed"] + ["indexed"] * 6
    returns = page.locator("#kb-document-list tr", has_text="Returns guide")
    assert int(returns.locator("td.num").inner_text()) > 0 and returns.locator("time").count() == 1
    source = page.locator("#kb-source-list tr", has_text=sitemap)
    assert "partly synced" in source.inner_text() and "6 indexed, 1 failed" in source.inner_text()
    assert _axe(page) == []
    screenshot(page, "console-sources.png")

    source.locator("[data-source-action=remove]").click()
    source.locator("[data-source-action=confirm]").click()
    page.wait_for_selector("#kb-documents", state="hidden")
    page.wait_for_function("() => !document.querySelector('#kb-source-list').textContent.includes('sitemap.xml')")
    assert page.problems == []


def test_an_agent_sees_the_sources_read_only(console, site):
    admin = console(new_operator("admin"))
    admin.fill("#kb-source-location", f"{site.url}/returns.html")
    admin.click("#kb-source-add")
    admin.wait_for_selector("#kb-document-list tr", timeout=60000)
    remove_after = f"{site.url}/returns.html"
    try:
        page = console(new_operator("agent"))
        page.wait_for_selector(f"#kb-source-list tr >> text={remove_after}")
        assert page.locator("#kb-source-form").is_hidden()
        assert page.locator("#kb-source-list [data-source-action]").count() == 0
        page.click(f"#kb-source-list a >> text={remove_after}")
        page.wait_for_selector("#kb-document-list tr[data-status=indexed]")
        assert page.problems == []
    finally:
        remove_source(remove_after)
