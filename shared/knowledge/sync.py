"""Import a knowledge-base file: `python -m shared.knowledge.sync [PATH] [--force]`.

Idempotent: new entries are created, changed ones get a new version, entries missing from the
file are retired, unchanged ones are untouched; each change is recorded as a version written
by "import". An entry that someone changed in the console since the last import (or created
there) is a conflict when the file disagrees with it: it is reported and left as it is, unless
`--force` makes the file win.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from shared.db.engine import connection, transaction
from shared.embeddings import get_embedder
from shared.knowledge import calibration, entries, vectors
from shared.knowledge.base import FaqEntry, load_knowledge_base
from shared.settings import get_settings

_REFRESH_VOCABULARY = (
    sa.text("DELETE FROM kb_vocabulary"),
    sa.text("""
        INSERT INTO kb_vocabulary (word)
        SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', match_text) FROM kb_entries')
        WHERE length(word) >= 3 AND word !~ '^[0-9]+$'
    """),
)

# BM25 (Robertson's k1 = 1.2, b = 0.75; Lucene's idf, never negative) over each entry's search
# vector: a lexeme counts once per occurrence in the question, keywords and examples, and
# ANSWER_TERM_WEIGHT per occurrence in the answer, which talks around the question more than it asks it.
# Weights are divided by the idf of a word found in one entry only, so one rare word matched
# once scores about 1 whatever the size of the knowledge base, and thresholds carry over.
BM25_K1 = 1.2
BM25_B = 0.75
ANSWER_TERM_WEIGHT = 0.25
_REFRESH_TERM_WEIGHTS = (
    sa.text("DELETE FROM kb_terms"),
    sa.text("DELETE FROM kb_lexemes"),
    sa.text("""
        CREATE TEMPORARY TABLE kb_term_counts AS
        SELECT e.id AS entry_id, t.lexeme,
               (SELECT sum(CASE w WHEN 'D' THEN CAST(:answer_weight AS float8) ELSE 1.0 END)
                FROM unnest(t.weights) AS w) AS tf
        FROM kb_entries e, unnest(e.search_vector) AS t
    """),
    sa.text("""
        INSERT INTO kb_lexemes (lexeme, rarity)
        SELECT c.lexeme,
               ln(1 + (n.entries - count(*) + 0.5) / (count(*) + 0.5)) / ln(1 + (n.entries - 0.5) / 1.5)
        FROM kb_term_counts c CROSS JOIN (SELECT count(*) AS entries FROM kb_entries) n
        GROUP BY c.lexeme, n.entries
    """),
    sa.text("""
        INSERT INTO kb_terms (lexeme, entry_id, weight)
        WITH lengths AS (SELECT entry_id, sum(tf) AS length FROM kb_term_counts GROUP BY entry_id),
        corpus AS (SELECT avg(length) AS mean_length FROM lengths)
        SELECT c.lexeme, c.entry_id,
               x.rarity * c.tf * (CAST(:k1 AS float8) + 1)
               / (c.tf + CAST(:k1 AS float8) * (1 - CAST(:b AS float8) + CAST(:b AS float8) * l.length / s.mean_length))
        FROM kb_term_counts c
        JOIN lengths l USING (entry_id)
        JOIN kb_lexemes x USING (lexeme)
        CROSS JOIN corpus s
    """),
    sa.text("DROP TABLE kb_term_counts"),
)
_BM25_PARAMS = {"k1": BM25_K1, "b": BM25_B, "answer_weight": ANSWER_TERM_WEIGHT}


IMPORT_AUTHOR = "import"


@dataclass(frozen=True)
class Conflict:
    entry_id: str
    reason: str


@dataclass(frozen=True)
class SyncReport:
    inserted: int
    updated: int
    removed: int
    unchanged: int
    embedded_entries: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class _Tally:
    inserted: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.removed)


def sync_entries(faqs: list[FaqEntry], *, force: bool = False) -> SyncReport:
    """Make the live knowledge base match `faqs`, in one transaction; console edits win unless `force`."""
    tally = _Tally()
    with transaction() as conn:
        for position, entry in enumerate(faqs):
            _import_entry(conn, entry, position, tally, force=force)
        _retire_missing(conn, {entry.entry_id for entry in faqs}, tally, force=force)
        if tally.changed:
            entries.audit(
                conn,
                actor=IMPORT_AUTHOR,
                action="imported",
                details={"inserted": tally.inserted, "updated": tally.updated, "removed": tally.removed},
            )
        changed = tally.changed or _lexical_index_missing(conn)
        if changed:
            refresh_lexical_index(conn)
    if changed:
        vacuum_lexical_index()
    embedder = get_embedder()
    embedded = vectors.refresh(embedder, rebuild=tally.changed)
    with transaction() as conn:
        if changed or embedded.embedded_entries or not calibration.is_calibrated(conn, embedder):
            calibration.calibrate(conn, embedder)
    return SyncReport(
        tally.inserted, tally.updated, tally.removed, tally.unchanged, embedded.embedded_entries, tally.conflicts
    )


def _import_entry(conn: sa.Connection, entry: FaqEntry, position: int, tally: _Tally, *, force: bool) -> None:
    current = entries.live(conn, entry.entry_id, lock=True)
    changed = entries.changed_fields(current.entry if current else None, entry)
    if current is not None and not changed:
        tally.unchanged += 1
        if current.position != position or current.imported_version != current.version:
            conn.execute(
                sa.text("UPDATE kb_entries SET position = :p, imported_version = version WHERE id = :id"),
                {"p": position, "id": entry.entry_id},
            )
        return
    if not force and (reason := _edited_in_console(conn, entry.entry_id, current)):
        tally.conflicts.append(Conflict(entry.entry_id, reason))
        return
    version = entries.next_version(conn, entry.entry_id)
    entries.write(
        conn, entry, position=position, version=version, imported_version=version, author=IMPORT_AUTHOR, changed=changed
    )
    entries.audit(
        conn,
        actor=IMPORT_AUTHOR,
        action="created" if current is None else "edited",
        entry_id=entry.entry_id,
        version=version,
        details={"changed": changed},
    )
    if current is None:
        tally.inserted += 1
    else:
        tally.updated += 1


def _edited_in_console(conn: sa.Connection, entry_id: str, current: entries.LiveEntry | None) -> str | None:
    """Why the file may not overwrite this entry: someone changed it in the console since the last import."""
    if current is not None:
        if current.imported_version is None:
            return "created in the console, never imported"
        return "edited in the console since the last import" if current.version != current.imported_version else None
    last = conn.execute(
        sa.text("SELECT retired, author FROM kb_entry_versions WHERE entry_id = :id ORDER BY version DESC LIMIT 1"),
        {"id": entry_id},
    ).first()
    if last is not None and last.retired and last.author != IMPORT_AUTHOR:
        return "retired in the console since the last import"
    return None


def _retire_missing(conn: sa.Connection, kept: set[str], tally: _Tally, *, force: bool) -> None:
    for current in entries.all_live(conn):
        if current.entry.entry_id in kept:
            continue
        if not force and (reason := _edited_in_console(conn, current.entry.entry_id, current)):
            tally.conflicts.append(Conflict(current.entry.entry_id, reason + "; missing from the file"))
            continue
        version = entries.retire(conn, current, author=IMPORT_AUTHOR)
        entries.audit(conn, actor=IMPORT_AUTHOR, action="retired", entry_id=current.entry.entry_id, version=version)
        tally.removed += 1


def _lexical_index_missing(conn: sa.Connection) -> bool:
    # A database migrated to term weights after its last sync has entries but no weights yet.
    query = "SELECT EXISTS (SELECT 1 FROM kb_entries) AND NOT EXISTS (SELECT 1 FROM kb_lexemes)"
    return bool(conn.execute(sa.text(query)).scalar())


def refresh_lexical_index(conn: sa.Connection) -> None:
    """Recompute the typo-correction vocabulary and the BM25 term weights from the entries."""
    for statement in _REFRESH_VOCABULARY:
        conn.execute(statement)
    for statement in _REFRESH_TERM_WEIGHTS:
        conn.execute(statement, _BM25_PARAMS)


def vacuum_lexical_index() -> None:
    """Mark the rewritten term tables all-visible, so lookups are index-only scans from now on.

    Autovacuum would get there too, but only after enough rows change; a role that does not own
    the tables gets a warning from Postgres and nothing else.
    """
    with connection() as conn:
        conn.execute(sa.text("VACUUM (ANALYZE) kb_terms, kb_lexemes"))


def sync_file(path: Path | None = None, *, force: bool = False) -> SyncReport:
    """Import the knowledge base from `path` (default: the configured file)."""
    return sync_entries(load_knowledge_base(path or get_settings().knowledge_base_path), force=force)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="knowledge-base JSON (default: KNOWLEDGE_BASE_PATH)")
    parser.add_argument("--force", action="store_true", help="overwrite entries changed in the console since")
    args = parser.parse_args()
    report = sync_file(args.path, force=args.force)
    print(
        f"knowledge base synced: {report.inserted} inserted, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.embedded_entries} (re-)embedded"
    )
    for conflict in report.conflicts:
        print(f"conflict: {conflict.entry_id}: {conflict.reason} (kept; --force to overwrite)", file=sys.stderr)
    if report.conflicts:
        sys.exit(1)


if __name__ == "__main__":
    main()
