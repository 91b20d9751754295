"""Hybrid retrieval latency at 1k, 10k and 100k knowledge-base entries, with the query plan.

    .venv/bin/python bench/retrieval_scale.py [--sizes 1000 10000 100000] [--queries 200]

Synthetic knowledge bases are made by replicating the InnovateTech entries and perturbing
them: each copy gets a numbered question and three of the original texts' embeddings plus
random noise (re-normalised); the BM25 term weights and the HNSW indexes are then rebuilt as
a sync would. Prints p50/p95 of one search (local query embedding included)
per size, next to lexical-only search on the same data, the index build time, and the plan
of the hybrid query at the largest size, which shows the HNSW indexes and the term-weight
index in use.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# As in shared/embeddings/local.py: a second BLAS thread spins against Postgres on two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("ENVIRONMENT", "local")  # benches run locally; unset means production

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = [
    "Can I send my order back?",
    "where's my parcel",
    "my earbuds broke",
    "do you ship to Japan",
    "I forgot my password",
    "can I pay with apple pay",
    "what's the weather in Paris?",
    "unsubscribe me",
]
NOISE_VECTORS = 997


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    os.environ["EMBEDDER"] = "local"
    from devtools.evaluate import fresh_database

    with fresh_database():
        run(args.sizes, args.queries)


def run(sizes: list[int], queries: int) -> None:
    from shared.db.engine import connection, transaction
    from shared.db.migrate import upgrade
    from shared.embeddings import get_embedder
    from shared.knowledge import retrieval
    from shared.knowledge.sync import sync_file

    upgrade()
    sync_file()
    embedder = get_embedder()
    assert embedder is not None
    _noise_table(transaction)
    vectors = {q: embedder.embed_query(q) for q in QUERIES}
    plan = ""
    for size in sizes:
        build = _grow_to(transaction, size)
        timings: dict[str, list[float]] = {"hybrid": [], "lexical": []}
        with connection() as conn:
            for i in range(queries):
                text = QUERIES[i % len(QUERIES)]
                began = time.perf_counter()
                retrieval.search(conn, text, vector=embedder.embed_query(text), model=embedder.model)
                timings["hybrid"].append(time.perf_counter() - began)
                began = time.perf_counter()
                retrieval.search(conn, text)
                timings["lexical"].append(time.perf_counter() - began)
            plan = _plan(conn, retrieval, embedder, vectors[QUERIES[0]])
        cells = ", ".join(f"{k} p50 {_ms(v, 50)} / p95 {_ms(v, 95)} ms" for k, v in timings.items())
        print(f"{size:>7} entries: {cells} (index build {build:.1f} s)")
    print("\nplan of the hybrid query at the largest size:\n" + plan)


def _noise_table(transaction) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    rng = np.random.default_rng(7)
    noise = rng.normal(0, 0.35 / np.sqrt(384), size=(NOISE_VECTORS, 384))
    with transaction() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS bench_noise (i int PRIMARY KEY, v vector(384))"))
        conn.execute(
            sa.text("INSERT INTO bench_noise VALUES (:i, CAST(:v AS vector)) ON CONFLICT DO NOTHING"),
            [{"i": i, "v": "[" + ",".join(f"{x:.5f}" for x in row) + "]"} for i, row in enumerate(noise)],
        )


def _grow_to(transaction, size: int) -> float:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from shared.knowledge.lexical import refresh_lexical_index, vacuum_lexical_index
    from shared.knowledge.vectors import INDEXED_VECTORS, drop_indexes, ensure_index

    started = time.perf_counter()
    with transaction() as conn:
        # Building an HNSW index in one pass is far faster than growing it a row at a time.
        drop_indexes(conn, 384)
        have = conn.execute(sa.text("SELECT count(*) FROM kb_entries")).scalar() or 0
        conn.execute(
            sa.text("""
            WITH base AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, *
                          FROM kb_entries WHERE id NOT LIKE 'syn-%%'),
            n AS (SELECT count(*) AS c FROM base)
            INSERT INTO kb_entries (id, question, answer, keywords, examples, url, position, content_hash,
                                    search_vector, match_text, embedding_model, embedding_hash)
            SELECT 'syn-' || g, b.question || ' (variant ' || g || ')', b.answer, b.keywords, b.examples, b.url,
                   1000 + g, b.content_hash, b.search_vector || to_tsvector('simple', 'variant' || g),
                   b.match_text, b.embedding_model, b.content_hash
            FROM generate_series(CAST(:start AS int), CAST(:stop AS int)) AS g, n, base b WHERE b.k = mod(g, n.c)
        """),
            {"start": have, "stop": size - 1},
        )
        conn.execute(
            sa.text("""
            WITH base AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id
                          FROM kb_entries WHERE id NOT LIKE 'syn-%%'),
            n AS (SELECT count(*) AS c FROM base)
            INSERT INTO kb_texts (entry_id, position, content, model, dims, embedding)
            SELECT e.id, t.position, t.content, t.model, t.dims, l2_normalize(t.embedding::vector(384) + nz.v)
            FROM kb_entries e
            CROSS JOIN n
            JOIN base b ON b.k = mod(CAST(substr(e.id, 5) AS int), n.c)
            JOIN kb_texts t ON t.entry_id = b.id AND t.position < 3
            JOIN bench_noise nz ON nz.i = mod(abs(hashtext(e.id)) + t.position, CAST(:noise AS int))
            WHERE e.id LIKE 'syn-%%' AND NOT EXISTS (SELECT 1 FROM kb_texts x WHERE x.entry_id = e.id)
        """),
            {"noise": NOISE_VECTORS},
        )
        conn.execute(
            sa.text("""
            INSERT INTO kb_entry_vectors (entry_id, model, dims, centroid)
            SELECT entry_id, min(model), 384, l2_normalize(avg(embedding::vector(384)))
            FROM kb_texts WHERE entry_id LIKE 'syn-%%'
              AND entry_id NOT IN (SELECT entry_id FROM kb_entry_vectors) GROUP BY entry_id
        """)
        )
        refresh_lexical_index(conn)
        conn.execute(sa.text("SET LOCAL maintenance_work_mem = '2GB'"))
        for table, column in INDEXED_VECTORS:
            ensure_index(conn, table, column, 384)
        conn.execute(sa.text("ANALYZE"))
    vacuum_lexical_index()
    return time.perf_counter() - started


def _plan(conn, retrieval, embedder, vector) -> str:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    sql = retrieval.hybrid_sql(embedder.dimensions)
    params = retrieval.hybrid_params(
        __import__("shared.settings").settings.get_settings(), QUERIES[0], vector, embedder.model, 5
    )
    rows = conn.execute(sa.text("EXPLAIN (COSTS OFF) " + sql.replace("%", "%%")), params).all()
    return "\n".join(r[0] for r in rows if any(k in r[0] for k in ("Index", "Scan", "Limit")))


def _ms(values: list[float], percentile: int) -> str:
    if percentile == 50:
        return f"{statistics.median(values) * 1000:.1f}"
    return f"{statistics.quantiles(values, n=20)[18] * 1000:.1f}"


if __name__ == "__main__":
    main()
