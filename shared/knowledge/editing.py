"""Changing the knowledge base from the console: versioned saves checked against concurrent edits, re-indexed at once.

A save names the version it was made from; if the entry has moved on since, the save is a
conflict and nothing is overwritten. After the write, only what the entry feeds is rebuilt:
the term weights (in SQL, for all entries: an entry's words change every entry's idf), the
entry's own vectors and classifier row, and the threshold calibration. The next customer
question is answered from the new version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from shared.core import errors
from shared.db.engine import transaction
from shared.embeddings import get_embedder
from shared.knowledge import calibration, entries, vectors
from shared.knowledge.lexical import refresh_lexical_index
from shared.schemas.faq import FaqEntry


@dataclass(frozen=True)
class Saved:
    entry_id: str
    version: int
    changed: list[str]
    reindex_seconds: float = 0.0


def save(entry: FaqEntry, *, author: str, base_version: int | None) -> Saved:
    """Create the entry (`base_version` None) or make it its next version; re-index it."""
    with transaction() as conn:
        current = entries.live(conn, entry.entry_id, lock=True)
        _check_base(entry.entry_id, current, base_version)
        changed = entries.changed_fields(current.entry if current else None, entry)
        if current is not None and not changed:
            return Saved(entry.entry_id, current.version, [])
        version = write_next_version(conn, entry, current, author=author, changed=changed)
        action = "edited" if current else "created"
        entries.audit(
            conn, actor=author, action=action, entry_id=entry.entry_id, version=version, details={"changed": changed}
        )
        refresh_lexical_index(conn)
    return Saved(entry.entry_id, version, changed, reindex([entry.entry_id]))


def write_next_version(
    conn: sa.Connection, entry: FaqEntry, current: entries.LiveEntry | None, *, author: str, changed: list[str]
) -> int:
    """Write `entry` as the next version of `current` (its first, when new), in its place; returns the version."""
    version = entries.next_version(conn, entry.entry_id)
    entries.write(
        conn,
        entry,
        position=current.position if current else entries.next_position(conn),
        version=version,
        imported_version=current.imported_version if current else None,
        author=author,
        changed=changed,
    )
    return version


def retire(entry_id: str, *, author: str, base_version: int) -> Saved:
    """Take the entry out of what the bot answers from; its versions stay."""
    with transaction() as conn:
        current = entries.live(conn, entry_id, lock=True)
        _check_base(entry_id, current, base_version)
        assert current is not None
        version = entries.retire(conn, current, author=author)
        entries.audit(conn, actor=author, action="retired", entry_id=entry_id, version=version)
        refresh_lexical_index(conn)
    return Saved(entry_id, version, ["retired"], reindex([]))


def reindex(entry_ids: list[str]) -> float:
    """Rebuild the vectors of `entry_ids` and recalibrate; returns the seconds it took."""
    started = time.perf_counter()
    embedder = get_embedder()
    vectors.refresh_entries(embedder, entry_ids)
    with transaction() as conn:
        calibration.calibrate(conn, embedder)
    return time.perf_counter() - started


def _check_base(entry_id: str, current: entries.LiveEntry | None, base_version: int | None) -> None:
    if base_version is None:
        if current is not None:
            raise errors.Conflict(f"An entry with the id {entry_id!r} already exists.")
        return
    if current is None:
        raise errors.NotFound(f"There is no live entry {entry_id!r}.")
    if current.version != base_version:
        raise errors.Conflict(
            f"This entry was changed (now version {current.version}) since you opened version {base_version}. "
            "Reload it and apply your change again."
        )
