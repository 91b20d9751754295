"""The answer-provider interface and the values that cross it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from shared.knowledge.retrieval import ScoredEntry


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, as a provider sees it."""

    sender: str
    content: str
    source_questions: tuple[str, ...] = ()
    answered: bool = True


@dataclass(frozen=True)
class AnswerRequest:
    """A question with what retrieval found: `entries` fit it, `related` are near it."""

    question: str
    entries: list[ScoredEntry]
    top_score: float = 0.0
    related: list[ScoredEntry] = field(default_factory=list)
    popular: list[ScoredEntry] = field(default_factory=list)
    history: list[Turn] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """A reply to send and store."""

    text: str
    source_ids: list[str]
    suggested_actions: list[str]
    provider: str
    escalate: bool = False
    escalation_reason: str | None = None
    degraded: bool = False


@dataclass(frozen=True)
class SummaryRequest:
    transcript: list[Turn]
    status: str
    escalation_reason: str | None


class AnswerProvider(Protocol):
    """Something that answers from retrieved entries and summarises conversations."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer:
        """Reply to the request's question."""
        ...

    def summarize(self, request: SummaryRequest) -> str:
        """A short plain-text summary of a conversation."""
        ...
