"""The answer-provider interface and the values that cross it."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from shared.actions.replies import ActionReply
from shared.knowledge.decision import Outcome
from shared.knowledge.lookup import Findings
from shared.knowledge.retrieval import ScoredEntry
from shared.text.turns import Turn

# Yields text deltas as they are produced, and returns the complete, validated answer.
AnswerStream = Generator[str, None, "Answer"]


@dataclass(frozen=True)
class KnownCustomer:
    """Who the shop's signed token says the customer is: the model may address them by name."""

    name: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    # For the shop's API only (an action's {customer.id}, {customer.email}); never shown to a model.
    id: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class AnswerRequest:
    """A question with what retrieval found: `entries` fit it, `related` are near it.

    `parts` are the separate questions of a message that asks several (each retrieved on its
    own; `entries` then holds what fits any of them); `language` is the customer's, as an ISO
    639-1 code, for the reply.
    """

    question: str
    entries: list[ScoredEntry]
    top_score: float = 0.0
    top_threshold: float | None = None
    related: list[ScoredEntry] = field(default_factory=list)
    popular: list[ScoredEntry] = field(default_factory=list)
    history: list[Turn] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    language: str = "en"
    # answered: `entries` may be asserted; suggested: `offered` are only asked about; unknown: neither.
    outcome: Outcome = "answered"
    reason: str = "clear_match"
    offered: list[ScoredEntry] = field(default_factory=list)
    customer: KnownCustomer | None = None  # verified by the shop's token; None for an anonymous visitor

    @classmethod
    def of(cls, found: Findings) -> AnswerRequest:
        """The request for what retrieval found."""
        return cls(**{f.name: getattr(found, f.name) for f in fields(found)})


@dataclass(frozen=True)
class Answer:
    """A reply to send and store."""

    text: str
    source_ids: list[str]
    suggested_actions: list[str]
    provider: str
    hands_over: bool = False
    handover_reason: str | None = None
    handover_kind: str | None = None
    degraded: bool = False
    # Why it went without the model when that was not a failure: "budget" (a token budget is spent).
    degraded_reason: str | None = None
    guarded: bool = False
    usage: dict[str, Any] | None = None
    action: ActionReply | None = None  # what an action on the shop's API left on the reply
    sign_in_for: str | None = None  # the action this answer offers once the customer signs in


@dataclass(frozen=True)
class SummaryRequest:
    transcript: list[Turn]
    state: str
    handover_reason: str | None


@dataclass(frozen=True)
class Summary:
    """A readable summary and, when the provider gives one, its structured parts."""

    text: str
    details: dict[str, Any] = field(default_factory=dict)


class AnswerProvider(Protocol):
    """Something that answers from retrieved entries and summarises conversations."""

    name: str

    def stream(self, request: AnswerRequest) -> AnswerStream:
        """Reply to the request's question, yielding the text as it comes."""
        ...

    def summarize(self, request: SummaryRequest) -> Summary:
        """A plain-text summary of a conversation."""
        ...


def collect(stream: AnswerStream) -> Answer:
    """Run a stream to its end and return its answer."""
    while True:
        try:
            next(stream)
        except StopIteration as done:
            answer: Answer = done.value
            return answer
