"""Debian's Chromium for the browser tests (Playwright cannot download its own here)."""

from __future__ import annotations

import os
import shutil

import pytest

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
