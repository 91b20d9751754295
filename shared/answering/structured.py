"""What every model provider shares: the reply's structure, reading and checking it, usage.

A provider only moves text. It subclasses `StructuredProvider` and implements `send`, which
sends a `Prompt` and yields the model's JSON reply in `Chunk`s. Everything else happens here,
the same for every model: the answer text streamed out of the JSON as it arrives, the output
guard, parsing and validation, the "covered" decision, keeping only sources that retrieval
returned, and the usage record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from shared.answering.guard import OutputGuard
from shared.answering.json_stream import StringFieldReader
from shared.answering.links import LinkFilter, neutralise, policy_for
from shared.answering.prompts import Prompt, answer_prompt, draft_answer_prompt, summary_prompt
from shared.answering.suggestions import talk_to_human
from shared.answering.types import Answer, AnswerRequest, AnswerStream, Summary, SummaryRequest
from shared.clients import metering
from shared.core.errors import ModelFailed, ModelOutputRejected
from shared.core.settings import get_settings

log = logging.getLogger("support.model")
MAX_ACTIONS = 3
MAX_ACTION_CHARS = 80
MAX_REASON_CHARS = 200
Schema = TypeVar("Schema", bound=BaseModel)


class ModelReply(BaseModel):
    """The structure the model must return for an answer."""

    # Asked first, so the model decides whether the entries fit before it writes.
    covered: bool = Field(default=True, description="Whether the knowledge-base entries answer the message")
    answer: str = Field(description="The reply to the customer, plain text")
    source_ids: list[str] = Field(default_factory=list, description="Ids of the knowledge-base entries used")
    suggested_actions: list[str] = Field(default_factory=list, description="Up to 3 short follow-up messages")
    hands_over: bool = Field(default=False, description="Whether a person should take over")
    handover_reason: str | None = Field(default=None, description="Why a person should take over")


class ModelDraft(BaseModel):
    """The structure the model must return for a drafted knowledge-base answer."""

    answer: str


class ModelSummary(BaseModel):
    """The structure the model must return for a summary."""

    issue: str
    resolved: str
    next_steps: list[str]
    sentiment: Literal["positive", "neutral", "negative", "mixed"]
    paragraph: str


@dataclass(frozen=True)
class Chunk:
    """A piece of the model's JSON text, with token counts when this piece carries them."""

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    thinking_tokens: int | None = None


class StructuredProvider:
    """An answer provider on a model that replies in JSON; subclasses implement only `send`."""

    name: str = "model"

    @property
    def model(self) -> str:
        """The model's name, as recorded in usage."""
        raise NotImplementedError

    def send(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None = None
    ) -> Generator[Chunk, None, None]:
        """Send `prompt` asking for JSON matching `schema`; raise `ModelFailed` on any failure.

        With `timeout`, one attempt of at most that many seconds, not the client's own timeout and retries.
        """
        raise NotImplementedError

    def stream(self, request: AnswerRequest) -> AnswerStream:
        """Stream the answer text as it arrives, then return the validated answer."""
        prompt = answer_prompt(request, get_settings())
        reader = ReplyReader(prompt)
        links = LinkFilter(policy_for([*request.entries, *request.related, *request.popular]))
        started = time.perf_counter()
        chunks: list[Chunk] = []
        with closing(self.send(prompt, ModelReply, stream=True)) as sent:
            for chunk in sent:
                chunks.append(chunk)
                if delta := links.feed(reader.feed(chunk.text)):
                    yield delta
        reply = reader.reply()
        if rest := links.finish():
            yield rest
        return to_answer(reply, request, provider=self.name, usage=usage(self.model, chunks, started))

    def summarize(self, request: SummaryRequest) -> Summary:
        """A structured summary and a readable paragraph."""
        prompt = summary_prompt(request, get_settings())
        started = time.perf_counter()
        with closing(self.send(prompt, ModelSummary, stream=False)) as sent:
            chunks = list(sent)
        summary = parse(ModelSummary, "".join(c.text for c in chunks))
        text = summary_text(summary)
        if OutputGuard(prompt.system, prompt.canary).leaks(text):
            raise ModelOutputRejected("the summary leaked the system prompt")
        details = {**summary.model_dump(), "usage": usage(self.model, chunks, started)}
        return Summary(text=text, details=details)

    def draft_answer(self, questions: list[str], agent_replies: list[str]) -> str:
        """One knowledge-base answer written from what agents replied to these questions."""
        prompt = draft_answer_prompt(questions, agent_replies, get_settings())
        started = time.perf_counter()
        with closing(self.send(prompt, ModelDraft, stream=False)) as sent:
            chunks = list(sent)
        # A draft belongs to no conversation: its usage is charged by whoever asked for it.
        metering.record(usage(self.model, chunks, started))
        text = parse(ModelDraft, "".join(c.text for c in chunks)).answer.strip()
        if OutputGuard(prompt.system, prompt.canary).leaks(text):
            raise ModelOutputRejected("the drafted answer leaked the system prompt")
        return text


