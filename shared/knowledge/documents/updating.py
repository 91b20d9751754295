"""One document's sync: fetch or read it, and store what changed (see sync.py for the whole)."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from shared.clients.pages import FetchError, Page, PageFetcher, TooLarge, Unreachable
from shared.core.settings import Settings
from shared.db.engine import transaction
from shared.knowledge.documents import store
from shared.knowledge.documents.chunking import Passage, chunk
from shared.knowledge.documents.extract import Unreadable, extract, kind_of
from shared.knowledge.documents.report import DocumentOutcome

CHUNKING_VERSION = "1"  # in every content hash: changing how documents are cut re-chunks them all
MAX_PASSAGES = 1000  # per document
log = logging.getLogger("support.documents")


def sync_document(
    source: store.SourceRow, location: str, known: store.DocumentRow | None, fetcher: PageFetcher, settings: Settings
) -> DocumentOutcome:
    """Fetch (or read) the document at `location` and store what became of it; never raises."""
    try:
        return _index(source, location, known, _fetch(source, location, known, fetcher, settings))
    except FetchError as error:
        return _failed(source, location, known, f"{error.code}: {error}")
    except Unreadable as error:
        return _failed(source, location, known, f"{error.code}: {error}")
    except Exception as error:  # one document's surprise must not cost the others their sync
        log.exception("syncing the document %s failed", location)
        return _failed(source, location, known, f"internal: {type(error).__name__} (see the logs)")


def _fetch(
    source: store.SourceRow, location: str, known: store.DocumentRow | None, fetcher: PageFetcher, settings: Settings
) -> Page:
    if source.kind in ("folder", "file"):
        return _read_file(Path(location), settings.knowledge_max_document_bytes)
    validators = known is not None and known.content_hash is not None
    return fetcher.fetch(
        location,
        site=urlsplit(source.location).hostname or "",
        etag=known.etag if validators and known else None,
        last_modified=known.last_modified if validators and known else None,
    )


def _read_file(path: Path, max_bytes: int) -> Page:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"{size:,} bytes, over the limit of {max_bytes:,}")
        body = path.read_bytes()
    except FileNotFoundError:
        return Page(str(path), 404, "", None, b"", None, None)
    except OSError as error:
        raise Unreachable(f"cannot read the file ({error.strerror})") from None
    return Page(str(path), 200, "", None, body, None, None)


def _index(source: store.SourceRow, location: str, known: store.DocumentRow | None, page: Page) -> DocumentOutcome:
    if page.not_modified and known is not None:
        return _unchanged(known, page)
    if page.status in (404, 410):
        return _gone(source, location, known, page.status)
    if page.status != 200:
        code = "server_error" if page.status >= 500 else "http_error"
        return _failed(source, location, known, f"{code}: the server answered HTTP {page.status}")
    kind = kind_of(page.media_type, page.url)
    if kind is None:
        raise Unreadable("unsupported", f"not a page or document we read ({page.media_type or 'no content type'})")
    extracted = extract(page.body, kind=kind, location=page.url, charset=page.charset)
    passages = chunk(extracted.sections)
    note = extracted.note
    if len(passages) > MAX_PASSAGES:
        note = f"{len(passages):,} passages: the first {MAX_PASSAGES:,} are kept" + (f"; {note}" if note else "")
        passages = passages[:MAX_PASSAGES]
    digest = _content_hash(extracted.title, extracted.language, passages)
    if known is not None and known.content_hash == digest and known.status != "retired":
        return _unchanged(known, page)
    document = store.NewDocument(extracted.title, extracted.language, digest, page.etag, page.last_modified, note)
    with transaction() as conn:
        store.save_indexed(conn, source_id=source.id, location=location, document=document, passages=passages)
    return DocumentOutcome(location, "indexed", note, len(passages))


def _content_hash(title: str, language: str, passages: list[Passage]) -> str:
    content = [[list(p.heading_path), p.anchor, p.content] for p in passages]
    data = json.dumps([CHUNKING_VERSION, title, language, content], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _unchanged(known: store.DocumentRow, page: Page) -> DocumentOutcome:
    with transaction() as conn:
        store.mark_unchanged(conn, document_id=known.id, etag=page.etag, last_modified=page.last_modified)
    return DocumentOutcome(known.location, "unchanged", None, known.passages)


def _gone(source: store.SourceRow, location: str, known: store.DocumentRow | None, status: int) -> DocumentOutcome:
    if known is not None and known.status == "failed" and known.error_code == "gone":
        return retire(known, f"gone: HTTP {status} at two syncs in a row")
    return _failed(source, location, known, f"gone: HTTP {status} (retired if still gone at the next sync)")


def _failed(source: store.SourceRow, location: str, known: store.DocumentRow | None, error: str) -> DocumentOutcome:
    with transaction() as conn:
        store.mark_failed(conn, source_id=source.id, location=location, error=error)
    return DocumentOutcome(location, "failed", error, known.passages if known else 0)


def retire(known: store.DocumentRow, reason: str) -> DocumentOutcome:
    """Take a document out: its passages go."""
    with transaction() as conn:
        store.retire(conn, document_id=known.id)
    return DocumentOutcome(known.location, "retired", reason, 0)
