"""The sources as the console reads and edits them: each with its documents counted by status, one's documents.

The sync's own reads and writes are in store.py; these are the console's, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from shared.knowledge.documents.report import STATUSES

MAX_DOCUMENTS = 1000  # listed per source, failures first: a source holds at most 50,000


@dataclass(frozen=True)
class SourceSummary:
    id: int
    kind: str
    location: str
    status: str
    error: str | None
    added_at: datetime
    last_synced_at: datetime | None
    documents: dict[str, int] = field(default_factory=dict)  # by status, every status present


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    location: str
    title: str | None
    status: str
    error: str | None
    fetched_at: datetime | None
    retired_at: datetime | None
    passages: int


_SUMMARY = """
    SELECT s.id, s.kind, s.location, s.status, s.error, s.added_at, s.last_synced_at,
           coalesce((SELECT jsonb_object_agg(c.status, c.n)
                     FROM (SELECT d.status, count(*) AS n FROM documents d WHERE d.source_id = s.id
                           GROUP BY d.status) c), '{}'::jsonb) AS documents
    FROM knowledge_sources s
"""


def summaries(conn: sa.Connection) -> list[SourceSummary]:
    """Every source, oldest first, with its documents counted by status."""
    return [_summary(row) for row in conn.execute(sa.text(_SUMMARY + " ORDER BY s.id")).all()]


def summary(conn: sa.Connection, source_id: int) -> SourceSummary | None:
    """One source with its documents counted by status; None when there is none."""
    row = conn.execute(sa.text(_SUMMARY + " WHERE s.id = :id"), {"id": source_id}).first()
    return _summary(row) if row is not None else None


def add(conn: sa.Connection, *, kind: str, location: str) -> int | None:
    """Add a new source (status new); None when one is at `location` already."""
    added: int | None = conn.execute(
        sa.text("""
            INSERT INTO knowledge_sources (kind, location) VALUES (:kind, :location)
            ON CONFLICT (location) DO NOTHING RETURNING id
        """),
        {"kind": kind, "location": location},
    ).scalar()
    return added


def documents(conn: sa.Connection, source_id: int) -> tuple[list[DocumentSummary], int]:
    """The source's documents (failed first, then by location), at most MAX_DOCUMENTS, and how many it has."""
    rows = conn.execute(
        sa.text("""
            SELECT d.id, d.location, d.title, d.status, d.error, d.fetched_at, d.retired_at,
                   (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS passages,
                   count(*) OVER () AS total
            FROM documents d WHERE d.source_id = :id
            ORDER BY d.status = 'failed' DESC, d.status = 'retired', d.location
            LIMIT :limit
        """),
        {"id": source_id, "limit": MAX_DOCUMENTS},
    ).all()
    total = rows[0].total if rows else 0
    return [DocumentSummary(**{k: v for k, v in row._mapping.items() if k != "total"}) for row in rows], total


def _summary(row: sa.Row[tuple[object, ...]]) -> SourceSummary:
    values = dict(row._mapping)
    counts = values.pop("documents") or {}
    return SourceSummary(**values, documents={status: int(counts.get(status, 0)) for status in STATUSES})
