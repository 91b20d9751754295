"""Answer providers for tests: scripted, counting and failing ones (fakes, not mocks)."""

from __future__ import annotations

import threading

from shared.answering.offline import OfflineProvider
from shared.answering.types import Answer, AnswerRequest, SummaryRequest


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

    def answer(self, request: AnswerRequest) -> Answer:
        raise TimeoutError("model did not answer in time")

    def summarize(self, request: SummaryRequest) -> str:
        raise TimeoutError("model did not answer in time")


class ScriptedProvider:
    """Answers with a fixed text citing the given entry ids."""

    name = "scripted"

    def __init__(self, text: str, source_ids: list[str] | None = None) -> None:
        self.text = text
        self.source_ids = source_ids or []
        self.requests: list[AnswerRequest] = []

    def answer(self, request: AnswerRequest) -> Answer:
        self.requests.append(request)
        return Answer(text=self.text, source_ids=self.source_ids, suggested_actions=[], provider=self.name)

    def summarize(self, request: SummaryRequest) -> str:
        return "scripted summary"
