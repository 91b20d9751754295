"""Keeping the knowledge base's vectors current: texts embedded once, re-embedded only when they change.

Each entry's question and examples are embedded with the active embedder and stored with the
model's name; an entry is re-embedded only when its content hash or the model differs from
what its vectors were made from. Per-entry vectors (the centroid of its texts and, for
knowledge bases up to CLASSIFIER_MAX_ENTRIES, a classifier learned from them) are rebuilt
whenever anything changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from shared.core.settings import get_settings
from shared.db.engine import transaction
from shared.embeddings.base import Embedder, to_pgvector


@dataclass(frozen=True)
class EmbeddingReport:
    embedded_entries: int
    embedded_texts: int
    classifier_trained: bool


def refresh(embedder: Embedder | None, *, rebuild: bool = False) -> EmbeddingReport:
    """Embed new and changed entries with `embedder` and rebuild the per-entry vectors.

    `rebuild` retrains the classifier even when no text changed: after entries were retired, or
    after edits in the console that re-learned one row each against the others.
    """
    if embedder is None:
        return EmbeddingReport(0, 0, False)
    with transaction() as conn:
        stale = conn.execute(
            sa.text("""
                SELECT id, question, examples, translations, content_hash FROM kb_entries
                WHERE embedding_model IS DISTINCT FROM :model OR embedding_hash IS DISTINCT FROM content_hash
                ORDER BY position
            """),
            {"model": embedder.model},
        ).all()
        orphaned = conn.execute(sa.text("SELECT count(*) FROM kb_texts WHERE model <> :m"), {"m": embedder.model})
        changed = rebuild or bool(stale) or bool(orphaned.scalar())
    texts = _texts_of(stale, embedder)
    vectors = embedder.embed_documents([text for _, _, text in texts]) if texts else []
    with transaction() as conn:
        _store_texts(conn, embedder, stale, texts, vectors)
        trained = _rebuild_entry_vectors(conn, embedder) if changed else False
    return EmbeddingReport(len(stale), len(texts), trained)


def refresh_entries(embedder: Embedder | None, entry_ids: list[str]) -> EmbeddingReport:
    """After a save in the console: embed these entries if they changed and re-learn only their vectors.

    The other entries' centroids and classifier rows stay as they are (see classifier.train_one);
    a retired entry's vectors went with its row.
    """
    if embedder is None:
        return EmbeddingReport(0, 0, False)
    with transaction() as conn:
        return refresh_entries_in(conn, embedder, entry_ids)


def refresh_entries_in(conn: sa.Connection, embedder: Embedder, entry_ids: list[str]) -> EmbeddingReport:
    """`refresh_entries` inside the caller's transaction (a save being rehearsed, for one)."""
    stale = conn.execute(
        sa.text("""
            SELECT id, question, examples, translations, content_hash FROM kb_entries
            WHERE id = ANY(:ids)
              AND (embedding_model IS DISTINCT FROM :model OR embedding_hash IS DISTINCT FROM content_hash)
        """),
        {"model": embedder.model, "ids": entry_ids},
    ).all()
    texts = _texts_of(stale, embedder)
    vectors = embedder.embed_documents([text for _, _, text in texts]) if texts else []
    _store_texts(conn, embedder, stale, texts, vectors)
    trained = _update_entry_vectors(conn, embedder, [row.id for row in stale])
    return EmbeddingReport(len(stale), len(texts), trained)


def _texts_of(rows: Sequence[Any], embedder: Embedder) -> list[tuple[str, int, str]]:
    multilingual = getattr(embedder, "multilingual", False)
    return [
        (row.id, position, text)
        for row in rows
        for position, text in enumerate(_phrasings(row, translated=multilingual))
    ]


def _phrasings(entry: Any, *, translated: bool) -> list[str]:
    """Every way the entry is asked: its question and examples, and other languages' when the encoder reads them.

    An English-only encoder places text in other languages more or less at random: those would
    only add noise to its nearest neighbours.
    """
    versions = entry.translations.values() if translated else []
    return [entry.question, *entry.examples, *(t for v in versions for t in (v["question"], *v.get("examples", [])))]


def _store_texts(
    conn: sa.Connection, embedder: Embedder, stale: Sequence[Any], texts: list[Any], vectors: list[Any]
) -> None:
    conn.execute(sa.text("DELETE FROM kb_texts WHERE model <> :m"), {"m": embedder.model})
    ids = [row.id for row in stale]
    conn.execute(sa.text("DELETE FROM kb_texts WHERE entry_id = ANY(:ids)"), {"ids": ids})
    if texts:
        conn.execute(
            sa.text("""
                INSERT INTO kb_texts (entry_id, position, content, model, dims, embedding)
                VALUES (:entry_id, :position, :content, :model, :dims, CAST(:embedding AS vector))
            """),
            [
                {
                    "entry_id": e,
                    "position": p,
                    "content": t,
                    "model": embedder.model,
                    "dims": embedder.dimensions,
                    "embedding": to_pgvector(v),
                }
                for (e, p, t), v in zip(texts, vectors, strict=True)
            ],
        )
    for row in stale:
        conn.execute(
            sa.text("UPDATE kb_entries SET embedding_model = :m, embedding_hash = :h WHERE id = :id"),
            {"m": embedder.model, "h": row.content_hash, "id": row.id},
        )
    ensure_index(conn, "kb_texts", "embedding", embedder.dimensions)


