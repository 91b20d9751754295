"""Find the knowledge-base entries that answer a question, scored, inside Postgres.

Lexical search: each query word that is not a knowledge-base word is corrected to the most
similar one by trigrams (typos; pg_trgm's similarity threshold, 0.3 by default); the words
are OR-ed into one full-text query ranked with weights (question and keywords over examples
over answer), and a trigram similarity to the question adds to the score.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from shared.db import prepared
from shared.settings import get_settings

SEARCH_SQL = """
    WITH query_words AS (
        SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', :query))) AS word
    ),
    corrected AS MATERIALIZED (
        SELECT CASE
            WHEN length(q.word) < 4 OR EXISTS (SELECT 1 FROM kb_vocabulary v WHERE v.word = q.word) THEN q.word
            ELSE coalesce(
                (SELECT v.word FROM kb_vocabulary v
                 WHERE v.word % q.word
                 ORDER BY similarity(v.word, q.word) DESC, v.word LIMIT 1),
                q.word)
            END AS word
        FROM query_words q
    ),
    search AS MATERIALIZED (
        SELECT (SELECT string_agg(DISTINCT quote_literal(lexeme), ' | ')
                FROM corrected, unnest(tsvector_to_array(to_tsvector('english', corrected.word))) AS lexeme
               )::tsquery AS tsq
    )
    SELECT id, question, answer, url, text_score, fuzzy_score
    FROM (
        SELECT e.id, e.question, e.answer, e.url, e.position,
               coalesce(ts_rank_cd(e.search_vector, s.tsq, 32), 0) AS text_score,
               similarity(e.question, :query) AS fuzzy_score
        FROM kb_entries e CROSS JOIN search s
        WHERE e.search_vector @@ s.tsq OR e.question % :query
    ) AS scored
    ORDER BY text_score + :fuzzy_weight * fuzzy_score DESC, position
    LIMIT :top_k
"""

FUZZY_WEIGHT = 0.5
POPULAR_TTL_SECONDS = 300


@dataclass(frozen=True)
class ScoredEntry:
    """A knowledge-base entry and how well it matches the query."""

    id: str
    question: str
    answer: str
    url: str | None
    score: float


def search(conn: sa.Connection, query: str, *, top_k: int | None = None) -> list[ScoredEntry]:
    """The best-matching entries for `query`, best first."""
    params = {
        "query": query,
        "top_k": top_k or get_settings().retrieval_top_k,
        "fuzzy_weight": FUZZY_WEIGHT,
    }
    rows = prepared.fetch(conn, SEARCH_SQL, params)
    return [
        ScoredEntry(r.id, r.question, r.answer, r.url, float(r.text_score) + FUZZY_WEIGHT * float(r.fuzzy_score))
        for r in rows
    ]


def popular_entries(conn: sa.Connection, limit: int = 3) -> list[ScoredEntry]:
    """The first entries of the knowledge base, offered when nothing matches."""
    rows = conn.execute(
        sa.text("SELECT id, question, answer, url FROM kb_entries ORDER BY position LIMIT :n"), {"n": limit}
    ).all()
    return [ScoredEntry(r.id, r.question, r.answer, r.url, 0.0) for r in rows]


_popular_cache: tuple[float, list[ScoredEntry]] = (-POPULAR_TTL_SECONDS, [])


def cached_popular_entries(conn: sa.Connection) -> list[ScoredEntry]:
    """`popular_entries`, cached for a few minutes: the knowledge base changes rarely."""
    global _popular_cache
    fetched_at, entries = _popular_cache
    if time.monotonic() - fetched_at > POPULAR_TTL_SECONDS:
        entries = popular_entries(conn)
        _popular_cache = (time.monotonic(), entries)
    return entries
