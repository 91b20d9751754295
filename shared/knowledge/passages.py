"""Find the passages of help-center documents that answer a question, scored, inside Postgres, in one query.

The same two views as for entries: BM25 over the passages' own term weights (documents/indexing)
for the query's lexemes in its language, and the cosine of the passage's vector to the query's.
A passage has one vector, so its score is `w_lexical * BM25 + (w_dense + w_centroid) * cosine`,
on a scale of its own: its threshold is measured on this help center at sync, as the entries'
is (calibrate), from the anchors that no support knowledge answers: the highest any of them
scores. Not a quantile, as for entries: a page is long and shares a word with almost anything,
and a page's answer has no further evidence to weigh (an entry's many phrasings, its centroid). Without an embedder the
score is BM25 times the share of the query's words matched, as for entries.

A found passage comes back as a ScoredEntry of kind "passage" whose id is `passage:<id>`, whose
`question` says where it sits ("Shipping guide › Canada"), with the sentences that answer the
message (excerpts) and the section they sit in: the cited `url` is the page's plus that
section's `#anchor`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from shared.core.settings import Settings, get_settings
from shared.db import prepared
from shared.embeddings.base import Embedder, to_pgvector
from shared.knowledge import calibration, excerpts
from shared.knowledge.retrieval import TEXT_CONFIGS, Periodic, ScoredEntry

ID_PREFIX = "passage:"
NEAR_PASSAGES = 40
TOP_K = 5
LEXICAL_MODE = "passages"
# Until a help center is calibrated (a sync does it): the score of a passage sharing a few rare words
# and a cosine of about 0.55 with the message.
DEFAULT_HYBRID_THRESHOLD = 4.0

_QUERY_TERMS = """
    stems AS MATERIALIZED (
        SELECT w.word AS original, s.lexeme
        FROM unnest(tsvector_to_array(to_tsvector('simple', :query))) AS w(word),
             unnest(tsvector_to_array(to_tsvector(CAST(:text_config AS regconfig), w.word))) AS s(lexeme)
    ),
    lexemes AS MATERIALIZED (
        SELECT q.lexeme, coalesce(q.rarity, 1.0) AS rarity, q.rarity IS NULL AS unknown
        FROM (SELECT s.lexeme, (SELECT x.rarity FROM passage_lexemes x WHERE x.lexeme = s.lexeme) AS rarity
              FROM (SELECT DISTINCT lexeme FROM stems) s) q
    ),
    unknown_words AS MATERIALIZED (
        SELECT coalesce(array_agg(DISTINCT s.original ORDER BY s.original), CAST('{}' AS text[])) AS words
        FROM stems s JOIN lexemes l ON l.lexeme = s.lexeme
        WHERE l.unknown AND s.original !~ '[0-9]'
    ),
    informative AS MATERIALIZED (SELECT * FROM lexemes WHERE rarity >= 0.1),
    known_mass AS MATERIALIZED (SELECT coalesce(sum(rarity), 0) AS mass FROM informative WHERE NOT unknown)"""

_OUTPUT = """
    SELECT p.id, p.content, p.heading_path, p.anchor, p.sections, p.language, d.location, d.title,
           f.score, f.lexical, f.dense, f.coverage,
           (SELECT c.threshold FROM kb_calibration c WHERE c.mode = :mode) AS calibrated,
           (SELECT words FROM unknown_words) AS unknown_words
    FROM scored f
    JOIN passages p ON p.id = f.passage_id
    JOIN documents d ON d.id = p.document_id
    ORDER BY f.score DESC, p.id
"""

LEXICAL_SQL = f"""
    WITH {_QUERY_TERMS},
    scored AS (
        SELECT t.passage_id, sum(t.weight) * sum(l.rarity) / nullif((SELECT sum(rarity) FROM informative), 0) AS score,
               sum(t.weight) AS lexical, CAST(NULL AS float8) AS dense,
               sum(l.rarity) / nullif((SELECT mass FROM known_mass), 0) AS coverage
        FROM passage_terms t JOIN informative l ON l.lexeme = t.lexeme
        GROUP BY t.passage_id
        ORDER BY score DESC, t.passage_id
        LIMIT :top_k
    )
    {_OUTPUT}
