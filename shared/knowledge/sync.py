"""Make the knowledge-base table match a file: `python -m shared.knowledge.sync [PATH]`.

Idempotent: new entries are inserted, changed ones updated, missing ones removed, unchanged ones untouched.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from shared.db.engine import connection, transaction
from shared.embeddings import get_embedder
from shared.knowledge import calibration, vectors
from shared.knowledge.base import FaqEntry, load_knowledge_base
from shared.settings import get_settings

_UPSERT = sa.text("""
    INSERT INTO kb_entries AS e
        (id, question, answer, keywords, examples, url, position, content_hash, search_vector, match_text,
         translations)
    VALUES (
        :id, :question, :answer, :keywords, :examples, :url, :position, :content_hash,
        setweight(to_tsvector('english', :question), 'A')
            || setweight(to_tsvector('english', :keywords_text), 'A')
            || setweight(to_tsvector('english', :examples_text), 'B')
            || setweight(to_tsvector('french', :translated_fr), 'B')
            || setweight(to_tsvector('spanish', :translated_es), 'B')
            || setweight(to_tsvector('german', :translated_de), 'B')
            || setweight(to_tsvector('english', :answer), 'D'),
        :match_text, CAST(:translations AS jsonb)
    )
    ON CONFLICT (id) DO UPDATE SET
        question = EXCLUDED.question, answer = EXCLUDED.answer, keywords = EXCLUDED.keywords,
        examples = EXCLUDED.examples, url = EXCLUDED.url, position = EXCLUDED.position,
        content_hash = EXCLUDED.content_hash, search_vector = EXCLUDED.search_vector,
        match_text = EXCLUDED.match_text, translations = EXCLUDED.translations, updated_at = now()
    WHERE e.content_hash IS DISTINCT FROM EXCLUDED.content_hash
    RETURNING (xmax = 0) AS inserted
""")

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


@dataclass(frozen=True)
class SyncReport:
    inserted: int
    updated: int
    removed: int
    unchanged: int
    embedded_entries: int = 0


def sync_entries(entries: list[FaqEntry]) -> SyncReport:
    """Upsert `entries` and delete every other row, in one transaction."""
    inserted = updated = 0
    with transaction() as conn:
        for position, entry in enumerate(entries):
            row = conn.execute(_UPSERT, _row(entry, position)).first()
            if row is not None:
                inserted, updated = (inserted + 1, updated) if row.inserted else (inserted, updated + 1)
        removed = conn.execute(
            sa.text("DELETE FROM kb_entries WHERE NOT (id = ANY(:ids))"), {"ids": [e.entry_id for e in entries]}
        ).rowcount
        changed = bool(inserted or updated or removed) or _lexical_index_missing(conn)
        if changed:
            refresh_lexical_index(conn)
    if changed:
        vacuum_lexical_index()
    embedder = get_embedder()
    embedded = vectors.refresh(embedder)
    with transaction() as conn:
        if changed or embedded.embedded_entries or not calibration.is_calibrated(conn, embedder):
            calibration.calibrate(conn, embedder)
    return SyncReport(inserted, updated, removed, len(entries) - inserted - updated, embedded.embedded_entries)


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


def sync_file(path: Path | None = None) -> SyncReport:
    """Sync the knowledge base from `path` (default: the configured file)."""
    return sync_entries(load_knowledge_base(path or get_settings().knowledge_base_path))


def _row(entry: FaqEntry, position: int) -> dict[str, object]:
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
        **{f"translated_{language}": translated.get(language, "") for language in ("fr", "es", "de")},
        "match_text": " ".join([entry.question, *entry.keywords, *entry.examples, *translated.values()]),
        "translations": json.dumps({lang: version.model_dump() for lang, version in entry.translations.items()}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="knowledge-base JSON (default: KNOWLEDGE_BASE_PATH)")
    report = sync_file(parser.parse_args().path)
    print(
        f"knowledge base synced: {report.inserted} inserted, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.embedded_entries} (re-)embedded"
    )


if __name__ == "__main__":
    main()
