"""The lexical index inside Postgres: BM25 term weights and the typo-correction vocabularies.

Rebuilt from the live entries after every change to them (an import, a console edit, a
regression run's restore); retrieval reads `kb_terms`, `kb_lexemes` and `kb_vocabulary`, and the
spelling of a message is corrected from `kb_spelling` (knowledge/spelling).
"""

from __future__ import annotations

import sqlalchemy as sa

from shared.db.engine import connection
from shared.knowledge import spelling

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


def index_missing(conn: sa.Connection) -> bool:
    """Whether entries exist but their term weights do not."""
    # A database migrated to term weights after its last sync has entries but no weights yet.
    query = "SELECT EXISTS (SELECT 1 FROM kb_entries) AND NOT EXISTS (SELECT 1 FROM kb_lexemes)"
    return bool(conn.execute(sa.text(query)).scalar())


def refresh_lexical_index(conn: sa.Connection) -> None:
    """Recompute the typo-correction vocabularies and the BM25 term weights from the entries."""
    for statement in _REFRESH_VOCABULARY:
        conn.execute(statement)
    spelling.refresh_entry_words(conn)
    for statement in _REFRESH_TERM_WEIGHTS:
        conn.execute(statement, _BM25_PARAMS)


def vacuum_lexical_index() -> None:
    """Mark the rewritten term tables all-visible, so lookups are index-only scans from now on.

    Autovacuum would get there too, but only after enough rows change; a role that does not own
    the tables gets a warning from Postgres and nothing else.
    """
    with connection() as conn:
        conn.execute(sa.text("VACUUM (ANALYZE) kb_terms, kb_lexemes"))
