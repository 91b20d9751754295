"""Questions asked at the same time share one pass of the encoder, and each gets its own vector back."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from shared.embeddings.batching import QueryBatcher


class _GatedEncoder:
    """Encodes a text as [its length, its position in the pass]; the first pass waits until released."""

    def __init__(self, fail: bool = False) -> None:
        self.passes: list[list[str]] = []
        self.first_pass_started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.passes.append(list(texts))
        if len(self.passes) == 1:
            self.first_pass_started.set()
            self.release.wait(timeout=10)
        if self.fail:
            raise ValueError("the model is broken")
        return np.array([[len(text), position] for position, text in enumerate(texts)], dtype=np.float32)


def _ask_while_first_pass_runs(batcher: QueryBatcher, encoder: _GatedEncoder, texts: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}

    def ask(text: str) -> None:
        try:
            answers[text] = batcher(text)
        except Exception as error:
            answers[text] = error

    first = threading.Thread(target=ask, args=(texts[0],))
    first.start()
    assert encoder.first_pass_started.wait(timeout=10)
    others = [threading.Thread(target=ask, args=(text,)) for text in texts[1:]]
    for thread in others:
        thread.start()
    while len(batcher.waiting) < len(others):  # every later question is queued behind the running pass
        threading.Event().wait(0.001)
    encoder.release.set()
    for thread in [first, *others]:
        thread.join(timeout=10)
    return answers


def test_a_lone_question_is_encoded_at_once_on_its_own():
    encoder = _GatedEncoder()
    encoder.release.set()
    assert QueryBatcher(encoder.encode)("hello").tolist() == [5, 0]
    assert encoder.passes == [["hello"]]


def test_questions_arriving_during_a_pass_share_the_next_one_and_each_gets_its_own_row():
    encoder = _GatedEncoder()
    texts = ["first", "a", "bb", "ccc"]
    answers = _ask_while_first_pass_runs(QueryBatcher(encoder.encode), encoder, texts)
    assert encoder.passes[0] == ["first"]
    assert sorted(encoder.passes[1]) == ["a", "bb", "ccc"] and len(encoder.passes) == 2
    for text in texts:
        row = answers[text]
        assert isinstance(row, np.ndarray)
        assert row[0] == len(text)
        assert encoder.passes[1 if text != "first" else 0][int(row[1])] == text


def test_a_failing_pass_fails_each_of_its_questions_and_the_next_pass_starts_afresh():
    encoder = _GatedEncoder(fail=True)
    batcher = QueryBatcher(encoder.encode)
    answers = _ask_while_first_pass_runs(batcher, encoder, ["first", "a", "bb"])
    for text in ("first", "a", "bb"):
        error = answers[text]
        assert isinstance(error, RuntimeError) and isinstance(error.__cause__, ValueError)
    encoder.fail = False
    assert batcher("again").tolist() == [5, 0]


@pytest.mark.parametrize("name", ["multilingual", "local"])
def test_a_question_encoded_beside_others_gets_the_vector_it_gets_alone(name):
    from shared.embeddings import local, multilingual

    module = {"multilingual": multilingual, "local": local}[name]
    if not module.installed():
        pytest.skip(f"the {name} encoder is not installed")
    embedder = multilingual.MultilingualEmbedder() if name == "multilingual" else local.LocalEmbedder()
    texts = ["Where is my parcel?", "Où est mon colis ?", "Can I pay with PayPal or a gift card?"]
    together = embedder.encode(texts)
    alone = np.array([embedder.embed_query(text) for text in texts])
    assert np.abs(together - alone).max() < 1e-6  # float32 rounding: matrix products of other shapes


def test_a_message_and_its_parts_are_encoded_in_one_pass():
    passes: list[list[str]] = []

    def encode(texts):
        passes.append(list(texts))
        return [f"vector of {text}" for text in texts]

    rows = QueryBatcher(encode).many(["whole message", "first part", "second part"])
    assert rows == ["vector of whole message", "vector of first part", "vector of second part"]
    assert passes == [["whole message", "first part", "second part"]]
