"""The demo help center beside `./dev run`: helpcenter/ served on its own port, synced in the background.

`start(port)` serves helpcenter/ with devtools.fake_help_center (on a free port if that default is
taken) and sets, unless the environment or `.env` already does, KNOWLEDGE_SOURCES to its sitemap
and KNOWLEDGE_ALLOWED_PRIVATE_HOSTS to its host:port. The site answers conditional GETs (ETag,
Last-Modified), so a later run's sync of unchanged pages costs a 304 each, and it writes its own
URL where the pages say https://help.innovatetech.example: the sitemap lists the local pages, and
those are the URLs customers see under an answer. Naming sources of your own (KNOWLEDGE_SOURCES,
empty to sync none) leaves the demo help center out.

`sync_in_background()`, called once the bot listens, syncs KNOWLEDGE_SOURCES in a daemon thread
and prints what it did; meanwhile answers come from what is indexed so far. A failed sync is
logged and the run goes on. Nothing here is deployed.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Collection

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from devtools.local_demo import user_settings

HELP_PORT_OFFSET = 12  # the demo help center listens on the bot's port + 12: 8092 beside 8080
PREFIX = "help center:"
# The demo's sitemap as an earlier run on another port served it.
_DEMO_SITEMAP = re.compile(r"http://127\.0\.0\.1:\d+/sitemap\.xml")
log = logging.getLogger("support.local")


def start(port: int, *, chosen: bool = False) -> FakeHelpCenter | None:
    """Serve the demo help center on `port` and make it the source, unless the user's settings name sources."""
    configured = user_settings()
    if "KNOWLEDGE_SOURCES" in configured:
        return None
    site = _serve_site(port, chosen)
    os.environ.update(help_center_environment(site.url, configured))
    print(f"{PREFIX} {site.url}/ (helpcenter/, synced in the background once the bot listens)")
    return site


def _serve_site(port: int, chosen: bool) -> FakeHelpCenter:
    try:
        return FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start(port)
    except (OSError, OverflowError) as exc:
        if chosen:
            raise SystemExit(f"{PREFIX} cannot listen on 127.0.0.1:{port} ({exc})") from None
        print(f"{PREFIX} port {port} is taken, using another (--help-port chooses one)")
        return FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()


def help_center_environment(site_url: str, configured: Collection[str]) -> dict[str, str]:
    """The settings for the demo help center at `site_url`, but for those in `configured`."""
    values = {
        "KNOWLEDGE_SOURCES": f"{site_url}/sitemap.xml",
        "KNOWLEDGE_ALLOWED_PRIVATE_HOSTS": site_url.removeprefix("http://"),
    }
    return {name: value for name, value in values.items() if name not in configured}


def sync_in_background(site: FakeHelpCenter | None) -> threading.Thread | None:
    """Sync KNOWLEDGE_SOURCES in a daemon thread (after removing an earlier run's demo site); None with no sources."""
    from shared.core.settings import get_settings

    if not get_settings().knowledge_sources:
        return None
    thread = threading.Thread(target=sync_and_report, args=(site,), name="help-center-sync", daemon=True)
    thread.start()
    return thread


def sync_and_report(site: FakeHelpCenter | None) -> None:
    """Sync the sources and print what changed; any exception is logged, never raised."""
    try:
        if site is not None:
            _forget_earlier_sites(f"{site.url}/sitemap.xml")
        _sync()
    except Exception:
        log.exception("the help center's sync failed")
        _say("the sync failed (see the log line above); answers use what was indexed before")


def _sync() -> None:
    from shared.core.settings import get_settings
    from shared.knowledge.documents.sync import sync_sources
    from shared.services import _model_usage as model_usage

    _say(f"syncing {', '.join(get_settings().knowledge_sources)}; answers use what is indexed so far")
    report = sync_sources(say=lambda line: _say(line.strip()))
    model_usage.flush()
    for line in report.summary():
        _say(line)
    if not report.busy:
        live = [d for source in report.sources for d in source.documents if d.status != "retired"]
        searchable = [d for d in live if d.passages]
        passages = sum(d.passages for d in searchable)
        _say(f"{len(searchable)} of {len(live)} documents searchable, {passages} passages in all")


def _forget_earlier_sites(sitemap: str) -> None:
    """Remove the demo site as runs on other ports synced it: its links lead nowhere now."""
    from shared.db.engine import connection
    from shared.knowledge.documents import store
    from shared.knowledge.documents.sync import remove_source

    with connection() as conn:
        earlier = [s.location for s in store.list_sources(conn) if _DEMO_SITEMAP.fullmatch(s.location)]
    for location in earlier:
        if location != sitemap and remove_source(location):
            _say(f"removed {location}, the demo site of a run on another port")


def _say(line: str) -> None:
    print(f"{PREFIX} {line}", flush=True)
