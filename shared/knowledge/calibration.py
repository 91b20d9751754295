"""Each knowledge base's own answering threshold, measured at sync.

A fixed threshold tuned on one data set fits knowledge bases of that size and kind only: on a
15-entry shop it refused plain paraphrases that a 150-intent set would have needed refused. So
at sync, messages that no support knowledge base answers (anchors.json: chit-chat and general
knowledge, in each supported language) are scored against this knowledge base, and the
threshold is set just above how high most of them score here: off-topic messages are what the
threshold exists to refuse, and how high they reach depends on the knowledge base itself.
"""

from __future__ import annotations

import json
import statistics
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from shared.embeddings.base import Embedder
from shared.knowledge import retrieval

ANCHORS_PATH = Path(__file__).with_name("anchors.json")
# The share of anchors the threshold refuses; chosen on the evaluation dev sets (README, Retrieval).
ANCHOR_QUANTILE = 0.85


@lru_cache(maxsize=1)
def anchors() -> list[str]:
    """Every anchor message, all languages together."""
    data = json.loads(ANCHORS_PATH.read_text(encoding="utf-8"))
    return [text for language, texts in data.items() if language != "about" for text in texts]


def calibrate(conn: sa.Connection, embedder: Embedder | None) -> None:
    """Measure and store the hybrid threshold of the embedder in use.

    Lexical-only retrieval keeps its fixed threshold: its score is already normalised to the
    knowledge base (one rare word matched once scores about 1 at any size, see sync).
    """
    if embedder is not None:
        store(conn, embedder.model, threshold_of(_top_scores(conn, embedder)))


def is_calibrated(conn: sa.Connection, embedder: Embedder | None) -> bool:
    """Whether the embedder in use has a threshold measured since the knowledge base last changed."""
    modes = [embedder.model] if embedder else []
    found = conn.execute(
        sa.text("""
            SELECT count(*) FROM kb_calibration c
            WHERE c.mode = ANY(:modes)
              AND c.computed_at >= coalesce((SELECT max(updated_at) FROM kb_entries), '-infinity')
        """),
        {"modes": modes},
    ).scalar()
    return found == len(modes)


def _top_scores(conn: sa.Connection, embedder: Embedder) -> list[float]:
    scores = []
    for text, vector in zip(anchors(), anchor_vectors(embedder), strict=True):
        found = retrieval.search(conn, text, vector=vector, model=embedder.model, top_k=1)
        scores.append(found[0].score if found else 0.0)
    return scores


_vectors_by_embedder: dict[tuple[str, int], list[list[float]]] = {}


def anchor_vectors(embedder: Embedder) -> list[list[float]]:
    """The anchors' query vectors, embedded once per process: each save in the console recalibrates."""
    key = (embedder.model, id(embedder))
    if key not in _vectors_by_embedder:
        _vectors_by_embedder[key] = [list(embedder.embed_query(text)) for text in anchors()]
    return _vectors_by_embedder[key]


def threshold_of(scores: list[float]) -> float:
    """The threshold for the anchors' top `scores`: the score that ANCHOR_QUANTILE of them stay under."""
    return statistics.quantiles(scores, n=100, method="inclusive")[round(ANCHOR_QUANTILE * 100) - 1]


def store(conn: sa.Connection, mode: str, threshold: float) -> None:
    """Keep `threshold` as the calibration of `mode` (an embedder's model, or passages' key for it)."""
    details: dict[str, Any] = {"anchors": len(anchors()), "quantile": ANCHOR_QUANTILE}
    conn.execute(
        sa.text("""
            INSERT INTO kb_calibration (mode, threshold, details, computed_at)
            VALUES (:mode, :threshold, CAST(:details AS jsonb), clock_timestamp())
            ON CONFLICT (mode) DO UPDATE SET
                threshold = EXCLUDED.threshold, details = EXCLUDED.details, computed_at = EXCLUDED.computed_at
        """),
        {"mode": mode, "threshold": threshold, "details": json.dumps(details)},
    )
