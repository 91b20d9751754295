"""Entries as stored: the live row, its versions and the audit trail, shared by the console and the file import.

Every change writes the live row (`kb_entries`, with its search vector), a new row of
`kb_entry_versions` saying who changed which fields, and a row of `kb_audit`. Retiring an
entry removes its live row (and with it its vectors and term weights) and records a last
version marked retired; saving an entry with that id again continues its numbering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shared.schemas.faq import TRANSLATION_LANGUAGES, FaqEntry

FIELDS = ("question", "answer", "keywords", "examples", "url", "translations")

_WRITE = sa.text("""
    INSERT INTO kb_entries AS e
        (id, question, answer, keywords, examples, url, position, content_hash, search_vector, match_text,
         translations, version, imported_version, updated_at)
    VALUES (
        :id, :question, :answer, :keywords, :examples, :url, :position, :content_hash,
        setweight(to_tsvector('english', :question), 'A')
            || setweight(to_tsvector('english', :keywords_text), 'A')
            || setweight(to_tsvector('english', :examples_text), 'B')
            || setweight(to_tsvector('french', :translated_fr), 'B')
            || setweight(to_tsvector('spanish', :translated_es), 'B')
            || setweight(to_tsvector('german', :translated_de), 'B')
            || setweight(to_tsvector('italian', :translated_it), 'B')
            || setweight(to_tsvector('portuguese', :translated_pt), 'B')
            || setweight(to_tsvector('dutch', :translated_nl), 'B')
            || setweight(to_tsvector('english', :answer), 'D'),
        :match_text, CAST(:translations AS jsonb), :version, :imported_version, clock_timestamp()
    )
    ON CONFLICT (id) DO UPDATE SET
        question = EXCLUDED.question, answer = EXCLUDED.answer, keywords = EXCLUDED.keywords,
        examples = EXCLUDED.examples, url = EXCLUDED.url, position = EXCLUDED.position,
        content_hash = EXCLUDED.content_hash, search_vector = EXCLUDED.search_vector,
        match_text = EXCLUDED.match_text, translations = EXCLUDED.translations, version = EXCLUDED.version,
        imported_version = EXCLUDED.imported_version, updated_at = EXCLUDED.updated_at
""")

_RECORD_VERSION = sa.text("""
    INSERT INTO kb_entry_versions
        (entry_id, version, question, answer, keywords, examples, url, translations, retired, author, changed)
    VALUES (:id, :version, :question, :answer, :keywords, :examples, :url, CAST(:translations AS jsonb), :retired,
            :author, :changed)
""")

_AUDIT = sa.text("""
    INSERT INTO kb_audit (actor, action, entry_id, version, details)
    VALUES (:actor, :action, :entry_id, :version, CAST(:details AS jsonb))
""")


@dataclass(frozen=True)
class LiveEntry:
    """An entry's live row: its content as a FaqEntry, its place and its versions."""

    entry: FaqEntry
    position: int
    version: int
    imported_version: int | None
    updated_at: Any


_LIVE_COLUMNS = (
    "id, question, answer, keywords, examples, url, translations, position, version, imported_version, updated_at"
)


def live(conn: sa.Connection, entry_id: str, *, lock: bool = False) -> LiveEntry | None:
    """The live entry `entry_id`, locked for update when asked; None when there is none (or it is retired)."""
    row = conn.execute(
        sa.text(f"SELECT {_LIVE_COLUMNS} FROM kb_entries WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": entry_id},
    ).first()
    return None if row is None else _live(row)


def all_live(conn: sa.Connection) -> list[LiveEntry]:
    """Every live entry, in knowledge-base order."""
    rows = conn.execute(sa.text(f"SELECT {_LIVE_COLUMNS} FROM kb_entries ORDER BY position, id")).all()
    return [_live(row) for row in rows]


def _live(row: Any) -> LiveEntry:
    entry = FaqEntry(
        id=row.id,
        question=row.question,
        answer=row.answer,
        keywords=list(row.keywords),
        examples=list(row.examples),
        url=row.url,
        translations=row.translations or {},
    )
    return LiveEntry(entry, row.position, row.version, row.imported_version, row.updated_at)


