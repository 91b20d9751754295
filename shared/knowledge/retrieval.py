"""Find the knowledge-base entries that answer a question, scored, inside Postgres, in one query.

Lexical part: each query word that is not a knowledge-base word is corrected to the most
similar one by trigrams (typos; pg_trgm's similarity threshold, 0.3 by default); an entry's
BM25 score is the sum of its precomputed weights (kb_terms, see sync) for the query's
distinct lexemes. BM25 gives 73.7% / 74.2% top-1 on the banking77 / clinc150 dev sets, where
ts_rank over the same OR query gave 69.8% / 68.9%.

Hybrid (with an embedder): candidates are the entries of the nearest embedded texts (HNSW),
the nearest centroids, the best BM25 scores and the best classifier scores; each is scored by
a weighted sum of its BM25 score, a soft maximum of the cosine to its texts, the cosine to
its centroid and its classifier logit, compared with RETRIEVAL_MIN_HYBRID_SCORE.
Without an embedder, entries rank by BM25 plus a trigram similarity to the question, and that
times the matched share of the query's words is compared with RETRIEVAL_MIN_SCORE.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from shared.core.settings import Settings, get_settings
from shared.db import prepared
from shared.embeddings.base import to_pgvector

T = TypeVar("T")

_QUERY_TERMS = """
    query_words AS (
        SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', :query))) AS word
    ),
    corrected AS MATERIALIZED (
        SELECT q.word AS original, CASE
            WHEN length(q.word) < 4 OR EXISTS (SELECT 1 FROM kb_vocabulary v WHERE v.word = q.word) THEN q.word
            ELSE coalesce(
                (SELECT v.word FROM kb_vocabulary v
                 WHERE v.word % q.word
                 ORDER BY v.word <-> q.word, v.word LIMIT 1),
                q.word)
            END AS word
        FROM query_words q
    ),
    stems AS MATERIALIZED (
        SELECT c.original, s.lexeme
        FROM corrected c,
             unnest(tsvector_to_array(to_tsvector(CAST(:text_config AS regconfig), c.word))) AS s(lexeme)
    ),
    -- A lexeme no entry has is one the knowledge base never uses: it weighs as much as the rarest.
    lexemes AS MATERIALIZED (
        SELECT q.lexeme, coalesce(x.rarity, 1.0) AS rarity, x.lexeme IS NULL AS unknown
        FROM (SELECT DISTINCT lexeme FROM stems) q
        LEFT JOIN kb_lexemes x ON x.lexeme = q.lexeme
    ),
    -- The message's words (not stop words, not numbers) that no entry uses, even corrected for typos.
    unknown_words AS MATERIALIZED (
        SELECT coalesce(array_agg(DISTINCT s.original ORDER BY s.original), CAST('{}' AS text[])) AS words
        FROM stems s JOIN lexemes l ON l.lexeme = s.lexeme
        WHERE l.unknown AND s.original !~ '[0-9]'
    ),
    known_mass AS MATERIALIZED (
        SELECT coalesce(sum(rarity), 0) AS mass FROM lexemes WHERE NOT unknown AND rarity >= 0.1
    ),
    -- A lexeme weighing under a tenth of a word found in one entry (one in over 63% of the
    -- entries of a 150-entry knowledge base, 33% of a 100k one) counts for nothing, as a stop
    -- word would: summing its postings cost 100 ms at 100k entries.
    informative AS MATERIALIZED (SELECT * FROM lexemes WHERE rarity >= 0.1),
    bm25 AS MATERIALIZED (
        SELECT t.entry_id, sum(t.weight) AS score, sum(l.rarity) AS matched
        FROM kb_terms t JOIN informative l ON l.lexeme = t.lexeme
        GROUP BY t.entry_id
    )"""

# The lexical score that decides is BM25 (plus a little trigram similarity of the question)
# times the share of the query's words, weighted by rarity, that the entry contains: BM25
# alone saturates on one-word matches in a small knowledge base, and the share alone ignores
# how much was matched. Entries are still ranked by BM25, which ranks better. The trigram
# similarity costs about 35 us an entry, so only BM25's shortlist gets it.
LEXICAL_SQL = f"""
    WITH {_QUERY_TERMS},
    shortlist AS (SELECT * FROM bm25 ORDER BY score DESC LIMIT :shortlist),
    ranked AS (
        SELECT e.id, e.question, e.answer, e.url, e.translations, e.position, e.version,
               b.matched / (SELECT sum(rarity) FROM informative) AS share,
               b.matched / nullif((SELECT mass FROM known_mass), 0) AS coverage,
               b.score + :fuzzy_weight * similarity(e.question, :query) AS rank_score
        FROM shortlist b JOIN kb_entries e ON e.id = b.entry_id
    )
    SELECT id, question, answer, url, translations, version, rank_score * share AS score, false AS hybrid,
           CAST(NULL AS float8) AS calibrated, CAST(NULL AS float8) AS lexical, CAST(NULL AS float8) AS dense,
           CAST(NULL AS float8) AS centroid, CAST(NULL AS float8) AS learned, coverage,
           (SELECT words FROM unknown_words) AS unknown_words
    FROM ranked
    ORDER BY rank_score DESC, position
    LIMIT :top_k
