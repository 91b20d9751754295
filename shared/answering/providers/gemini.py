"""The Gemini transport: prompts to Gemini through google-genai, JSON text back; tool-calling rounds.

The SDK is imported and its client built on first use, once per process (`shared.clients.genai`).
Every SDK or network problem becomes `ModelFailed`; the chat service then answers offline.
What is asked for and how the reply is checked is in `structured.py`; for tool calls, in `tools.py`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from shared.answering.prompts import Prompt
from shared.answering.structured import Chunk, StructuredProvider
from shared.answering.tools import ModelTurn, Tool, ToolCall, ToolResult
from shared.clients.genai import get_client
from shared.core.errors import ModelFailed
from shared.core.settings import Settings, get_settings


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
        with _translated_errors():
            yield from self._generate(prompt, schema, stream=stream, timeout=timeout)

    def tool_round(
        self,
        prompt: Prompt,
        tools: Sequence[Tool],
        *,
        after: ModelTurn | None = None,
        results: Sequence[ToolResult] = (),
        calls_allowed: bool = True,
        timeout: float,
    ) -> ModelTurn:
        """One request with `tools` declared; the model's turn is kept as it came (thought signatures)."""
        from google.genai import types

        contents = [*after.exchange] if after else [types.Content(role="user", parts=[types.Part(text=prompt.user)])]
        if results:
            contents.append(types.Content(role="user", parts=[_function_response(result) for result in results]))
        with _translated_errors():
            response = get_client().models.generate_content(
                model=self.model, contents=contents, config=_tool_config(prompt, tools, calls_allowed, timeout)
            )
        content = response.candidates[0].content if response.candidates else None
        parts = (content.parts if content else None) or []
        calls = tuple(
            ToolCall(part.function_call.name or "", dict(part.function_call.args or {}), part.function_call.id)
            for part in parts
            if part.function_call is not None
        )
        text = "".join(part.text for part in parts if part.text and not part.thought)
        exchange = (*contents, content) if content is not None else tuple(contents)
        return ModelTurn(calls, text, exchange, _chunk(response, text))

    def _generate(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None
    ) -> Iterator[Chunk]:
        from google.genai import types

        settings = get_settings()
        config = types.GenerateContentConfig(
            system_instruction=prompt.system,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=settings.gemini_temperature,
            http_options=_one_attempt(timeout) if timeout is not None else None,
            **_thinking(settings),
        )
        models = get_client().models
        if not stream:
            response = models.generate_content(model=self.model, contents=prompt.user, config=config)
            yield _chunk(response, response.text or "")
            return
        for response in models.generate_content_stream(model=self.model, contents=prompt.user, config=config):
            yield _chunk(response, response.text or "")


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Every SDK or network problem as `ModelFailed`."""
    from google.genai import errors as genai_errors

    try:
        yield
    except genai_errors.APIError as exc:
        raise ModelFailed(f"Gemini answered {exc.code} {exc.status}") from exc
    except Exception as exc:  # the SDK surfaces httpx timeouts and transport errors as they are
        if type(exc).__module__.startswith(("httpx", "httpcore", "google")):
            raise ModelFailed(f"Gemini could not be reached: {type(exc).__name__}") from exc
        raise


def _thinking(settings: Settings) -> dict[str, Any]:
    """A thinking budget, and room for it on top of the output limit."""
    from google.genai import types

    # Thinking counts against max_output_tokens: a model left to think freely can spend it all
    # before the JSON ends. A budget of its own (never with thinking_level: that is a 400) on top.
    budget = settings.gemini_thinking_budget
    return {
        "thinking_config": types.ThinkingConfig(thinking_budget=budget),
        "max_output_tokens": settings.gemini_max_output_tokens + budget,
    }


def _tool_config(prompt: Prompt, tools: Sequence[Tool], calls_allowed: bool, timeout: float) -> Any:
    """Plain text or function calls (no JSON schema: Gemini 2.x refuses one with tools); no automatic calling."""
    from google.genai import types

    settings = get_settings()
    declarations = [
        types.FunctionDeclaration(name=tool.name, description=tool.description, parameters_json_schema=tool.parameters)
        for tool in tools
    ]
    mode = types.FunctionCallingConfigMode.AUTO if calls_allowed else types.FunctionCallingConfigMode.NONE
    return types.GenerateContentConfig(
        system_instruction=prompt.system,
        tools=[types.Tool(function_declarations=declarations)],
        tool_config=types.ToolConfig(function_calling_config=types.FunctionCallingConfig(mode=mode)),
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        temperature=settings.gemini_temperature,
        http_options=_one_attempt(timeout),
        **_thinking(settings),
    )


def _function_response(result: ToolResult) -> Any:
    from google.genai import types

    response = types.FunctionResponse(id=result.call.id, name=result.call.name, response={"output": result.content})
    return types.Part(function_response=response)


def _one_attempt(timeout: float) -> Any:
    """Per-request options in place of the client's: this timeout, and no retry."""
    from google.genai import types

    return types.HttpOptions(timeout=int(timeout * 1000), retry_options=types.HttpRetryOptions(attempts=1))


def _chunk(response: Any, text: str) -> Chunk:
    metadata = response.usage_metadata
    if metadata is None:
        return Chunk(text=text)
    thoughts = metadata.thoughts_token_count
    written = metadata.candidates_token_count
    # Thinking is billed as output: count it there, and apart.
    output = None if written is None and thoughts is None else (written or 0) + (thoughts or 0)
    return Chunk(
        text=text,
        input_tokens=metadata.prompt_token_count,
        output_tokens=output,
        thinking_tokens=thoughts,
    )
