"""Answers and summaries from Gemini through google-genai, validated before anyone sees them.

The SDK is imported and its client built on first use, once per process. Every SDK, network
or output problem becomes `ModelFailed`; the chat service then answers offline instead.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from shared.answering.guard import OutputGuard
from shared.answering.json_stream import StringFieldReader
from shared.answering.prompts import Prompt, answer_prompt, summary_prompt
from shared.answering.types import Answer, AnswerRequest, AnswerStream, Summary, SummaryRequest
from shared.errors import ModelFailed, ModelOutputRejected
from shared.genai_client import get_client
from shared.settings import Settings, get_settings

log = logging.getLogger("support.model")
MAX_ACTIONS = 3
MAX_ACTION_CHARS = 80


class ModelReply(BaseModel):
    """The structure the model must return for an answer."""

    answer: str = Field(description="The reply to the customer, plain text")
    source_ids: list[str] = Field(default_factory=list, description="Ids of the knowledge-base entries used")
    suggested_actions: list[str] = Field(default_factory=list, description="Up to 3 short follow-up messages")
    escalate: bool = Field(default=False, description="Whether a human should take over")
    escalation_reason: str | None = Field(default=None, description="Why a human should take over")


class ModelSummary(BaseModel):
    """The structure the model must return for a summary."""

    issue: str
    resolved: str
    next_steps: list[str]
    sentiment: Literal["positive", "neutral", "negative", "mixed"]
    paragraph: str


class GeminiProvider:
    """Grounded, structured, streamed answers from a Gemini model."""

    name = "gemini"

    @property
    def settings(self) -> Settings:
        return get_settings()

    def stream(self, request: AnswerRequest) -> AnswerStream:
        """Stream the answer text as it arrives, then return the validated answer."""
        prompt = answer_prompt(request, self.settings)
        guard = OutputGuard(prompt.system, prompt.canary)
        reader = StringFieldReader("answer")
        raw: list[str] = []
        shown = ""
        started = time.perf_counter()
        usage: Any = None
        for chunk in self._call(prompt, ModelReply, stream=True):
            raw.append(chunk.text or "")
            usage = chunk.usage_metadata or usage
            delta = reader.feed(raw[-1])
            if guard.leaks(shown + delta):
                raise ModelOutputRejected("the reply leaked the system prompt")
            if delta:
                shown += delta
                yield delta
        reply = _parse(ModelReply, "".join(raw))
        if guard.leaks(reply.answer):
            raise ModelOutputRejected("the reply leaked the system prompt")
        return self._answer(reply, request, self._usage(usage, started))

    def summarize(self, request: SummaryRequest) -> Summary:
        """A structured summary and a readable paragraph."""
        prompt = summary_prompt(request, self.settings)
        started = time.perf_counter()
        [response] = list(self._call(prompt, ModelSummary, stream=False))
        summary = _parse(ModelSummary, response.text or "")
        text = _summary_text(summary)
        if OutputGuard(prompt.system, prompt.canary).leaks(text):
            raise ModelOutputRejected("the summary leaked the system prompt")
        details = {**summary.model_dump(), "usage": self._usage(response.usage_metadata, started)}
        return Summary(text=text, details=details)

    def _call(self, prompt: Prompt, schema: type[BaseModel], *, stream: bool) -> Any:
        from google.genai import errors as genai_errors
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=prompt.system,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=self.settings.gemini_temperature,
            max_output_tokens=self.settings.gemini_max_output_tokens,
        )
        models = get_client().models
        try:
            if not stream:
                yield models.generate_content(model=self.settings.gemini_model, contents=prompt.user, config=config)
                return
            yield from models.generate_content_stream(
                model=self.settings.gemini_model, contents=prompt.user, config=config
            )
        except genai_errors.APIError as exc:
            raise ModelFailed(f"Gemini answered {exc.code} {exc.status}") from exc
        except Exception as exc:  # the SDK surfaces httpx timeouts and transport errors as they are
            if type(exc).__module__.startswith(("httpx", "httpcore", "google")):
                raise ModelFailed(f"Gemini could not be reached: {type(exc).__name__}") from exc
            raise

    def _answer(self, reply: ModelReply, request: AnswerRequest, usage: dict[str, Any]) -> Answer:
        retrieved = {e.id for e in [*request.entries, *request.related]}
        actions = [a.strip()[:MAX_ACTION_CHARS] for a in reply.suggested_actions if a.strip()]
        reason = (reply.escalation_reason or "the assistant suggested a human")[:200] if reply.escalate else None
        return Answer(
            text=reply.answer.strip(),
            source_ids=[i for i in dict.fromkeys(reply.source_ids) if i in retrieved],
            suggested_actions=list(dict.fromkeys(actions))[:MAX_ACTIONS],
            provider=self.name,
            escalate=reply.escalate,
            escalation_reason=reason,
            usage=usage,
        )

    def _usage(self, metadata: Any, started: float) -> dict[str, Any]:
        usage = {
            "model": self.settings.gemini_model,
            "input_tokens": getattr(metadata, "prompt_token_count", None),
            "output_tokens": getattr(metadata, "candidates_token_count", None),
            "latency_ms": round((time.perf_counter() - started) * 1000),
        }
        log.info("model call", extra={"model_usage": usage})
        return usage


def _parse(schema: type[Any], text: str) -> Any:
    if not text.strip():
        raise ModelFailed("Gemini returned no text (blocked or empty)")
    try:
        return schema.model_validate_json(text)
    except ValidationError as exc:
        raise ModelFailed("Gemini returned a malformed structure") from exc


def _summary_text(summary: ModelSummary) -> str:
    steps = "; ".join(s.strip() for s in summary.next_steps if s.strip()) or "none"
    return (
        f"{summary.paragraph.strip()}\n\n"
        f"Issue: {summary.issue.strip()}\n"
        f"Resolved: {summary.resolved.strip()}\n"
        f"Next steps: {steps}\n"
        f"Sentiment: {summary.sentiment}"
    )