"""


@lru_cache(maxsize=4)
def hybrid_sql(dims: int) -> str:
    """The hybrid query for vectors of `dims` dimensions (a literal, so the partial HNSW indexes apply)."""
    v = f"vector({int(dims)})"
    return f"""
    WITH {_QUERY_TERMS},
    q AS MATERIALIZED (SELECT CAST(:vector AS {v}) AS v),
    -- The vector is repeated as a parameter in each ORDER BY: an HNSW index scan needs a constant.
    candidates AS (
        (SELECT t.entry_id FROM kb_texts t WHERE t.dims = {dims} AND t.model = :model
         ORDER BY t.embedding::{v} <=> CAST(:vector AS {v}) LIMIT :near_texts)
        UNION
        (SELECT c.entry_id FROM kb_entry_vectors c WHERE c.dims = {dims} AND c.model = :model
         ORDER BY c.centroid::{v} <=> CAST(:vector AS {v}) LIMIT :near_entries)
        UNION
        (SELECT c.entry_id FROM kb_entry_vectors c WHERE c.model = :model AND c.weights IS NOT NULL
         ORDER BY (c.weights::{v} <#> CAST(:vector AS {v})) - c.bias LIMIT :near_entries)
        UNION
        (SELECT b.entry_id FROM bm25 b ORDER BY b.score DESC LIMIT :near_entries)
    ),
    -- Materialized: inlined, the soft max over an entry's texts ran once to rank and again to output.
    features AS MATERIALIZED (
        SELECT e.id, e.question, e.answer, e.url, e.translations, e.position, e.version,
               coalesce(b.score, 0) AS lexical,
               coalesce(b.matched, 0) / nullif((SELECT mass FROM known_mass), 0) AS coverage,
               (SELECT :tau * ln(sum(exp((1 - (t.embedding::{v} <=> q.v)) / :tau)))
                FROM kb_texts t WHERE t.entry_id = e.id AND t.model = :model) AS dense,
               1 - (c.centroid::{v} <=> q.v) AS centroid,
               c.bias - (c.weights::{v} <#> q.v) AS learned
        FROM candidates k
        JOIN kb_entries e ON e.id = k.entry_id
        CROSS JOIN q
        LEFT JOIN bm25 b ON b.entry_id = e.id
        LEFT JOIN kb_entry_vectors c ON c.entry_id = e.id AND c.model = :model
    ),
    scored AS (
        SELECT id, question, answer, url, translations, position, version, lexical, dense, centroid, learned, coverage,
               :w_lexical * lexical + :w_dense * coalesce(dense, 0) + :w_centroid * coalesce(centroid, 0)
                 + :w_learned * coalesce(learned, 0) AS score
        FROM features
        ORDER BY score DESC, position
        LIMIT :candidates
    )
    SELECT id, question, answer, url, translations, version, score, lexical, dense, centroid, learned, true AS hybrid,
           (SELECT c.threshold FROM kb_calibration c WHERE c.mode = :model) AS calibrated, coverage,
           (SELECT words FROM unknown_words) AS unknown_words
    FROM scored
    ORDER BY score DESC, position
    LIMIT :top_k
"""


FUZZY_WEIGHT = 0.5
# The language of an entry's own question and answer (sync stems them as English); versions in
# other languages are its translations.
OWN_LANGUAGE = "en"
LEXICAL_SHORTLIST = 50
POPULAR_TTL_SECONDS = 300
VERSIONS_TTL_SECONDS = 60
NEAR_TEXTS = 60
NEAR_ENTRIES = 20


@dataclass(frozen=True)
class ScoredEntry:
    """A knowledge-base entry and its score (hybrid or lexical-only, which have their own thresholds).

    `calibrated` is the threshold measured on this knowledge base at its last sync, if any.
    """

    id: str
    question: str
    answer: str
    url: str | None
    score: float
    hybrid: bool = False
    calibrated: float | None = None
    translations: dict[str, Any] = field(default_factory=dict, compare=False)
    version: int = 0
    # The hybrid score's parts (BM25, soft max cosine, centroid cosine, classifier logit), for "try it".
    features: dict[str, float] = field(default_factory=dict, compare=False)
    # The share of the message's known words (by rarity) this entry contains, and the message's words
    # no entry contains (the same for every entry of one search): evidence for the decision.
    coverage: float | None = field(default=None, compare=False)
    unknown_words: tuple[str, ...] = field(default=(), compare=False)
    # The language `question` and `answer` are written in: the entry's own, or a version's (see in_language).
    language: str = field(default=OWN_LANGUAGE, compare=False)
    # A passage of a help-center document rather than an entry (knowledge/passages.py): `question` is
    # where it sits ("Shipping guide › Canada"), `answer` its text, `excerpt` the sentences that answer
    # the message, `title` the document's and `section` the cited section's heading.
    kind: str = field(default="entry", compare=False)
    excerpt: str | None = field(default=None, compare=False)
    title: str | None = field(default=None, compare=False)
    section: str | None = field(default=None, compare=False)
    document: str | None = field(default=None, compare=False)  # the document's address or file
    anchor: str | None = field(default=None, compare=False)  # the cited section's

    def threshold(self, settings: Settings) -> float:
        """The score from which this entry may answer."""
        # A passage's score has its own scale: its threshold is always its own (measured, or the default).
        if self.calibrated is not None and (settings.retrieval_calibrate or self.kind == "passage"):
            return self.calibrated
        return settings.retrieval_min_hybrid_score if self.hybrid else settings.retrieval_min_score

    def in_language(self, language: str) -> ScoredEntry:
        """This entry with its question and answer in `language` when it has a version in it, else as written.

        The result's `language` says which one its text is in.
        """
        version = self.translations.get(language)
        if not version:
            return self
        return replace(self, question=version["question"], answer=version["answer"], language=language)

    def fits(self, settings: Settings) -> bool:
        """Whether this entry is confident enough to answer with."""
        return self.score >= self.threshold(settings)


# Postgres's text-search configuration for each language a query can be in: the knowledge base's
# versions in that language are stemmed with it (see sync), and so are the query's words.
TEXT_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}


def search(
    conn: sa.Connection,
    query: str,
    *,
    vector: list[float] | None = None,
    model: str | None = None,
    top_k: int | None = None,
    language: str = "en",
) -> list[ScoredEntry]:
    """The best-matching entries for `query` (and its `vector`, from embedder `model`), best first."""
    settings = get_settings()
    top_k = top_k or settings.retrieval_top_k
    asked_in = language
    if language != OWN_LANGUAGE:
        language = read_as(language, cached_version_languages(conn))
    # Read as another language, the message's words are unknown for their language, not their topic.
    unknown_is_evidence = language == asked_in
    if vector is None or model is None:
        params: dict[str, Any] = {
            "query": query,
            "top_k": top_k,
            "fuzzy_weight": FUZZY_WEIGHT,
            "shortlist": LEXICAL_SHORTLIST,
            "text_config": TEXT_CONFIGS.get(language, "english"),
        }
    else:
        params = hybrid_params(settings, query, vector, model, top_k, language)
    sql = LEXICAL_SQL if vector is None or model is None else hybrid_sql(len(vector))
    rows = prepared.fetch(conn, sql, params)
    return [
        ScoredEntry(
            r.id,
            r.question,
            r.answer,
            r.url,
            float(r.score),
            bool(r.hybrid),
            r.calibrated,
            r.translations or {},
            r.version,
            {name: float(getattr(r, name)) for name in FEATURES if getattr(r, name) is not None},
            None if r.coverage is None else float(r.coverage),
            tuple(r.unknown_words or ()) if unknown_is_evidence else (),
        )
        for r in rows
    ]


FEATURES = ("lexical", "dense", "centroid", "learned")


# Languages whose stems are mostly another supported language's. Italian is read as English: read
# as Spanish or French, its messages were answered no better, or worse.
NEIGHBOURS = {"pt": "es", "nl": "de"}


def read_as(language: str, versions: frozenset[str]) -> str:
    """The language a query in `language` is stemmed as, given the languages the entries have versions in.

    A language with no versions is read as its neighbour's when the entries have that one (they share
    most stems), else as the entries' own: the only words such a message can share with the knowledge
    base are then that language's (brands, loanwords: "newsletter", "PayPal"), and its own stop words,
    dropped, would hide from the decision how little of the message the knowledge base reads.
    Measured on the labelled sets' Italian, Portuguese and Dutch messages, both answer right more often.
    """
    if language in versions:
        return language
    neighbour = NEIGHBOURS.get(language)
    return neighbour if neighbour in versions else OWN_LANGUAGE


def version_languages(conn: sa.Connection) -> frozenset[str]:
    """The languages some entry has a version in."""
    rows = conn.execute(sa.text("SELECT DISTINCT jsonb_object_keys(translations) FROM kb_entries")).scalars()
    return frozenset(rows)


class Periodic(Generic[T]):
    """A value read from the database again at most every `seconds`: the entries change rarely."""

    def __init__(self, read: Callable[[sa.Connection], T], seconds: float) -> None:
        self._read, self._seconds = read, seconds
        self._value: T | None = None
        self._read_at = -math.inf

    def get(self, conn: sa.Connection) -> T:
        fresh = self.fresh()
        if fresh is None:
            fresh = self._value = self._read(conn)
            self._read_at = time.monotonic()
        return fresh

    def fresh(self) -> T | None:
        """The value when it was read less than `seconds` ago, else None (without reading it)."""
        if self._value is None or time.monotonic() - self._read_at > self._seconds:
            return None
        return self._value

    def forget(self) -> None:
        """Read afresh next time."""
        self._read_at = -math.inf


# It scans every entry, and changes only with the entries.
version_languages_now = Periodic(version_languages, VERSIONS_TTL_SECONDS)


def cached_version_languages(conn: sa.Connection) -> frozenset[str]:
    """`version_languages`, read again once a minute."""
    return version_languages_now.get(conn)


def hybrid_params(
    settings: Settings, query: str, vector: list[float], model: str, top_k: int, language: str = "en"
) -> dict[str, Any]:
    """The parameters of `hybrid_sql` for one search."""
    return {
        "query": query,
        "text_config": TEXT_CONFIGS.get(language, "english"),
        "vector": to_pgvector(vector),
        "model": model,
        "near_texts": NEAR_TEXTS,
        "near_entries": NEAR_ENTRIES,
        "tau": settings.fusion_dense_tau,
        "w_lexical": settings.fusion_lexical_weight,
        "w_dense": settings.fusion_dense_weight,
        "w_centroid": settings.fusion_centroid_weight,
        "w_learned": settings.fusion_classifier_weight,
        "candidates": top_k,
        "top_k": top_k,
    }


def popular_entries(conn: sa.Connection, limit: int = 3) -> list[ScoredEntry]:
    """The first entries of the knowledge base, offered when nothing matches."""
    rows = conn.execute(
        sa.text("SELECT id, question, answer, url, translations, version FROM kb_entries ORDER BY position LIMIT :n"),
        {"n": limit},
    ).all()
    return [
        ScoredEntry(r.id, r.question, r.answer, r.url, 0.0, translations=r.translations or {}, version=r.version)
        for r in rows
    ]


_popular = Periodic(popular_entries, POPULAR_TTL_SECONDS)


def cached_popular_entries(conn: sa.Connection) -> list[ScoredEntry]:
    """`popular_entries`, read again every few minutes."""
    return _popular.get(conn)