def _rebuild_entry_vectors(conn: sa.Connection, embedder: Embedder) -> bool:
    conn.execute(sa.text("DELETE FROM kb_entry_vectors"))
    conn.execute(
        sa.text(f"""
            INSERT INTO kb_entry_vectors (entry_id, model, dims, centroid)
            SELECT entry_id, :model, :dims, l2_normalize(avg(embedding::vector({int(embedder.dimensions)})))
            FROM kb_texts WHERE model = :model GROUP BY entry_id
        """),
        {"model": embedder.model, "dims": embedder.dimensions},
    )
    ensure_index(conn, "kb_entry_vectors", "centroid", embedder.dimensions)
    entries = conn.execute(sa.text("SELECT count(*) FROM kb_entry_vectors")).scalar() or 0
    if not 2 <= entries <= get_settings().classifier_max_entries:
        return False
    _train_classifier(conn, embedder)
    return True


def _update_entry_vectors(conn: sa.Connection, embedder: Embedder, entry_ids: list[str]) -> bool:
    """New centroids for `entry_ids`, and their classifier rows learned against the others'."""
    if not entry_ids:
        return False
    conn.execute(sa.text("DELETE FROM kb_entry_vectors WHERE entry_id = ANY(:ids)"), {"ids": entry_ids})
    conn.execute(
        sa.text(f"""
            INSERT INTO kb_entry_vectors (entry_id, model, dims, centroid)
            SELECT entry_id, :model, :dims, l2_normalize(avg(embedding::vector({int(embedder.dimensions)})))
            FROM kb_texts WHERE model = :model AND entry_id = ANY(:ids) GROUP BY entry_id
        """),
        {"model": embedder.model, "dims": embedder.dimensions, "ids": entry_ids},
    )
    entries = conn.execute(sa.text("SELECT count(*) FROM kb_entry_vectors")).scalar() or 0
    if not 2 <= entries <= get_settings().classifier_max_entries:
        return False
    learned = conn.execute(sa.text("SELECT count(*) FROM kb_entry_vectors WHERE weights IS NOT NULL")).scalar()
    if not learned:
        _train_classifier(conn, embedder)
        return True
    for entry_id in entry_ids:
        _train_row(conn, embedder, entry_id)
    return True


def _train_row(conn: sa.Connection, embedder: Embedder, entry_id: str) -> None:
    import numpy as np

    from shared.knowledge import classifier

    x, owners = _training_texts(conn, embedder)
    rows = conn.execute(
        sa.text(
            "SELECT weights::text AS w, bias FROM kb_entry_vectors"
            " WHERE model = :m AND weights IS NOT NULL AND entry_id <> :id"
        ),
        {"m": embedder.model, "id": entry_id},
    ).all()
    others_w = np.array([_parse(row.w) for row in rows])
    others_b = np.array([row.bias for row in rows], dtype=np.float32)
    others = classifier.log_sum_exp(x @ others_w.T + others_b)
    weights, bias = classifier.train_one(x, owners == entry_id, others, l2=get_settings().classifier_l2)
    conn.execute(
        sa.text("UPDATE kb_entry_vectors SET weights = CAST(:w AS vector), bias = :b WHERE entry_id = :id"),
        {"w": to_pgvector(weights), "b": bias, "id": entry_id},
    )


def _training_texts(conn: sa.Connection, embedder: Embedder) -> tuple[Any, Any]:
    """Every embedded text as a matrix, and the entry each belongs to."""
    import numpy as np

    rows = conn.execute(
        sa.text("SELECT entry_id, embedding::text AS v FROM kb_texts WHERE model = :m ORDER BY entry_id, position"),
        {"m": embedder.model},
    ).all()
    return np.array([_parse(row.v) for row in rows]), np.array([row.entry_id for row in rows])


def _parse(text: str) -> Any:
    import numpy as np

    return np.array(text[1:-1].split(","), dtype=np.float32)


def _train_classifier(conn: sa.Connection, embedder: Embedder) -> None:
    import numpy as np

    from shared.knowledge import classifier

    x, owners = _training_texts(conn, embedder)
    entry_ids = sorted(set(owners.tolist()))
    index = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    y = np.array([index[owner] for owner in owners])
    weights, bias = classifier.train(x, y, len(entry_ids), l2=get_settings().classifier_l2)
    conn.execute(
        sa.text("UPDATE kb_entry_vectors SET weights = CAST(:w AS vector), bias = :b WHERE entry_id = :id"),
        [{"w": to_pgvector(weights[i]), "b": float(bias[i]), "id": e} for e, i in index.items()],
    )


INDEXED_VECTORS = (("kb_texts", "embedding"), ("kb_entry_vectors", "centroid"))


def ensure_index(conn: sa.Connection, table: str, column: str, dims: int) -> None:
    """Create the HNSW index of `table.column` for vectors of `dims` dimensions if it is missing."""
    # An HNSW index needs fixed dimensions: one partial expression index per size in use.
    conn.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS {_index_name(table, column, dims)} ON {table} "
            f"USING hnsw (({column}::vector({dims})) vector_cosine_ops) WHERE dims = {dims}"
        )
    )


def drop_indexes(conn: sa.Connection, dims: int) -> None:
    """Drop the HNSW indexes for `dims` dimensions, before a bulk load that would grow them row by row."""
    names = ", ".join(_index_name(table, column, dims) for table, column in INDEXED_VECTORS)
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {names}"))


def _index_name(table: str, column: str, dims: int) -> str:
    return f"{table}_{column}_hnsw_{int(dims)}"
