"""Hybrid retrieval: stored embeddings, follow-ups, the evaluation command, and the local model."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import numpy as np
import pytest
import sqlalchemy as sa

from devtools.evaluate import CONVERSATION_SET, evaluate, load_kb, load_queries
from shared.core.settings import PROJECT_ROOT, get_settings
from shared.db.engine import connection, get_engine
from shared.embeddings import use_embedder
from shared.embeddings.local import MAX_TOKENS, model_dir
from shared.embeddings.wordpiece import WordPiece
from shared.knowledge import conversation_eval, followups, retrieval
from shared.knowledge.lookup import find_answers
from shared.knowledge.sync import sync_entries, sync_file
from shared.schemas.faq import load_knowledge_base
from shared.text.turns import Turn
from tests.fakes import HashingEmbedder

DATASETS = PROJECT_ROOT / "datasets"


@pytest.fixture
def restore_knowledge_base():
    yield
    sync_file()


def _stored(db, model):
    return db.execute(sa.text("SELECT count(*) FROM kb_texts WHERE model = :m"), {"m": model}).scalar()


def _phrasings(entry) -> int:
    # The hashing fake reads words, not languages: only the English phrasings are embedded.
    return 1 + len(entry.examples)


def test_embeddings_are_stored_reused_and_refreshed_only_when_needed(db, restore_knowledge_base):
    entries = load_knowledge_base(PROJECT_ROOT / "knowledge_base.json")
    texts = sum(_phrasings(e) for e in entries)
    embedder = HashingEmbedder()
    with use_embedder(embedder):
        sync_entries(entries)
        assert len(embedder.embedded) == texts
        assert _stored(db, "fake/hashing") == texts
        sync_entries(entries)
        assert len(embedder.embedded) == texts
        changed = [entries[0].model_copy(update={"examples": ["Can I bring it back?"]}), *entries[1:]]
        sync_entries(changed)
        assert embedder.embedded[texts : texts + 2] == [entries[0].question, "Can I bring it back?"]
    dims = db.execute(sa.text("SELECT DISTINCT dims FROM kb_texts")).scalars().all()
    assert dims == [256]
    vectors = db.execute(sa.text("SELECT count(*) FROM kb_entry_vectors WHERE weights IS NOT NULL")).scalar()
    assert vectors == len(entries)


def test_switching_the_embedding_model_re_embeds_everything(db, restore_knowledge_base):
    entries = load_knowledge_base(PROJECT_ROOT / "knowledge_base.json")
    with use_embedder(HashingEmbedder()):
        sync_entries(entries)
    other = HashingEmbedder(model="fake/other", dimensions=32)
    with use_embedder(other):
        sync_entries(entries)
    assert len(other.embedded) == sum(_phrasings(e) for e in entries)
    assert _stored(db, "fake/hashing") == 0
    assert db.execute(sa.text("SELECT DISTINCT model FROM kb_texts")).scalars().all() == ["fake/other"]


def test_hybrid_search_ranks_by_meaning_and_words(restore_knowledge_base):
    embedder = HashingEmbedder()
    with use_embedder(embedder):
        sync_file()
        with connection() as conn:
            found = retrieval.search(
                conn,
                "how do I track my order",
                vector=embedder.embed_query("how do I track my order"),
                model=embedder.model,
            )
    assert found[0].id == "order-tracking"
    assert all(f.hybrid for f in found)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


@pytest.mark.parametrize(
    "question, form",
    [("and what about abroad?", "elliptic"), ("Do you ship to Canada?", None), ("is it free?", "refers_back")],
)
def test_a_follow_up_is_told_apart_from_a_new_question(question, form):
    history = [Turn("user", "How long does shipping take?"), Turn("bot", "3 to 5 business days.")]
    assert followups.form_of(question, history) == form


def test_a_follow_up_finds_the_entry_it_depends_on():
    history = [Turn("user", "What warranty do I get?"), Turn("bot", "One year against defects.")]
    assert find_answers("and how do I claim it?", []).entries == []
    answer = find_answers("and how do I claim it?", history)
    assert answer.entries[0].id == "warranty"


def test_an_unrelated_question_gets_i_dont_know_and_the_human_offer(function_client, chat_session):
    response = function_client("post_message").post(
        "/",
        json={"session_id": str(chat_session.id), "content": "What's the weather in Paris?"},
        headers=chat_session.auth,
    )
    reply = response.json["reply"]
    assert reply["sources"] == []
    assert reply["suggested_actions"][0] == "Talk to a human"


def test_evaluation_runs_on_a_fixture_lexically_and_with_an_embedder(restore_knowledge_base):
    entries, queries = load_kb(DATASETS / "eval_kb.json"), load_queries(DATASETS / "eval_queries.jsonl")
    with use_embedder(None):
        lexical = evaluate(entries, queries)
    with use_embedder(HashingEmbedder()):
        hybrid = evaluate(entries, queries)
    for report in (lexical, hybrid):
        assert 0 <= report.top1 <= 1 and 0 <= report.mrr <= 1
        assert report.oos_recall is not None and report.p95_ms >= report.p50_ms > 0
    assert lexical.embedder == "none" and hybrid.embedder == "fake/hashing"
    assert hybrid.top1 >= 0.5


@pytest.mark.slow
def test_evaluation_command_prints_one_json_object():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools.evaluate",
            "--kb",
            str(DATASETS / "eval_kb.json"),
            "--queries",
            str(DATASETS / "eval_queries.jsonl"),
            "--embedder",
            "none",
            "--json",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in __import__("os").environ.items() if k != "DATABASE_URL"},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"top1", "mrr", "in_scope_answered_accuracy", "oos_recall", "overall_accuracy", "p50_ms", "p95_ms"} <= set(
        report
    )


@pytest.fixture(scope="module")
def local_embedder():
    if model_dir() is None:
        pytest.skip("the local embedder's weights are not installed")
    from shared.embeddings.local import LocalEmbedder

    return LocalEmbedder()


# Reference: sentence-transformers 6.2.0 with torch 2.13.0 on the same weights (first 6 dimensions).
REFERENCE = {
    "The cat sat on the mat.": [0.130237, -0.015773, -0.036717, 0.057986, -0.059792, 0.033054],
}


@pytest.mark.slow
def test_the_local_embedder_matches_sentence_transformers(local_embedder):
    for text, expected in REFERENCE.items():
        got = local_embedder.embed_query(text)[: len(expected)]
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) < 1e-4


TRICKY_TEXTS = [
    "Ça coûte 12,50 € ? ¿Dónde está mi pedido? Größe, Straße, naïve",
    "日本語のテキストです。请问我的订单在哪里？",
    "emoji 😀👍 and ✓ marks, ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ, ﬁ ligatures, İstanbul",
    "zero\u200bwidth soft\u00adhyphen, tab\there\nnew line, nul\u0000 and \ufffd",
    "don't-stop...now!!! (really?) [yes] {no} <maybe> #1 @you ~ok",
    "a" * 150 + " supercalifragilisticexpialidociouslyunbelievable",
    " ".join(["word"] * 300),
    "",
]


def test_our_tokenizer_cuts_text_into_the_same_pieces_as_the_models_own():
    tokenizers = pytest.importorskip("tokenizers", reason="the reference tokenizer is not installed")
    folder = model_dir()
    if folder is None:
        pytest.skip("the English MiniLM's weights are not installed")
    reference = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    reference.enable_truncation(max_length=MAX_TOKENS)
    reference.no_padding()
    ours = WordPiece(folder / "vocab.txt", MAX_TOKENS)
    texts = [*TRICKY_TEXTS, *(case.query for case in conversation_eval.load_cases(CONVERSATION_SET))]
    assert [ours.encode(t) for t in texts] == [reference.encode(t).ids for t in texts]


def test_both_encoders_together_give_one_unit_vector_weighted_toward_the_minilm(local_embedder):
    from shared.embeddings.combined import MULTILINGUAL_WEIGHT, CombinedEmbedder

    combined = CombinedEmbedder()
    text = "Where is my parcel?"
    vector = np.array(combined.embed_query(text))
    multilingual, english = np.split(vector, [512])
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(multilingual) / np.linalg.norm(english) == pytest.approx(MULTILINGUAL_WEIGHT, rel=1e-4)
    assert english / np.linalg.norm(english) == pytest.approx(np.array(local_embedder.embed_query(text)), abs=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, expected",
    [
        ("I changed my mind, can I send the order back?", "return-policy"),
        ("where's my parcel", "order-tracking"),
        ("my earbuds broke after two months", "warranty"),
        ("can I pay with apple pay", "payment-methods"),
    ],
)
def test_paraphrases_are_answered_from_the_right_entry_with_the_local_model(
    local_embedder, restore_knowledge_base, question, expected
):
    with use_embedder(local_embedder):
        sync_file()
        answer = find_answers(question, [])
    assert answer.entries[0].id == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, expected", [("I forgot my pasword", "password-reset"), ("is it compatable with iphone", "compatibility")]
)
def test_a_typo_still_ranks_the_right_entry_first_with_the_local_model(
    local_embedder, restore_knowledge_base, question, expected
):
    # A misspelt word moves the query's vector (the lexical side corrects it), so the entry may
    # fall under the answering threshold; it must still come first, answered or suggested.
    with use_embedder(local_embedder):
        sync_file()
        answer = find_answers(question, [])
    assert [*answer.entries, *answer.related][0].id == expected


def _probe_report():
    entries = load_knowledge_base(get_settings().knowledge_base_path)
    return evaluate(entries, load_queries(DATASETS / "innovatetech_probes.jsonl"))


def test_the_demo_knowledge_base_answers_its_probes_and_refuses_the_unrelated_lexically(restore_knowledge_base):
    with use_embedder(None):
        report = _probe_report()
    assert report.in_scope_answered_accuracy >= 0.8
    assert report.oos_recall == 1.0


@pytest.mark.slow
def test_the_demo_knowledge_base_answers_its_probes_and_refuses_the_unrelated_with_the_local_model(
    local_embedder, restore_knowledge_base
):
    with use_embedder(local_embedder):
        report = _probe_report()
    assert report.in_scope_answered_accuracy >= 0.8
    assert report.oos_recall == 1.0


@pytest.mark.slow
def test_the_local_model_says_it_does_not_know_about_the_weather(local_embedder, restore_knowledge_base):
    with use_embedder(local_embedder):
        sync_file()
        answer = find_answers("What's the weather in Paris?", [])
    assert answer.entries == []
    assert answer.top_score < get_settings().retrieval_min_hybrid_score


def test_an_embedder_without_vectors_in_the_knowledge_base_says_so_and_answers_from_words(
    restore_knowledge_base, caplog
):
    # The knowledge base was synced with other encoders (a laptop's) than the deployment's.
    with use_embedder(HashingEmbedder(model="fake/laptop")):
        sync_file()
    with use_embedder(HashingEmbedder(model="fake/deployed")), caplog.at_level(logging.ERROR, "support.retrieval"):
        answer = find_answers("How can I track my order?", [])
    assert [entry.id for entry in answer.entries][:1] == ["order-tracking"]
    warnings = [r for r in caplog.records if "no vectors for this embedder" in r.getMessage()]
    assert warnings and warnings[0].embedder == "fake/deployed" and warnings[0].stored_models == ["fake/laptop"]


class _PoolWatchingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.held_while_embedding: list[int] = []

    def embed_query(self, text: str) -> list[float]:
        self.held_while_embedding.append(get_engine().pool.checkedout())
        return super().embed_query(text)


def test_no_database_connection_is_held_while_the_query_is_embedded(restore_knowledge_base):
    embedder = _PoolWatchingEmbedder()
    with use_embedder(embedder):
        sync_file()
        embedder.held_while_embedding.clear()  # the sync's calibration embeds inside its transaction
        find_answers("How long does shipping take, and can I pay later?", [])
    assert embedder.held_while_embedding and set(embedder.held_while_embedding) == {0}
