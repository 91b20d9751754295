"""Import a knowledge-base file: `python -m shared.cli kb import [PATH] [--force]`.

Idempotent: new entries are created, changed ones get a new version, entries missing from the
file are retired, unchanged ones are untouched; each change is recorded as a version written
by "import". An entry that someone changed in the console since the last import (or created
there) is a conflict when the file disagrees with it: it is reported and left as it is, unless
`--force` makes the file win.

The help-center sources an exported file lists are not added (adding one fetches a whole site,
and an import runs at every start of `./dev run`): the report names those this database lacks,
for an admin to add in the console or KNOWLEDGE_SOURCES.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

from shared.core.settings import get_settings
from shared.db.engine import connection, transaction
from shared.embeddings import get_embedder
from shared.knowledge import calibration, entries, lexical, vectors
from shared.schemas.faq import FaqEntry, load_knowledge_base, load_sources

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
    # Help-center sources the file lists that this database does not have: an import never adds one.
    sources_not_added: list[str] = field(default_factory=list)


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
        changed = tally.changed or lexical.index_missing(conn)
        if changed:
            lexical.refresh_lexical_index(conn)
    if changed:
        lexical.vacuum_lexical_index()
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


def sync_file(path: Path | None = None, *, force: bool = False) -> SyncReport:
    """Import the knowledge base from `path` (default: the configured file); its sources are only reported."""
    path = path or get_settings().knowledge_base_path
    report = sync_entries(load_knowledge_base(path), force=force)
    listed = [source.location for source in load_sources(path)]
    if not listed:
        return report
    with connection() as conn:
        stored = set(conn.execute(sa.text("SELECT location FROM knowledge_sources")).scalars())
    return replace(report, sources_not_added=[location for location in listed if location not in stored])


if __name__ == "__main__":  # the earlier name of `python -m shared.cli kb import`
    from shared.cli import main

    sys.exit(main(["kb", "import", *sys.argv[1:]]))