class ReplyReader:
    """Reads the answer text out of the JSON reply while it arrives; a leak stops it at once."""

    def __init__(self, prompt: Prompt) -> None:
        self._guard = OutputGuard(prompt.system, prompt.canary)
        self._answer = StringFieldReader("answer")
        self._raw: list[str] = []
        self._shown = ""

    def feed(self, text: str) -> str:
        """Add a fragment of the JSON; return the answer text it completes."""
        self._raw.append(text)
        delta = self._answer.feed(text)
        if self._guard.leaks(self._shown + delta):
            raise ModelOutputRejected("the reply leaked the system prompt")
        self._shown += delta
        return delta

    def reply(self) -> ModelReply:
        """The whole reply, parsed, validated and checked."""
        reply = parse(ModelReply, "".join(self._raw))
        if any(self._guard.leaks(text) for text in [reply.answer, *reply.suggested_actions]):
            raise ModelOutputRejected("the reply leaked the system prompt")
        if not reply.answer.strip():
            raise ModelFailed("the model returned an empty answer")
        return reply


def parse(schema: type[Schema], text: str) -> Schema:
    """`text` validated as `schema`; a model's empty or malformed output is `ModelFailed`."""
    if not text.strip():
        raise ModelFailed("the model returned no text (blocked or empty)")
    try:
        return schema.model_validate_json(text)
    except ValidationError as exc:
        raise ModelFailed("the model returned a malformed structure") from exc


def to_answer(reply: ModelReply, request: AnswerRequest, *, provider: str, usage: dict[str, Any]) -> Answer:
    """The answer to send: sources only from retrieval; when not covered, no sources and the human offer."""
    retrieved = {e.id for e in [*request.entries, *request.related]}
    sources = [i for i in dict.fromkeys(reply.source_ids) if i in retrieved]
    policy = policy_for([*request.entries, *request.related, *request.popular])
    actions = [neutralise(a.strip(), policy)[:MAX_ACTION_CHARS] for a in reply.suggested_actions if a.strip()]
    # Covered only when retrieval decided to answer, the model says so and cites an entry retrieval returned.
    if request.outcome == "suggested":
        sources, actions = [], [*(e.question for e in request.offered[:2]), talk_to_human(request.language)]
    elif not (request.outcome == "answered" and reply.covered and sources):
        sources, actions = [], [talk_to_human(request.language), *actions]
    reason = (reply.handover_reason or "the assistant suggested a human")[:MAX_REASON_CHARS]
    return Answer(
        text=neutralise(reply.answer.strip(), policy),
        source_ids=sources,
        suggested_actions=list(dict.fromkeys(actions))[:MAX_ACTIONS],
        provider=provider,
        hands_over=reply.hands_over,
        handover_reason=reason if reply.hands_over else None,
        usage=usage,
    )


def usage(model: str, chunks: Iterable[Chunk], started: float) -> dict[str, Any]:
    """The usage record stored with a reply and charged to budgets, logged once."""
    record: dict[str, Any] = {"model": model, "input_tokens": None, "output_tokens": None}
    for chunk in chunks:
        record["input_tokens"] = chunk.input_tokens if chunk.input_tokens is not None else record["input_tokens"]
        record["output_tokens"] = chunk.output_tokens if chunk.output_tokens is not None else record["output_tokens"]
        if chunk.thinking_tokens is not None:
            record["thinking_tokens"] = chunk.thinking_tokens
    record["latency_ms"] = round((time.perf_counter() - started) * 1000)
    log.info("model call", extra={"model_usage": record})
    return record


def summary_text(summary: ModelSummary) -> str:
    """The summary as the plain text an agent reads."""
    steps = "; ".join(s.strip() for s in summary.next_steps if s.strip()) or "none"
    return (
        f"{summary.paragraph.strip()}\n\n"
        f"Issue: {summary.issue.strip()}\n"
        f"Resolved: {summary.resolved.strip()}\n"
        f"Next steps: {steps}\n"
        f"Sentiment: {summary.sentiment}"
    )


def strict_json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """`schema` as the strict JSON Schema OpenAI-style servers take: every field required, no others."""
    document = schema.model_json_schema()
    properties = {
        name: {k: v for k, v in spec.items() if k not in ("default", "title")}
        for name, spec in document["properties"].items()
    }
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
