"""Syncing the knowledge sources: `sync_sources()` (`python -m shared.knowledge.ingest`, and the scheduled re-sync).

For each source its documents are listed (discovery.py), then each is fetched (a conditional GET
for a page, a read for a file) and
- a 304, or the same text as last time (the content hash): unchanged, nothing re-chunked or re-embedded;
- new or changed: extracted, chunked, its passages replaced: indexed;
- a 404 or 410: failed (gone); gone at two syncs in a row: retired, its passages removed;
- any other problem: failed with the reason, its last good passages kept.
A document that a complete listing no longer names is retired. With a deadline (a sync from the
console runs in its request), no document is started after it: the source is `unfinished` and
the next scheduled sync (`sync_due_sources()`) takes it up. Then, once for all sources, the
passages' term weights are rebuilt if any passage changed, and the passages without a vector
for the configured embedder are embedded in batches, and the passages' threshold is measured
again (knowledge/passages.calibrate). One sync runs at a time (an advisory lock).
No document's problem stops the sync: each is a status on that document and a line of the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from shared.clients.pages import FetchPolicy, PageFetcher, same_site
from shared.core.settings import Settings, get_settings
from shared.db.engine import connection, transaction
from shared.embeddings import get_embedder
from shared.knowledge import passages
from shared.knowledge.documents import store, updating
from shared.knowledge.documents.discovery import Listing, list_folder, read_sitemaps, source_kind
from shared.knowledge.documents.indexing import EmbeddingWork, embed_pending, refresh_terms
from shared.knowledge.documents.report import SourceReport, SyncReport

LOCK_KEY = 0x646F6373  # "docs": any constant every syncing process agrees on
Say = Callable[[str], None]


def sync_sources(
    locations: list[str] | None = None, *, say: Say | None = None, within: float | None = None
) -> SyncReport:
    """Sync `locations` (default: KNOWLEDGE_SOURCES) and index what changed; `say` gets each problem as it happens.

    `within`: seconds after which no further document is started (the rest is left to the next sync).
    """
    settings = get_settings()
    began = time.perf_counter()
    deadline = time.monotonic() + within if within is not None else None
    with connection() as lock:
        if not lock.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar():
            return SyncReport([], busy=True)
        try:
            report = _sync(locations if locations is not None else settings.knowledge_sources, settings, say, deadline)
        finally:
            lock.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
    report.seconds = time.perf_counter() - began
    return report


def sync_due_sources(*, say: Say | None = None) -> SyncReport:
    """Sync the sources (configured, or added from the console) not synced for KNOWLEDGE_SYNC_HOURS, and those
    never synced or left unfinished (the scheduled run's work)."""
    settings = get_settings()
    with connection() as conn:
        stored = conn.execute(
            sa.text(
                "SELECT location, status NOT IN ('new', 'unfinished')"
                " AND last_synced_at > now() - make_interval(secs => CAST(:hours AS float8) * 3600) AS fresh"
                " FROM knowledge_sources ORDER BY id"
            ),
            {"hours": settings.knowledge_sync_hours},
        ).all()
    fresh = {row.location for row in stored if row.fresh}
    every = dict.fromkeys([*map(normalized, settings.knowledge_sources), *(row.location for row in stored)])
    return sync_sources([location for location in every if location not in fresh], say=say)


def remove_source(location: str) -> bool:
    """Remove a source with its documents and passages (their term weights follow at the next sync)."""
    with transaction() as conn:
        removed = store.remove_source(conn, location=normalized(location))
    if removed:
        refresh_terms()
        passages.passages_present.forget()
    return removed


def _sync(locations: list[str], settings: Settings, say: Say | None, deadline: float | None) -> SyncReport:
    policy = FetchPolicy(
        timeout=settings.knowledge_fetch_timeout_seconds,
        max_bytes=settings.knowledge_max_document_bytes,
        allowed_hosts=frozenset(settings.knowledge_allowed_hosts),
        private_hosts=frozenset(settings.knowledge_allowed_private_hosts),
    )
    with PageFetcher(policy) as fetcher:
        sources = [_sync_source(normalized(location), fetcher, settings, say, deadline) for location in locations]
    changed = any(outcome.status in ("indexed", "retired") for source in sources for outcome in source.documents)
    terms_seconds = refresh_terms() if changed else 0.0
    embedder = get_embedder()
    embedded = embed_pending(embedder) if sources else EmbeddingWork(0, 0.0)
    if changed or embedded.passages:
        with transaction() as conn:  # the passages' threshold follows what they say now
            passages.calibrate(conn, embedder)
        passages.passages_present.forget()  # this process answers from them at once (./dev run's sync)
    return SyncReport(sources, embedded=embedded, terms_seconds=terms_seconds)


def normalized(location: str) -> str:
    """A source's location as stored: a URL as given (trimmed), a path made absolute."""
    location = location.strip()
    return location if urlsplit(location).scheme in ("http", "https") else str(Path(location).resolve())


def _sync_source(
    location: str, fetcher: PageFetcher, settings: Settings, say: Say | None, deadline: float | None
) -> SourceReport:
    kind = source_kind(location)
    with transaction() as conn:
        source = store.ensure_source(conn, kind=kind, location=location)
        known = store.documents_of(conn, source_id=source.id)
    listing = _listing(source, fetcher, settings)
    report = SourceReport(location, kind, problems=list(listing.problems))
    for problem in listing.problems:
        _say(say, f"  {location}: {problem}")
    for index, document in enumerate(listing.locations):
        if deadline is not None and time.monotonic() >= deadline:
            report.left = len(listing.locations) - index
            _say(say, f"  {location}: the deadline passed: {report.left} documents left for the next sync")
            break
        report.documents.append(updating.sync_document(source, document, known.get(document), fetcher, settings))
        _say(say, report.documents[-1].line())
    if listing.complete:
        for document, row in known.items():
            if row.status != "retired" and document not in set(listing.locations):
                report.documents.append(updating.retire(row, "no longer listed by the source"))
                _say(say, report.documents[-1].line())
    report.status = "unfinished" if report.left else _source_status(listing, report)
    problems = [*report.problems, *([f"{report.left} documents left for the next sync"] if report.left else [])]
    with transaction() as conn:
        store.finish_source(conn, source_id=source.id, status=report.status, error="; ".join(problems) or None)
    return report


def _listing(source: store.SourceRow, fetcher: PageFetcher, settings: Settings) -> Listing:
    limit = settings.knowledge_max_pages_per_source
    if source.kind == "folder":
        return list_folder(Path(source.location), limit)
    if source.kind != "sitemap":
        return Listing([source.location])
    site = urlsplit(source.location).hostname or ""

    def allowed(url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return same_site(host, site) or host in settings.knowledge_allowed_hosts

    return read_sitemaps(source.location, fetcher, site=site, limit=limit, allowed=allowed)


def _source_status(listing: Listing, report: SourceReport) -> str:
    if not listing.locations and not listing.complete:
        return "failed"  # nothing could be listed
    if listing.locations and report.count("failed") == len(listing.locations):
        return "failed"  # nothing listed could be read
    return "partial" if report.problems or report.count("failed") else "synced"


def _say(say: Say | None, line: str | None) -> None:
    if say is not None and line:
        say(line)
