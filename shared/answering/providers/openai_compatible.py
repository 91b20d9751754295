"""The OpenAI-compatible transport: chat completions from OpenAI, or from a self-hosted Ollama, vLLM
or llama.cpp server at OPENAI_BASE_URL, through the `openai` SDK.

This module is imported on first use only (see `shared.answering`), and its client is built under a
lock, once per process, again only when its settings change. The reply is asked for with a strict
JSON schema; a server that refuses one is asked for a plain JSON object from then on (the system
message names the fields). After the SDK's retries, every HTTP, network or protocol problem becomes
`ModelFailed`, so the chat service answers offline. What is asked and how the reply is checked is
in `structured.py`; for tool calls (one request a round, the `tools` parameter), in `tools.py`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import openai
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionFunctionToolParam,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
)
from openai.types.chat.completion_create_params import ResponseFormat
from openai.types.completion_usage import CompletionUsage
from pydantic import BaseModel

from shared.answering.prompts import Prompt
from shared.answering.structured import Chunk, StructuredProvider, strict_json_schema
from shared.answering.tools import ModelTurn, Tool, ToolCall, ToolResult
from shared.core.errors import ModelFailed
from shared.core.settings import Settings, get_settings

log = logging.getLogger("support.model")
TEMPERATURE = 0.2
MAX_TOKENS = 1024
# Retries after the first attempt, with the SDK's backoff: timeouts, connection errors, 408, 409, 429, 5xx.
MAX_RETRIES = 2
# Local servers ask for no key, but the SDK refuses to start without one.
NO_KEY = "not-needed"

ClientKey = tuple[str, str, float]
_lock = threading.Lock()
_client: tuple[ClientKey, openai.OpenAI] | None = None
_plain_json_servers: set[str] = set()


class OpenAICompatibleProvider(StructuredProvider):
    """Grounded, structured, streamed answers from any server that speaks OpenAI chat completions."""

    name = "openai"

    @property
    def model(self) -> str:
        return get_settings().openai_model

    def send(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None = None
    ) -> Generator[Chunk, None, None]:
        """Ask for JSON matching `schema`, streamed (usage in the last chunk) or whole; `timeout`: one attempt."""
        with _translated_errors():
            yield from self._complete(prompt, schema, stream=stream, timeout=timeout)

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
        """One request with `tools`, not streamed; the model's message goes back as it came, each call answered."""
        settings = get_settings()
        client = get_client(settings).with_options(timeout=timeout, max_retries=0)
        messages: list[Any] = [*after.exchange] if after else _messages(prompt)
        messages += [{"role": "tool", "tool_call_id": r.call.id or "", "content": r.content} for r in results]
        with _translated_errors():
            completion = client.chat.completions.create(
                model=settings.openai_model,
                messages=messages,
                tools=[_function(tool) for tool in tools],
                # Some servers (Ollama) ignore tool_choice: a call made after "none" is not run (`tools.follow`).
                tool_choice="auto" if calls_allowed else "none",
                temperature=TEMPERATURE,
                max_tokens=MAX_TOKENS,
            )
        message = completion.choices[0].message if completion.choices else None
        if message is None:
            return ModelTurn((), "", tuple(messages), _chunk(None, completion.usage))
        calls = [call for call in message.tool_calls or [] if isinstance(call, ChatCompletionMessageFunctionToolCall)]
        turn = _assistant_turn(message.content, calls)
        text = message.content or ""
        return ModelTurn(tuple(map(_call, calls)), text, (*messages, turn), _chunk(text, completion.usage))

    def _complete(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None
    ) -> Iterator[Chunk]:
        response = self._create(prompt, schema, stream=stream, timeout=timeout)
        if isinstance(response, ChatCompletion):
            yield _whole(response)
            return
        with response:
            for part in response:
                yield _part(part)

    def _create(
        self, prompt: Prompt, schema: type[BaseModel], *, stream: bool, timeout: float | None
    ) -> ChatCompletion | openai.Stream[ChatCompletionChunk]:
        settings = get_settings()
        client = get_client(settings)
        if timeout is not None:
            client = client.with_options(timeout=timeout, max_retries=0)
        if settings.openai_base_url in _plain_json_servers:
            return _request(client, settings, prompt, {"type": "json_object"}, stream=stream)
        try:
            return _request(client, settings, prompt, _schema_format(schema), stream=stream)
        except openai.BadRequestError as exc:
            if not _refuses_schema(exc):
                raise
            log.warning("the model server refused a JSON schema; asking it for a JSON object from now on")
            _plain_json_servers.add(settings.openai_base_url)
            return _request(client, settings, prompt, {"type": "json_object"}, stream=stream)


