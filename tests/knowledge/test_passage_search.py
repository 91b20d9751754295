"""The passages query ranks as its definition does: BM25 over every posting of the message's informative
lexemes, the cosine of every passage's vector, candidates the best of each, scored, best first."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from shared.core.settings import get_settings
from shared.embeddings import use_embedder
from shared.embeddings.base import to_pgvector
from shared.knowledge import passages
from shared.knowledge.documents.sync import remove_source, sync_sources
from tests.fakes import HashingEmbedder

DIMS = 64
QUESTIONS = (
    "How long does shipping to Canada take?",
    "Can I return headphones I opened?",
    "My charger stopped working, is it under warranty?",
    "How do I pair the earbuds with my phone?",
    "Do you ship to Russia?",
)


@pytest.fixture
def embedder():
    fake = HashingEmbedder(model="fake/passage-search", dimensions=DIMS)
    with use_embedder(fake):
        yield fake


@pytest.fixture
def help_center(settings_env, embedder):
    """The demo help center synced with the fake embedder; removed after the test."""
    site = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=site.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="2")
    sitemap = f"{site.url}/sitemap.xml"
    sync_sources([sitemap])
    passages.passages_present.forget()
    yield
    site.stop()
    remove_source(sitemap)


def _every_passage(db: sa.Connection, question: str, vector: list[float], model: str) -> list[sa.Row]:
    """Each passage with its BM25 over all postings, its matched rarity and its cosine: no candidate cut."""
    return db.execute(
        sa.text(f"""
            WITH {passages._QUERY_TERMS}
            SELECT p.id,
                   (SELECT sum(t.weight) FROM passage_terms t JOIN informative l ON l.lexeme = t.lexeme
                    WHERE t.passage_id = p.id) AS lexical,
                   coalesce((SELECT sum(l.rarity) FROM passage_terms t JOIN informative l ON l.lexeme = t.lexeme
                             WHERE t.passage_id = p.id), 0) / nullif((SELECT mass FROM known_mass), 0) AS coverage,
                   (SELECT 1 - (x.embedding::vector({DIMS}) <=> CAST(:vector AS vector({DIMS})))
                    FROM passage_vectors x WHERE x.passage_id = p.id AND x.model = :model) AS dense
            FROM passages p
        """),
        {"query": question, "text_config": "english", "vector": to_pgvector(vector), "model": model},
    ).all()


def _expected(rows: list[sa.Row], near: int, top_k: int) -> list[tuple[str, float, float | None]]:
    """The definition: the `near` best by BM25 and by cosine, scored, the `top_k` best."""
    settings = get_settings()
    w_lexical, w_dense = settings.fusion_lexical_weight, settings.fusion_dense_weight + settings.fusion_centroid_weight
    matched = [r for r in rows if r.lexical is not None]
    by_lexical = sorted(matched, key=lambda r: (-r.lexical, r.id))[:near]
    by_cosine = sorted((r for r in rows if r.dense is not None), key=lambda r: -r.dense)[:near]
    candidates = {r.id: r for r in by_lexical + by_cosine}.values()
    scored = sorted(
        ((w_lexical * (r.lexical or 0.0) + w_dense * (r.dense or 0.0), r) for r in candidates),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    return [(f"{passages.ID_PREFIX}{r.id}", r.lexical or 0.0, r.coverage) for _, r in scored[:top_k]]


@pytest.mark.parametrize("near", [3, passages.NEAR_PASSAGES])
def test_the_hybrid_passages_are_those_of_the_definition_with_their_features(
    help_center, embedder, db, monkeypatch, near
):
    # Few candidates of each kind make the lexical and the nearest ones differ, as on a large help center.
    monkeypatch.setattr(passages, "NEAR_PASSAGES", near)
    for question in QUESTIONS:
        vector = embedder.embed_query(question)
        found = passages.search(db, question, vector=vector, model=embedder.model, language="en")
        expected = _expected(_every_passage(db, question, vector, embedder.model), near, passages.TOP_K)
        assert [e.id for e in found] == [e[0] for e in expected], question
        for entry, (_, lexical, coverage) in zip(found, expected, strict=True):
            assert entry.features["lexical"] == pytest.approx(lexical)
            assert entry.coverage == (None if coverage is None else pytest.approx(coverage))


def test_the_lexical_passages_are_ranked_by_bm25_times_the_share_matched(help_center, db):
    for question in QUESTIONS:
        found = passages.search(db, question, language="en")
        rows = [r for r in _every_passage(db, question, [0.0] * DIMS, "none") if r.lexical is not None]
        total = db.execute(
            sa.text(f"WITH {passages._QUERY_TERMS} SELECT sum(rarity) FROM informative"),
            {"query": question, "text_config": "english"},
        ).scalar()
        # coverage is matched over the known mass; the score weighs BM25 by matched over every informative lexeme.
        mass = db.execute(
            sa.text(f"WITH {passages._QUERY_TERMS} SELECT mass FROM known_mass"),
            {"query": question, "text_config": "english"},
        ).scalar()
        best = sorted(rows, key=lambda r: (-(r.lexical * r.coverage * mass / total), r.id))[: passages.TOP_K]
        assert [e.id for e in found] == [f"{passages.ID_PREFIX}{r.id}" for r in best], question
        assert [e.score for e in found] == pytest.approx([r.lexical * r.coverage * mass / total for r in best])