"""


@lru_cache(maxsize=4)
def hybrid_sql(dims: int) -> str:
    """The hybrid query for vectors of `dims` dimensions (a literal, so the partial HNSW index applies)."""
    v = f"vector({int(dims)})"
    # Every posting of the informative lexemes is summed, but only the best sums are kept: a common
    # word has thousands of passages. The nearest passages' cosines come with them; only the others'
    # vectors are read, and only the others' sums, from the primary key.
    return f"""
    WITH {_QUERY_TERMS},
    nearest AS MATERIALIZED (
        SELECT x.passage_id, x.embedding::{v} <=> CAST(:vector AS {v}) AS distance
        FROM passage_vectors x WHERE x.dims = {dims} AND x.model = :model
        ORDER BY distance LIMIT :near
    ),
    best_lexical AS MATERIALIZED (
        SELECT t.passage_id, sum(t.weight) AS score, sum(l.rarity) AS matched
        FROM passage_terms t JOIN informative l ON l.lexeme = t.lexeme
        GROUP BY t.passage_id ORDER BY score DESC, t.passage_id LIMIT :near
    ),
    features AS MATERIALIZED (
        SELECT b.passage_id, b.score AS lexical, b.matched, 1 - coalesce(n.distance, (
            SELECT x.embedding::{v} <=> CAST(:vector AS {v})
            FROM passage_vectors x WHERE x.passage_id = b.passage_id AND x.model = :model
        )) AS dense
        FROM best_lexical b LEFT JOIN nearest n ON n.passage_id = b.passage_id
        UNION ALL
        SELECT n.passage_id, coalesce(s.score, 0), coalesce(s.matched, 0), 1 - n.distance
        FROM nearest n
        CROSS JOIN LATERAL (
            SELECT sum(t.weight) AS score, sum(l.rarity) AS matched
            FROM informative l JOIN passage_terms t ON t.lexeme = l.lexeme AND t.passage_id = n.passage_id
        ) s
        WHERE n.passage_id NOT IN (SELECT passage_id FROM best_lexical)
    ),
    scored AS (
        SELECT passage_id, lexical, dense, matched / nullif((SELECT mass FROM known_mass), 0) AS coverage,
               :w_lexical * lexical + :w_dense * coalesce(dense, 0) AS score
        FROM features
        ORDER BY score DESC, passage_id
        LIMIT :top_k
    )
    {_OUTPUT}
"""


def search(
    conn: sa.Connection,
    query: str,
    *,
    vector: list[float] | None = None,
    model: str | None = None,
    top_k: int = TOP_K,
    language: str = "en",
) -> list[ScoredEntry]:
    """The passages that best match `query` (and its `vector`, from embedder `model`), best first."""
    settings = get_settings()
    params: dict[str, Any] = {"query": query, "text_config": TEXT_CONFIGS.get(language, "english"), "top_k": top_k}
    if vector is None or model is None:
        params["mode"] = LEXICAL_MODE
        rows = prepared.fetch(conn, LEXICAL_SQL, params)
        fallback = settings.retrieval_min_score
    else:
        params |= _hybrid_params(settings, vector, model)
        rows = prepared.fetch(conn, hybrid_sql(len(vector)), params)
        fallback = DEFAULT_HYBRID_THRESHOLD
    return [_passage(row, query, fallback, hybrid=vector is not None and model is not None) for row in rows]


def _hybrid_params(settings: Settings, vector: list[float], model: str) -> dict[str, Any]:
    return {
        "vector": to_pgvector(vector),
        "model": model,
        "mode": calibration_mode(model),
        "near": NEAR_PASSAGES,
        "w_lexical": settings.fusion_lexical_weight,
        "w_dense": settings.fusion_dense_weight + settings.fusion_centroid_weight,
    }


def calibration_mode(model: str) -> str:
    """The passages' threshold's key in kb_calibration (the entries' is the model's name)."""
    return f"{LEXICAL_MODE}:{model}"


def _passage(row: Any, query: str, fallback: float, *, hybrid: bool) -> ScoredEntry:
    sections = list(row.sections or [])
    found = excerpts.excerpt(row.content, query, sections=sections)
    section = excerpts.section_at(sections, found.offset)
    path = list(section.get("heading_path", [])) if section else list(row.heading_path)
    anchor = section.get("anchor") if section else row.anchor
    where = [row.title, *path[1:]] if row.title and path[:1] == [row.title] else [p for p in (row.title, *path) if p]
    features = {"lexical": float(row.lexical)} | ({} if row.dense is None else {"dense": float(row.dense)})
    return ScoredEntry(
        id=f"{ID_PREFIX}{row.id}",
        question=" › ".join(where) or row.location,
        answer=row.content,
        url=_link(row.location, anchor),
        score=float(row.score or 0.0),
        hybrid=hybrid,
        calibrated=row.calibrated if row.calibrated is not None else fallback,
        features=features,
        coverage=None if row.coverage is None else float(row.coverage),
        unknown_words=tuple(row.unknown_words or ()),
        language=row.language,
        kind="passage",
        excerpt=found.text,
        title=row.title,
        section=path[-1] if path and path[-1] != row.title else None,
        document=row.location,
        anchor=anchor,
    )


def _link(location: str, anchor: str | None) -> str | None:
    """The page's address with the section's anchor; none for a file (nothing a customer can open)."""
    if not location.startswith(("http://", "https://")):
        return None
    return f"{location.split('#', 1)[0]}#{anchor}" if anchor else location


def has_passages(conn: sa.Connection) -> bool:
    """Whether any document has passages: without them, a message costs no passage search."""
    return bool(conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM passages)")).scalar())


PRESENCE_TTL_SECONDS = 60
passages_present = Periodic(has_passages, PRESENCE_TTL_SECONDS)


def calibrate(conn: sa.Connection, embedder: Embedder | None) -> None:
    """Measure and store the passages' threshold for the embedder in use, as entries' is (see calibration)."""
    if embedder is None or not has_passages(conn):
        return
    scores = []
    for text, vector in zip(calibration.anchors(), calibration.anchor_vectors(embedder), strict=True):
        found = search(conn, text, vector=vector, model=embedder.model, top_k=1)
        scores.append(found[0].score if found else 0.0)
    calibration.store(conn, calibration_mode(embedder.model), max(scores, default=DEFAULT_HYBRID_THRESHOLD))