@contextmanager
def _translated_errors() -> Iterator[None]:
    """After the SDK's retries, every HTTP, network or protocol problem as `ModelFailed`."""
    try:
        yield
    except openai.APIStatusError as exc:
        raise ModelFailed(f"the model server answered {exc.status_code}") from exc
    except openai.APITimeoutError as exc:
        raise ModelFailed("the model server did not answer in time") from exc
    except (openai.OpenAIError, ValueError) as exc:  # ValueError: a stream event that is not JSON
        raise ModelFailed(f"the model server could not be used: {type(exc).__name__}") from exc


def get_client(settings: Settings) -> openai.OpenAI:
    """The shared client for the configured server, built on first use and when the settings change."""
    global _client
    key = _client_key(settings)
    current = _client
    if current is None or current[0] != key:
        with _lock:
            if _client is None or _client[0] != key:
                base_url, api_key, timeout = key
                _client = (
                    key,
                    openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=MAX_RETRIES),
                )
            current = _client
    return current[1]


def _client_key(settings: Settings) -> ClientKey:
    api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else NO_KEY
    return settings.openai_base_url, api_key, settings.openai_timeout_seconds


def _request(
    client: openai.OpenAI, settings: Settings, prompt: Prompt, response_format: ResponseFormat, *, stream: bool
) -> ChatCompletion | openai.Stream[ChatCompletionChunk]:
    return client.chat.completions.create(
        model=settings.openai_model,
        messages=_messages(prompt),
        response_format=response_format,
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
        stream=stream,
        stream_options={"include_usage": True} if stream else openai.omit,
    )


def _messages(prompt: Prompt) -> list[ChatCompletionMessageParam]:
    return [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]


def _function(tool: Tool) -> ChatCompletionFunctionToolParam:
    return {
        "type": "function",
        "function": {"name": tool.name, "description": tool.description, "parameters": tool.parameters},
    }


def _assistant_turn(content: str | None, calls: list[ChatCompletionMessageFunctionToolCall]) -> dict[str, Any]:
    """The model's message to send back: its text and its calls, the arguments as the model wrote them."""
    turn: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        turn["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
            for c in calls
        ]
    return turn


def _call(call: ChatCompletionMessageFunctionToolCall) -> ToolCall:
    try:
        arguments = json.loads(call.function.arguments or "{}")
    except ValueError:
        arguments = None
    return ToolCall(call.function.name, arguments if isinstance(arguments, dict) else None, call.id)


def _schema_format(schema: type[BaseModel]) -> ResponseFormat:
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": strict_json_schema(schema), "strict": True},
    }


def _refuses_schema(exc: openai.BadRequestError) -> bool:
    said = f"{exc.param or ''} {exc.message}".lower()
    return "response_format" in said or "json_schema" in said


def _whole(completion: ChatCompletion) -> Chunk:
    return _chunk(completion.choices[0].message.content if completion.choices else None, completion.usage)


def _part(chunk: ChatCompletionChunk) -> Chunk:
    return _chunk(chunk.choices[0].delta.content if chunk.choices else None, chunk.usage)


def _chunk(text: str | None, usage: CompletionUsage | None) -> Chunk:
    if usage is None:
        return Chunk(text or "")
    # Reasoning tokens are part of completion_tokens already; they are also counted apart.
    details = usage.completion_tokens_details
    reasoning = details.reasoning_tokens if details else None
    return Chunk(text or "", usage.prompt_tokens, usage.completion_tokens, reasoning)
