"""The Gemini transport: prompts to Gemini through google-genai, JSON text back.

The SDK is imported and its client built on first use, once per process (`shared.clients.genai`).
Every SDK or network problem becomes `ModelFailed`; the chat service then answers offline.
What is asked for and how the reply is checked is in `structured.py`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from pydantic import BaseModel

from shared.answering.prompts import Prompt
from shared.answering.structured import Chunk, StructuredProvider
from shared.clients.genai import get_client
from shared.core.errors import ModelFailed
from shared.core.settings import get_settings


class GeminiProvider(StructuredProvider):
    """Grounded, structured, streamed answers from a Gemini model."""

    name = "gemini"

    @property
    def model(self) -> str:
        return get_settings().gemini_model

    def send(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None = None
    ) -> Generator[Chunk, None, None]:
        """Ask Gemini for JSON matching `schema`, streamed or whole (with `timeout`: one quick attempt)."""
        from google.genai import errors as genai_errors

        try:
            yield from self._generate(prompt, schema, stream=stream, timeout=timeout)
        except genai_errors.APIError as exc:
            raise ModelFailed(f"Gemini answered {exc.code} {exc.status}") from exc
        except Exception as exc:  # the SDK surfaces httpx timeouts and transport errors as they are
            if type(exc).__module__.startswith(("httpx", "httpcore", "google")):
                raise ModelFailed(f"Gemini could not be reached: {type(exc).__name__}") from exc
            raise

    def _generate(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None
    ) -> Iterator[Chunk]:
        from google.genai import types

        settings = get_settings()
        budget = settings.gemini_thinking_budget
        config = types.GenerateContentConfig(
            system_instruction=prompt.system,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=settings.gemini_temperature,
            # Thinking counts against max_output_tokens: a model left to think freely can spend it all
            # before the JSON ends. A budget of its own (never with thinking_level: that is a 400) on top.
            thinking_config=types.ThinkingConfig(thinking_budget=budget),
            max_output_tokens=settings.gemini_max_output_tokens + budget,
            http_options=_one_attempt(timeout) if timeout is not None else None,
        )
        models = get_client().models
        if not stream:
            yield _chunk(models.generate_content(model=self.model, contents=prompt.user, config=config))
            return
        for response in models.generate_content_stream(model=self.model, contents=prompt.user, config=config):
            yield _chunk(response)


def _one_attempt(timeout: float) -> Any:
    """Per-request options in place of the client's: this timeout, and no retry."""
    from google.genai import types

    return types.HttpOptions(timeout=int(timeout * 1000), retry_options=types.HttpRetryOptions(attempts=1))


def _chunk(response: Any) -> Chunk:
    metadata = response.usage_metadata
    if metadata is None:
        return Chunk(text=response.text or "")
    thoughts = metadata.thoughts_token_count
    written = metadata.candidates_token_count
    # Thinking is billed as output: count it there, and apart.
    output = None if written is None and thoughts is None else (written or 0) + (thoughts or 0)
    return Chunk(
        text=response.text or "",
        input_tokens=metadata.prompt_token_count,
        output_tokens=output,
        thinking_tokens=thoughts,
    )