def changed_fields(before: FaqEntry | None, after: FaqEntry) -> list[str]:
    """The fields `after` changes (all of them for a new entry)."""
    if before is None:
        return list(FIELDS)
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return [name for name in FIELDS if old[name] != new[name]]


def next_version(conn: sa.Connection, entry_id: str) -> int:
    """The number the entry's next version takes (numbering survives retirement)."""
    found = conn.execute(
        sa.text("SELECT max(version) FROM kb_entry_versions WHERE entry_id = :id"), {"id": entry_id}
    ).scalar()
    return int(found or 0) + 1


def next_position(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SELECT coalesce(max(position) + 1, 0) FROM kb_entries")).scalar() or 0)


def write(
    conn: sa.Connection,
    entry: FaqEntry,
    *,
    position: int,
    version: int,
    imported_version: int | None,
    author: str,
    changed: list[str],
) -> None:
    """Make `entry` live at `version` and record that version."""
    conn.execute(_WRITE, {**row_values(entry, position), "version": version, "imported_version": imported_version})
    conn.execute(_RECORD_VERSION, _version_values(entry, version, author=author, changed=changed, retired=False))


def rewrite(conn: sa.Connection, current: LiveEntry, entry: FaqEntry) -> None:
    """Replace the live row's content in place, at its version: an erasure, which no version records."""
    values = row_values(entry, current.position)
    conn.execute(_WRITE, {**values, "version": current.version, "imported_version": current.imported_version})


def retire(conn: sa.Connection, current: LiveEntry, *, author: str) -> int:
    """Take the entry out of the live knowledge base; its history stays. Returns the retired version."""
    version = next_version(conn, current.entry.entry_id)
    conn.execute(sa.text("DELETE FROM kb_entries WHERE id = :id"), {"id": current.entry.entry_id})
    values = _version_values(current.entry, version, author=author, changed=["retired"], retired=True)
    conn.execute(_RECORD_VERSION, values)
    return version


def audit(
    conn: sa.Connection,
    *,
    actor: str,
    action: str,
    entry_id: str | None = None,
    version: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add a row to the knowledge base's audit trail."""
    conn.execute(
        _AUDIT,
        {
            "actor": actor,
            "action": action,
            "entry_id": entry_id,
            "version": version,
            "details": json.dumps(details or {}),
        },
    )


def row_values(entry: FaqEntry, position: int) -> dict[str, Any]:
    """The live row's columns for `entry`, its search texts included."""
    # Other languages' questions and phrasings are searched like the examples, each processed as
    # its own language (stemmed, its stop words dropped); queries are processed in every language.
    translated = {
        language: " ".join([version.question, *version.examples]) for language, version in entry.translations.items()
    }
    return {
        "id": entry.entry_id,
        "question": entry.question,
        "answer": entry.answer,
        "keywords": entry.keywords,
        "examples": entry.examples,
        "url": str(entry.url) if entry.url else None,
        "position": position,
        "content_hash": entry.content_hash(position),
        "keywords_text": " ".join(entry.keywords),
        "examples_text": " ".join(entry.examples),
        **{f"translated_{language}": translated.get(language, "") for language in TRANSLATION_LANGUAGES},
        "match_text": " ".join([entry.question, *entry.keywords, *entry.examples, *translated.values()]),
        "translations": json.dumps({lang: version.model_dump() for lang, version in entry.translations.items()}),
    }


def _version_values(entry: FaqEntry, version: int, *, author: str, changed: list[str], retired: bool) -> dict[str, Any]:
    return {
        "id": entry.entry_id,
        "version": version,
        "question": entry.question,
        "answer": entry.answer,
        "keywords": entry.keywords,
        "examples": entry.examples,
        "url": str(entry.url) if entry.url else None,
        "translations": json.dumps({lang: v.model_dump() for lang, v in entry.translations.items()}),
        "retired": retired,
        "author": author,
        "changed": changed,
    }
