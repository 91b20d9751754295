"""The console's page and files: public routes of `operator_api` (they hold no data of anyone's)."""

from __future__ import annotations

from shared.core.settings import get_settings
from shared.web import console_site
from shared.web.http import Call, Reply
from shared.web.routing import Route


def console_page(call: Call) -> Reply:
    """The console, under its Content-Security-Policy (in production only at CONSOLE_URL)."""
    return _reply(console_site.page(get_settings(), host=call.request.host))


def console_styles(call: Call) -> Reply:
    """The console's style sheet."""
    return _reply(console_site.static_file("console.css"))


def console_module(call: Call, module: str) -> Reply:
    """One of the console's modules (frontend/console/<name>.js or .css; main.js is the entry)."""
    return _reply(console_site.static_file(f"{console_site.MODULES}/{module}"))


def _reply(asset: console_site.Asset) -> Reply:
    return Reply(asset.status, content=asset.content, media_type=asset.media_type, headers=asset.headers)


ROUTES = (
    Route("GET", "/", console_page, access="public"),
    Route("GET", "/console.css", console_styles, access="public"),
    Route("GET", "/console/{module}", console_module, access="public"),
)
