"""Sources, documents and passages as stored: typed rows in, typed rows out, the caller's transaction.

A document's passages are replaced whole when its text changed, each with its search vector
(its headings weighted A, its text B) in its language's text-search configuration; its vectors
and BM25 term weights are made afterwards, for all changed passages at once (indexing.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from shared.knowledge.documents.chunking import Passage
from shared.text.language import TEXT_SEARCH_CONFIGS


@dataclass(frozen=True)
class SourceRow:
    id: int
    kind: str
    location: str
    status: str
    error: str | None
    last_synced_at: datetime | None


@dataclass(frozen=True)
class DocumentRow:
    id: int
    location: str
    title: str | None
    content_hash: str | None
    etag: str | None
    last_modified: str | None
    status: str
    error: str | None
    failures: int
    passages: int

    @property
    def error_code(self) -> str | None:
        """The short reason of the last failure (`gone`, `timeout`...): the part of `error` before its colon."""
        return self.error.split(":", 1)[0] if self.error else None


@dataclass(frozen=True)
class NewDocument:
    """A document's fetched state, to store with its new passages."""

    title: str
    language: str
    content_hash: str
    etag: str | None
    last_modified: str | None
    note: str | None


_SOURCE_COLUMNS = "id, kind, location, status, error, last_synced_at"


def ensure_source(conn: sa.Connection, *, kind: str, location: str) -> SourceRow:
    """The source at `location`, added if new."""
    row = conn.execute(
        sa.text(f"""
            INSERT INTO knowledge_sources (kind, location) VALUES (:kind, :location)
            ON CONFLICT (location) DO UPDATE SET kind = EXCLUDED.kind
            RETURNING {_SOURCE_COLUMNS}
        """),
        {"kind": kind, "location": location},
    ).one()
    return SourceRow(**row._mapping)


def list_sources(conn: sa.Connection) -> list[SourceRow]:
    rows = conn.execute(sa.text(f"SELECT {_SOURCE_COLUMNS} FROM knowledge_sources ORDER BY id")).all()
    return [SourceRow(**row._mapping) for row in rows]


def remove_source(conn: sa.Connection, *, location: str) -> bool:
    """Remove the source with its documents and passages; False when there is none."""
    removed = conn.execute(sa.text("DELETE FROM knowledge_sources WHERE location = :l"), {"l": location})
    return bool(removed.rowcount)


def finish_source(conn: sa.Connection, *, source_id: int, status: str, error: str | None) -> None:
    conn.execute(
        sa.text("UPDATE knowledge_sources SET status = :s, error = :e, last_synced_at = now() WHERE id = :id"),
        {"s": status, "e": error, "id": source_id},
    )


def documents_of(conn: sa.Connection, *, source_id: int) -> dict[str, DocumentRow]:
    """The source's documents (retired ones too) by location, with their passage counts."""
    rows = conn.execute(
        sa.text("""
            SELECT d.id, d.location, d.title, d.content_hash, d.etag, d.last_modified, d.status, d.error, d.failures,
                   (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passages
            FROM documents d WHERE d.source_id = :source_id
        """),
        {"source_id": source_id},
    ).all()
    return {row.location: DocumentRow(**row._mapping) for row in rows}


def mark_unchanged(conn: sa.Connection, *, document_id: int, etag: str | None, last_modified: str | None) -> None:
    """Fetched again and the same (a 304, or the same text): its passages stand."""
    conn.execute(
        sa.text("""
            UPDATE documents SET status = 'unchanged', error = NULL, failures = 0, fetched_at = now(),
                   etag = coalesce(:etag, etag), last_modified = coalesce(:last_modified, last_modified)
            WHERE id = :id
        """),
        {"id": document_id, "etag": etag, "last_modified": last_modified},
    )


def mark_failed(conn: sa.Connection, *, source_id: int, location: str, error: str) -> None:
    """A failed fetch or read: the reason, one more failure in a row; the last good passages stay."""
    conn.execute(
        sa.text("""
            INSERT INTO documents (source_id, location, status, error, failures, fetched_at)
            VALUES (:source_id, :location, 'failed', :error, 1, now())
            ON CONFLICT (source_id, location) DO UPDATE SET
                status = 'failed', error = EXCLUDED.error, failures = documents.failures + 1, fetched_at = now()
        """),
        {"source_id": source_id, "location": location, "error": error},
    )


def retire(conn: sa.Connection, *, document_id: int) -> None:
    """Gone: its passages go, and a next fetch (should it come back) is a full one."""
    conn.execute(sa.text("DELETE FROM passages WHERE document_id = :id"), {"id": document_id})
    conn.execute(
        sa.text("""
            UPDATE documents SET status = 'retired', retired_at = now(), content_hash = NULL, etag = NULL,
                   last_modified = NULL
            WHERE id = :id
        """),
        {"id": document_id},
    )


def save_indexed(
    conn: sa.Connection, *, source_id: int, location: str, document: NewDocument, passages: list[Passage]
) -> int:
    """Store the document's new version and replace its passages; returns its id."""
    document_id: int = conn.execute(
        sa.text("""
            INSERT INTO documents (source_id, location, title, language, content_hash, etag, last_modified,
                                   fetched_at, status, error, failures)
            VALUES (:source_id, :location, :title, :language, :content_hash, :etag, :last_modified,
                    now(), 'indexed', :note, 0)
            ON CONFLICT (source_id, location) DO UPDATE SET
                title = EXCLUDED.title, language = EXCLUDED.language, content_hash = EXCLUDED.content_hash,
                etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, fetched_at = now(),
                status = 'indexed', error = EXCLUDED.error, failures = 0, retired_at = NULL
            RETURNING id
        """),
        {"source_id": source_id, "location": location, **document.__dict__},
    ).scalar_one()
    conn.execute(sa.text("DELETE FROM passages WHERE document_id = :id"), {"id": document_id})
    if passages:
        conn.execute(_INSERT_PASSAGE, [_passage_values(document_id, document, i, p) for i, p in enumerate(passages)])
    return document_id


_INSERT_PASSAGE = sa.text("""
    INSERT INTO passages (document_id, position, heading_path, anchor, content, sections, language, search_vector)
    VALUES (:document_id, :position, :heading_path, :anchor, :content, CAST(:sections AS jsonb), :language,
            setweight(to_tsvector(CAST(:config AS regconfig), :context), 'A')
            || setweight(to_tsvector(CAST(:config AS regconfig), :content), 'B'))
""")


def _passage_values(document_id: int, document: NewDocument, position: int, passage: Passage) -> dict[str, Any]:
    from shared.text.language import language_of

    language = language_of(passage.content, document.language)
    sections = [
        {"offset": s.offset, "heading_path": list(s.heading_path), "anchor": s.anchor} for s in passage.sections
    ]
    return {
        "document_id": document_id,
        "position": position,
        "heading_path": list(passage.heading_path),
        "anchor": passage.anchor,
        "content": passage.content,
        "sections": json.dumps(sections),
        "language": language,
        "config": TEXT_SEARCH_CONFIGS.get(language, "simple"),
        "context": " ".join(context_of(document.title, passage.heading_path)),
    }


def context_of(title: str | None, heading_path: tuple[str, ...] | list[str]) -> list[str]:
    """What a passage is about before its text: the document's title, then its headings (the title once)."""
    path = list(heading_path)
    return path if not title or path[:1] == [title] else [title, *path]
