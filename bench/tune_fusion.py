"""Choose the retrieval weights and thresholds on the evaluation dev sets.

    .venv/bin/python bench/tune_fusion.py [--eval-dir ../shared/eval]

Loads each evaluation knowledge base with the configured embedder (EMBEDDER, default auto) and
runs every dev query through the real retrieval queries, keeping the four hybrid features (BM25,
soft max cosine, centroid cosine, classifier logit) of up to 40 candidates and the lexical-only top score. Then:
- fusion weights: the grid point with the best mean in-scope top-1 over banking77 and clinc150
  (the first one on ties);
- RETRIEVAL_MIN_HYBRID_SCORE: the 80th percentile of the fused top score of clinc150's
  out-of-scope *training* queries (so about 80% of unseen out-of-scope queries are refused);
- RETRIEVAL_MIN_SCORE (lexical only): the threshold with the best overall accuracy on clinc150 dev.
The demo knowledge base's probes (datasets/innovatetech_probes.jsonl) are printed as a
check that the thresholds carry over to a small knowledge base; they choose nothing.
Prints the chosen settings and the figures they give; nothing is written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "local")  # benches run locally; unset means production

SETTING_NAMES = ("LEXICAL", "DENSE", "CENTROID", "CLASSIFIER")
# Ranking ignores the scale of the weights, so BM25's weight is fixed at 1 and sets the scale.
GRID = {
    "lexical": [1],
    "dense": [0, 0.5, 1, 2, 3, 4, 6],
    "centroid": [0, 0.5, 1, 2, 4],
    "learned": [0.5, 1, 1.5, 2, 3, 4, 6],
}


@dataclass
class Query:
    expected: str | None
    ids: list[str]
    features: np.ndarray
    lexical_ids: list[str]
    lexical_score: float


def collect(kb: Path, queries: Path) -> list[Query]:
    """Hybrid candidates' features and the lexical top hit for every query, from a fresh database."""
    from devtools.evaluate import fresh_database, load_kb, load_queries
    from shared.core.settings import get_settings
    from shared.db import prepared
    from shared.db.engine import connection, reset_engine
    from shared.db.migrate import upgrade
    from shared.embeddings import get_embedder
    from shared.knowledge import retrieval
    from shared.knowledge.sync import sync_entries

    collected = []
    with fresh_database():
        get_settings.cache_clear()
        reset_engine()
        upgrade()
        sync_entries(load_kb(kb))
        embedder = get_embedder()
        assert embedder is not None
        hybrid = retrieval.hybrid_sql(embedder.dimensions)
        with connection() as conn:
            for item in load_queries(queries):
                vector = embedder.embed_query(item.query)
                params = retrieval.hybrid_params(get_settings(), item.query, vector, embedder.model, 40)
                rows = prepared.fetch(conn, hybrid, params)
                lexical = retrieval.search(conn, item.query, top_k=1)
                features = np.array([[float(getattr(r, f) or 0.0) for f in retrieval.FEATURES] for r in rows])
                collected.append(
                    Query(
                        item.expected,
                        [r.id for r in rows],
                        features.reshape(-1, len(retrieval.FEATURES)),
                        [r.id for r in lexical],
                        lexical[0].score if lexical else 0.0,
                    )
                )
        reset_engine()
    return collected


def best_id(query: Query, weights: np.ndarray) -> str | None:
    return query.ids[int(np.argmax(query.features @ weights))] if query.ids else None


def top_score(query: Query, weights: np.ndarray) -> float:
    return float((query.features @ weights).max()) if query.ids else float("-inf")


def top1(queries: list[Query], weights: np.ndarray) -> float:
    in_scope = [q for q in queries if q.expected]
    return float(np.mean([best_id(q, weights) == q.expected for q in in_scope]))


def decisions(
    queries: list[Query], right: Callable[[Query], bool], confident: Callable[[Query], bool]
) -> dict[str, float]:
    """Accuracy when answered (in scope) and out-of-scope recall for one decision rule."""
    in_scope = [q for q in queries if q.expected]
    out_of_scope = [q for q in queries if not q.expected]
    figures = {"answered_accuracy": float(np.mean([right(q) and confident(q) for q in in_scope]))}
    if out_of_scope:
        figures["oos_recall"] = float(np.mean([not confident(q) for q in out_of_scope]))
    return {k: round(v, 4) for k, v in figures.items()}


def overall(queries: list[Query], threshold: float) -> float:
    return float(
        np.mean(
            [
                (q.lexical_ids[:1] == [q.expected] and q.lexical_score >= threshold)
                if q.expected
                else q.lexical_score < threshold
                for q in queries
            ]
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    if not args.eval_dir.is_dir():
        sys.exit(f"no evaluation data at {args.eval_dir} (the team kit's eval/ folder)")
    data = {
        "banking77": collect(args.eval_dir / "banking77/kb.json", args.eval_dir / "banking77/dev.jsonl"),
        "clinc150": collect(args.eval_dir / "clinc150/kb.json", args.eval_dir / "clinc150/dev.jsonl"),
        "clinc150_oos_train": collect(args.eval_dir / "clinc150/kb.json", args.eval_dir / "clinc150/oos_train.jsonl"),
        "demo_probes": collect(ROOT / "knowledge_base.json", ROOT / "datasets/innovatetech_probes.jsonl"),
    }
    dev = ("banking77", "clinc150")
    weights = max(
        (np.array(w, dtype=float) for w in itertools.product(*GRID.values())),
        key=lambda w: np.mean([top1(data[name], w) for name in dev]),
    )
    hybrid_threshold = float(np.quantile([top_score(q, weights) for q in data["clinc150_oos_train"]], 0.8))
    candidates = np.round(np.arange(0.2, 3.0, 0.01), 2)
    lexical_threshold = float(max(candidates, key=lambda t: overall(data["clinc150"], t)))
    report = {
        "settings": {
            **{f"FUSION_{k}_WEIGHT": float(v) for k, v in zip(SETTING_NAMES, weights, strict=True)},
            "RETRIEVAL_MIN_HYBRID_SCORE": round(hybrid_threshold, 2),
            "RETRIEVAL_MIN_SCORE": lexical_threshold,
        },
        "hybrid_top1": {name: round(top1(data[name], weights), 4) for name in (*dev, "demo_probes")},
        "hybrid_decisions": {
            name: decisions(
                data[name],
                lambda q: best_id(q, weights) == q.expected,
                lambda q: top_score(q, weights) >= hybrid_threshold,
            )
            for name in ("clinc150", "demo_probes")
        },
        "lexical_decisions": {
            name: decisions(
                data[name],
                lambda q: q.lexical_ids[:1] == [q.expected],
                lambda q: q.lexical_score >= lexical_threshold,
            )
            for name in ("clinc150", "demo_probes")
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
