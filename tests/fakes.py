"""Answer providers for tests: scripted, counting and failing ones (fakes, not mocks)."""

from __future__ import annotations

import threading

from shared.answering.providers.offline import OfflineProvider
from shared.answering.types import Answer, AnswerRequest, AnswerStream, Summary, SummaryRequest


class CountingProvider(OfflineProvider):
    """The offline provider, counting how often it is asked."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def answer(self, request: AnswerRequest) -> Answer:
        with self._lock:
            self.calls += 1
        return super().answer(request)


class FailingProvider:
    """A provider whose model is down."""

    name = "failing"

    def stream(self, request: AnswerRequest) -> AnswerStream:
        raise TimeoutError("model did not answer in time")
        yield ""  # a generator, like every provider's stream

    def summarize(self, request: SummaryRequest) -> Summary:
        raise TimeoutError("model did not answer in time")


class HashingEmbedder:
    """A deterministic bag-of-words embedder: each word lands on a hashed dimension."""

    def __init__(self, model: str = "fake/hashing", dimensions: int = 256) -> None:
        self.model, self.dimensions = model, dimensions
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        import hashlib
        import math
        import re

        vector = [0.0] * self.dimensions
        for word in re.findall(r"[a-z]{4,}", text.lower()):
            vector[int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % self.dimensions] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]
