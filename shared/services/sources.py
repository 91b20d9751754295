"""The help center's sources in the console: list them, add one, re-sync one, remove one, read one's documents.

Adding, re-syncing and removing are admins' and audited in kb_audit. A sync from the console runs
inside its request, since Cloud Functions gives no CPU after the response: no document is started
after KNOWLEDGE_REQUEST_SYNC_SECONDS, and those not reached are left to the next scheduled sync
(`sync_due_sources()` takes every unfinished source); the answer counts them. When another sync
holds the lock, an added source waits for the scheduled sync, and a re-sync is a 409 to retry.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import sqlalchemy as sa

from shared.clients.outbound import host_and_port
from shared.core import errors
from shared.core.settings import get_settings
from shared.db.engine import connection, transaction
from shared.knowledge import entries
from shared.knowledge.documents import sources, store
from shared.knowledge.documents.discovery import source_kind
from shared.knowledge.documents.extract import EXTENSIONS
from shared.knowledge.documents.indexing import refresh_terms
from shared.knowledge.documents.report import SyncReport
from shared.knowledge.documents.sync import normalized, sync_sources
from shared.schemas.sources import (
    DocumentCounts,
    DocumentList,
    DocumentPublic,
    SourceCreate,
    SourceList,
    SourcePublic,
    SourceSynced,
    SyncOutcome,
)
from shared.services import _model_usage as model_usage


def list_sources() -> SourceList:
    """Every source with its documents counted by status."""
    with connection() as conn:
        return SourceList(sources=[_public(found) for found in sources.summaries(conn)])


def add_source(request: SourceCreate, *, actor: str) -> SourceSynced:
    """Add a source (409 if it is one already), then sync it within the request's deadline."""
    kind, location = checked_location(request.location)
    with transaction() as conn:
        source_id = sources.add(conn, kind=kind, location=location)
        if source_id is None:
            raise errors.Conflict(f"{location} is a source already: re-sync it instead.")
        entries.audit(conn, actor=actor, action="source_added", details={"source_id": source_id, "location": location})
    return _synced(source_id, location)


def resync_source(source_id: int, *, actor: str) -> SourceSynced:
    """Sync one source again within the request's deadline; 409 while another sync runs."""
    with connection() as conn:
        location = _source(conn, source_id).location
    synced = _synced(source_id, location)
    if synced.sync.busy:
        raise errors.Conflict("Another sync of the documents is running: re-sync when it has finished.")
    with transaction() as conn:
        entries.audit(conn, actor=actor, action="source_synced", details={"source_id": source_id, "location": location})
    return synced


def remove_source(source_id: int, *, actor: str) -> None:
    """Remove a source with its documents and passages, and refresh the passages' term weights."""
    with transaction() as conn:
        location = _source(conn, source_id).location
        store.remove_source(conn, location=location)
        details = {"source_id": source_id, "location": location}
        entries.audit(conn, actor=actor, action="source_removed", details=details)
    refresh_terms()


def source_documents(source_id: int) -> DocumentList:
    """The source's documents with their status, reason, passages and when each was last fetched."""
    with connection() as conn:
        source = _source(conn, source_id)
        found, total = sources.documents(conn, source_id)
    listed = [DocumentPublic.model_validate(document, from_attributes=True) for document in found]
    return DocumentList(source=_public(source), documents=listed, total=total)


def checked_location(raw: str) -> tuple[str, str]:
    """(kind, location as stored) of a source the sync can read; ValidationFailed saying why not."""
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        _invalid("is not a valid URL")
    if parts.scheme in ("http", "https"):
        _check_url(raw, parts.hostname, bool(parts.username or parts.password))
    elif parts.scheme or parts.netloc:
        _invalid("must be an http or https URL (a sitemap or a page)")
    else:
        _check_path(Path(raw))
    location = normalized(raw)
    return source_kind(location), location


def _check_url(url: str, host: str | None, credentials: bool) -> None:
    if not host:
        _invalid("must name a host")
    if credentials:
        _invalid("must not carry a user name or password")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: its addresses are checked at each fetch
    if not address.is_global and host_and_port(url) not in get_settings().knowledge_allowed_private_hosts:
        _invalid("is a private address: only public sites are read (KNOWLEDGE_ALLOWED_PRIVATE_HOSTS)")


def _check_path(path: Path) -> None:
    if get_settings().environment == "production":
        _invalid("must be an http or https URL: folders and files are read in local runs only")
    try:
        found, is_file = path.exists(), path.is_file()
    except OSError:  # a name too long, a folder not readable...
        found = is_file = False
    if not found:
        _invalid("is no URL, and no folder or file on the server")
    if is_file and path.suffix.lower() not in EXTENSIONS:
        _invalid(f"is not a file the sync reads ({', '.join(sorted(EXTENSIONS))})")


def _invalid(message: str) -> NoReturn:
    raise errors.ValidationFailed(f"The location {message}.", details=[{"field": "location", "message": message}])


def _synced(source_id: int, location: str) -> SourceSynced:
    report = sync_sources([location], within=get_settings().knowledge_request_sync_seconds)
    model_usage.flush()  # a remote embedder's, for the new passages
    with connection() as conn:
        source = _source(conn, source_id)
    return SourceSynced(source=_public(source), sync=_outcome(report))


def _outcome(report: SyncReport) -> SyncOutcome:
    counts = DocumentCounts(**{status: report.count(status) for status in DocumentCounts.model_fields})
    left = sum(source.left for source in report.sources)
    return SyncOutcome(busy=report.busy, documents=counts, left=left, seconds=round(report.seconds, 2))


def _source(conn: sa.Connection, source_id: int) -> sources.SourceSummary:
    found = sources.summary(conn, source_id)
    if found is None:
        raise errors.NotFound(f"There is no source {source_id}.")
    return found


def _public(source: sources.SourceSummary) -> SourcePublic:
    return SourcePublic.model_validate({**source.__dict__, "documents": DocumentCounts(**source.documents)})
