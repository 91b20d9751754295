"""The operator console's page and files, served by `operator_api` from its own origin.

Deployed, `operator_api`'s own `run.app` URL is an origin (and, `run.app` being a public suffix,
a site) that only this function answers on, so the operator token in the console's
sessionStorage is out of reach of every other page. Only an allow-list of files under
frontend/ is served (`files`), the same list the deploy archive carries; the page goes out under
a strict Content-Security-Policy, and in production only at CONSOLE_URL (any other host of the
function, such as the project's shared `cloudfunctions.net` one, is redirected there).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from shared.core import errors
from shared.core.settings import PROJECT_ROOT, Settings

FRONTEND = PROJECT_ROOT / "frontend"
PAGE = "console.html"
_TOP_FILES = (PAGE, "console.css")
MODULES = "console"  # the folder of ES modules (main.js the entry) and style sheets, one level deep
_MODULE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\.(?:js|css)")
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}  # the server adds charset=utf-8
_GIS = "https://accounts.google.com/gsi/"
_CLIENT_ID_META = '<meta name="google-client-id" content="{}">'

# Scripts and styles from this origin and Google Identity Services only, nothing inline; calls to
# this origin; never framed, no <base>, no form posts.
PAGE_POLICY = "; ".join(
    [
        "default-src 'none'",
        f"script-src 'self' {_GIS}client",
        f"style-src 'self' {_GIS}style",
        "img-src 'self' data:",
        f"connect-src 'self' {_GIS}",
        f"frame-src {_GIS}",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    ]
)
_PAGE_HEADERS = (
    ("Content-Security-Policy", PAGE_POLICY),
    ("X-Frame-Options", "DENY"),
    # A window another site opened gets no handle on the console; Google's sign-in popup keeps one.
    ("Cross-Origin-Opener-Policy", "same-origin-allow-popups"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
)
_FILE_HEADERS = (
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-cache"),
)


@dataclass(frozen=True)
class Asset:
    """One answer of the console's site: a file's bytes with their type and headers, or a redirect."""

    content: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]
    status: int = 200


def files(root: Path = FRONTEND) -> dict[str, Path]:
    """Every file the console may serve, by its path below the function (`console.css`, `console/inbox.js`)."""
    found = {name: root / name for name in _TOP_FILES if (root / name).is_file()}
    folder = root / MODULES
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and _MODULE_NAME.fullmatch(path.name):
                found[f"{MODULES}/{path.name}"] = path
    return found


def page(settings: Settings, *, host: str, root: Path = FRONTEND) -> Asset:
    """The console's page for a request to `host`; in production, a redirect unless `host` is CONSOLE_URL's."""
    if settings.environment == "production":
        home = settings.console_url or ""
        if not urlsplit(home).netloc:
            raise errors.NotFound("The console is served at CONSOLE_URL, which is not set.")
        if host.lower() != urlsplit(home).netloc.lower():
            return Asset(b"", "text/plain", (("Location", home), ("Cache-Control", "no-store")), 308)
    text = (root / PAGE).read_text(encoding="utf-8")
    client_id = html.escape(settings.google_oauth_client_id or "", quote=True)
    text = text.replace(_CLIENT_ID_META.format(""), _CLIENT_ID_META.format(client_id))
    return Asset(text.encode(), _TYPES[".html"], _PAGE_HEADERS)


def static_file(name: str, root: Path = FRONTEND) -> Asset:
    """One allow-listed file (`console.css`, `console/inbox.js`); NotFound for anything else."""
    path = files(root).get(name)
    if path is None or name == PAGE:
        raise errors.NotFound("No such path.")
    return Asset(path.read_bytes(), _TYPES[path.suffix], _FILE_HEADERS)
