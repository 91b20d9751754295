"""Debian's Chromium for the browser tests (Playwright cannot download its own here)."""

from __future__ import annotations

import os
import shutil

import pytest

from shared.core.settings import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
README_SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require(available: bool, what: str) -> None:
    """Fail in CI, skip elsewhere, when a tool the test needs is missing."""
    if not available:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is required in CI (./dev test installs it)")
        pytest.skip(f"{what} is not installed (./dev test installs it)")


def screenshot(page, name: str) -> None:
    """Save a screenshot under test-artifacts; with UPDATE_SCREENSHOTS=1, also the README's copy."""
    page.wait_for_timeout(200)  # let the last render settle
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_SCREENSHOTS / name))


def watched_page(context):
    """A new page that keeps its script errors in `page.problems`, the text of every dialog (dismissed)
    in `page.dialogs` and the URLs it asked for in `page.requested`."""
    page = context.new_page()
    page.problems = []
    page.dialogs = []
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    # Chromium logs every 4xx as "Failed to load resource"; the API's own errors are checked on screen.
    page.on(
        "console",
        lambda msg: (
            page.problems.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page
