"""The passages' indexes: BM25 term weights (as kb_terms for entries) and one vector per passage and model.

Term weights are rebuilt from every passage's search vector after a sync that changed any (a
lexeme's idf depends on all passages), with the entries' BM25 parameters and scaling (see
knowledge/lexical.py): heading words count HEADING_TERM_WEIGHT per occurrence, text words 1.
Vectors are made for the passages that have none for the embedder's model, in batches, with no
connection held while encoding; vectors of other models are dropped (switching models re-embeds).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa

from shared.db.engine import connection, transaction
from shared.embeddings.base import Embedder, to_pgvector
from shared.knowledge import spelling
from shared.knowledge.documents.store import context_of
from shared.knowledge.lexical import BM25_B, BM25_K1
from shared.knowledge.vectors import ensure_index

HEADING_TERM_WEIGHT = 2.0
EMBED_BATCH = 64

_REFRESH_TERM_WEIGHTS = (
    sa.text("DELETE FROM passage_terms"),
    sa.text("DELETE FROM passage_lexemes"),
    sa.text("""
        CREATE TEMPORARY TABLE passage_term_counts AS
        SELECT p.id AS passage_id, t.lexeme,
               (SELECT sum(CASE w WHEN 'A' THEN CAST(:heading_weight AS float8) ELSE 1.0 END)
                FROM unnest(t.weights) AS w) AS tf
        FROM passages p, unnest(p.search_vector) AS t
    """),
    sa.text("""
        INSERT INTO passage_lexemes (lexeme, rarity)
        SELECT c.lexeme,
               ln(1 + (n.passages - count(*) + 0.5) / (count(*) + 0.5)) / ln(1 + (n.passages - 0.5) / 1.5)
        FROM passage_term_counts c CROSS JOIN (SELECT count(*) AS passages FROM passages) n
        GROUP BY c.lexeme, n.passages
    """),
    sa.text("""
        INSERT INTO passage_terms (lexeme, passage_id, weight)
        WITH lengths AS (SELECT passage_id, sum(tf) AS length FROM passage_term_counts GROUP BY passage_id),
        corpus AS (SELECT avg(length) AS mean_length FROM lengths)
        SELECT c.lexeme, c.passage_id,
               x.rarity * c.tf * (CAST(:k1 AS float8) + 1)
               / (c.tf + CAST(:k1 AS float8) * (1 - CAST(:b AS float8) + CAST(:b AS float8) * l.length / s.mean_length))
        FROM passage_term_counts c
        JOIN lengths l USING (passage_id)
        JOIN passage_lexemes x USING (lexeme)
        CROSS JOIN corpus s
    """),
    sa.text("DROP TABLE passage_term_counts"),
)


@dataclass(frozen=True)
class EmbeddingWork:
    passages: int
    seconds: float  # spent in the encoder


def refresh_terms() -> float:
    """Recompute the passages' BM25 term weights and their words for spelling; returns the seconds it took."""
    began = time.perf_counter()
    with transaction() as conn:
        params = {"heading_weight": HEADING_TERM_WEIGHT, "k1": BM25_K1, "b": BM25_B}
        for statement in _REFRESH_TERM_WEIGHTS:
            conn.execute(statement, params)
        spelling.refresh_document_words(conn)
    with connection() as conn:  # index-only scans from now on (a warning, not an error, for a non-owner)
        conn.execute(sa.text("VACUUM (ANALYZE) passage_terms, passage_lexemes"))
    return time.perf_counter() - began


def embed_pending(embedder: Embedder | None, *, batch: int = EMBED_BATCH) -> EmbeddingWork:
    """Embed every passage that has no vector from `embedder`'s model, `batch` at a time."""
    if embedder is None:
        return EmbeddingWork(0, 0.0)
    with transaction() as conn:
        conn.execute(sa.text("DELETE FROM passage_vectors WHERE model <> :m"), {"m": embedder.model})
        pending = conn.execute(
            sa.text("""
                SELECT p.id, d.title, p.heading_path, p.content
                FROM passages p JOIN documents d ON d.id = p.document_id
                WHERE NOT EXISTS (SELECT 1 FROM passage_vectors v WHERE v.passage_id = p.id AND v.model = :m)
                ORDER BY p.id
            """),
            {"m": embedder.model},
        ).all()
    seconds = 0.0
    for start in range(0, len(pending), batch):
        rows = pending[start : start + batch]
        began = time.perf_counter()
        vectors = embedder.embed_documents([embedding_text(row.title, row.heading_path, row.content) for row in rows])
        seconds += time.perf_counter() - began
        _store(embedder, [row.id for row in rows], vectors)
    return EmbeddingWork(len(pending), seconds)


def embedding_text(title: str | None, heading_path: list[str], content: str) -> str:
    """What is embedded for a passage: its title and headings, then its text."""
    return " › ".join(context_of(title, heading_path)) + "\n\n" + content


def _store(embedder: Embedder, passage_ids: list[int], vectors: list[list[float]]) -> None:
    # A passage replaced while it was being encoded has gone: its vector is not stored.
    with transaction() as conn:
        conn.execute(
            sa.text("""
                INSERT INTO passage_vectors (passage_id, model, dims, embedding)
                SELECT :id, :model, :dims, CAST(:embedding AS vector)
                WHERE EXISTS (SELECT 1 FROM passages WHERE id = :id)
                ON CONFLICT (passage_id, model) DO NOTHING
            """),
            [
                {"id": i, "model": embedder.model, "dims": embedder.dimensions, "embedding": to_pgvector(v)}
                for i, v in zip(passage_ids, vectors, strict=True)
            ],
        )
        ensure_index(conn, "passage_vectors", "embedding", embedder.dimensions)
