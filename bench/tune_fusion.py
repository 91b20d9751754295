"""Choose the hybrid fusion weights, temperature and confidence threshold on dev data.

    .venv/bin/python bench/tune_fusion.py [--eval-dir ../shared/eval]

Loads each evaluation knowledge base with the local embedder, collects the four features of
the top 30 candidates of every dev query from the real retrieval query, then searches a grid
of weights for the best mean in-scope top-1 over the sets, and a temperature and threshold for
out-of-scope refusal (clinc150 dev and oos_train). Prints the best settings; nothing is written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FEATURES = ("lexical", "dense", "centroid", "learned")


def collect(kb: Path, queries: Path) -> tuple[list[np.ndarray], list[int]]:
    """Per query: a (candidates x 4) feature matrix and the index of the expected entry (-1 if absent/none)."""
    from shared.db.engine import connection, reset_engine
    from shared.db.migrate import upgrade
    from shared.embeddings import get_embedder
    from shared.evaluate import fresh_database, load_kb, load_queries
    from shared.knowledge import retrieval
    from shared.knowledge.sync import sync_entries
    from shared.settings import get_settings

    feats, labels = [], []
    with fresh_database():
        os.environ["EMBEDDER"] = "local"
        get_settings.cache_clear()
        reset_engine()
        upgrade()
        sync_entries(load_kb(kb))
        embedder = get_embedder()
        assert embedder is not None
        sql = retrieval.hybrid_sql(embedder.dimensions)
        from shared.db import prepared

        with connection() as conn:
            for item in load_queries(queries):
                vector = embedder.embed_query(item.query)
                params = retrieval._hybrid_params(get_settings(), item.query, vector, embedder.model, 30)
                rows = prepared.fetch(conn, sql, params)
                feats.append(np.array([[float(getattr(r, f) or 0.0) for f in FEATURES] for r in rows]))
                ids = [r.id for r in rows]
                labels.append(ids.index(item.expected) if item.expected in ids else (-2 if item.expected else -1))
    return feats, labels


def top1(feats: list[np.ndarray], labels: list[int], w: np.ndarray) -> float:
    scope = [(f, y) for f, y in zip(feats, labels, strict=True) if y != -1]
    return float(np.mean([len(f) and int(np.argmax(f @ w)) == y for f, y in scope]))


def confidence(f: np.ndarray, w: np.ndarray, t: float) -> float:
    s = np.sort(f @ w)[::-1][:10]
    z = np.exp((s - s[0]) / t)
    return float(1 / z.sum()) if len(s) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--eval-dir", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
    )
    args = parser.parse_args()
    cache = Path("/tmp/tune_fusion.pkl")
    if cache.exists():
        import pickle

        data = pickle.loads(cache.read_bytes())
    else:
        data = {}
        for name in ("banking77", "clinc150"):
            data[name] = collect(args.eval_dir / name / "kb.json", args.eval_dir / name / "dev.jsonl")
        data["clinc150_oos"] = collect(
            args.eval_dir / "clinc150" / "kb.json", args.eval_dir / "clinc150" / "oos_train.jsonl"
        )
        import pickle

        cache.write_bytes(pickle.dumps(data))
    grid = {
        "lexical": [0, 0.5, 1, 2],
        "dense": [0, 1, 2, 4],
        "centroid": [0, 0.5, 1, 2],
        "learned": [0.5, 1, 1.5, 2, 3],
    }
    best = max(
        (np.array(w) for w in itertools.product(*grid.values())),
        key=lambda w: np.mean([top1(*data[n], w) for n in ("banking77", "clinc150")]),
    )
    print(
        "weights",
        dict(zip(FEATURES, best.tolist(), strict=True)),
        {n: round(top1(*data[n], best), 4) for n in ("banking77", "clinc150")},
    )
    feats, labels = data["clinc150"]
    oos_feats = data["clinc150_oos"][0]
    for t in (0.25, 0.5, 1.0, 2.0):
        oos_conf = [confidence(f, best, t) for f in oos_feats]
        threshold = float(np.quantile(oos_conf, 0.8))
        answered = [confidence(f, best, t) >= threshold for f in feats]
        right = [len(f) > 0 and int(np.argmax(f @ best)) == y for f, y in zip(feats, labels, strict=True)]
        ins = [y != -1 for y in labels]
        acc = np.mean([r and a for r, a, i in zip(right, answered, ins, strict=True) if i])
        rec = np.mean([not a for a, i in zip(answered, ins, strict=True) if not i])
        print(
            json.dumps(
                {
                    "temperature": t,
                    "threshold": round(threshold, 3),
                    "answered_accuracy": round(acc, 4),
                    "oos_recall": round(rec, 4),
                }
            )
        )


if __name__ == "__main__":
    main()
