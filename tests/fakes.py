"""Answer providers for tests: scripted, counting and failing ones (fakes, not mocks)."""

from __future__ import annotations

import threading

from shared.answering.offline import OfflineProvider
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
