"""The console's export and erasure of a customer's data, admins only, in a real Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.browser import test_console_browser
from tests.browser.test_console_browser import _agent, _customer, _sign_in

pytestmark = pytest.mark.browser
open_page = test_console_browser.open_page  # the console's own page fixture (a local run, email sign-in)


def test_an_agent_sees_neither_export_nor_erase(open_page, local_run):
    customer = _customer(local_run, "Where is my parcel?")
    page = open_page(f"/console#/conversations/{customer.id}")
    _sign_in(page, _agent())
    page.wait_for_selector("#transcript .msg")
    assert not page.locator("#privacy-export").is_visible()
    assert not page.locator("#privacy-erase").is_visible()


def test_an_admin_exports_then_erases_a_conversation_after_confirming(open_page, local_run):
    customer = _customer(local_run, "Where is my parcel 5512?")
    page = open_page(f"/console#/conversations/{customer.id}")
    _sign_in(page, _agent(role="admin"))
    page.wait_for_selector("#transcript .msg")
    with page.expect_download() as download:
        page.click("#privacy-export")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["conversations"][0]["messages"][0]["content"] == "Where is my parcel 5512?"

    page.click("#privacy-erase")
    page.click("#privacy-erase-no")
    assert page.locator("#privacy-confirm").is_hidden()
    page.click("#privacy-erase")
    page.click("#privacy-erase-yes")
    page.wait_for_selector("#notice-text >> text=The conversation was erased.")
    read = httpx.get(f"{local_run}/get_messages?session_id={customer.id}", headers=customer.auth)
    assert read.status_code == 401
