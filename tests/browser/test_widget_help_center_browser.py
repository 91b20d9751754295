"""An answer from the help center in the widget, in a real Chromium: the page's sentences, cited to its section."""

from __future__ import annotations

import pytest

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from shared.knowledge import passages
from shared.knowledge.documents.sync import remove_source, sync_sources
from tests.browser.test_widget_browser import W, _open, _replies, _send, _wait_replies
from tests.chromium import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def help_center(settings_env):
    """The demo help center on a local port, synced as `./dev run` syncs it, and removed after the test."""
    site = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=site.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="2")
    sitemap = f"{site.url}/sitemap.xml"
    sync_sources([sitemap])
    passages.passages_present.forget()
    yield site
    site.stop()
    remove_source(sitemap)
    passages.passages_present.forget()


def test_a_question_only_a_page_answers_shows_its_sentences_and_links_to_the_section(help_center, page):
    """Also saves the README's screenshot of an answer cited to a section when UPDATE_SCREENSHOTS=1."""
    _open(page)
    _send(page, "how long does delivery to canada take?")
    _wait_replies(page, 1)
    reply = _replies(page).nth(0)
    assert "7 to 10 business days" in reply.locator(".body").inner_text()
    link = reply.locator(".sources a")
    assert link.inner_text() == "Shipping guide › Canada"
    assert (link.get_attribute("href") or "").endswith("#canada")
    assert page.locator(W + ".sources a").count() == 1
    screenshot(page, "widget-help-center-answer.png")
    assert page.problems == []
