"""Choosing an action through the model's own tool calling, and answering from what the action returned.

The tools are the actions offered to this customer, declared as the actions file gives them: name,
description and the parameters' JSON schema. Who the customer is is no tool's parameter: a
request takes `{customer.id}` and `{customer.email}` from the verified token, and a call naming an
argument its action does not declare is refused (`actions.arguments`), as is one with a value its
parameter does not accept. A provider only moves the messages (`ToolCaller.tool_round`, in its
model's wire format, the model's own turns sent back unchanged); the prompt, the checks, the
deadline and the metering are here, the same for every model.

A message costs at most MAX_CALLS calls. The model chooses one (`choose`); once a read has run, its
card's text goes back to the model as delimited data (`follow`), and the model answers from it or
makes one more call, whose result it must then answer from, with no call left to make. Each round
is one attempt with a deadline of its own, and its usage is recorded on the thread
(`clients.metering`), so the reply charges it to the conversation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from shared.actions import arguments as args
from shared.actions.spec import ActionSpec
from shared.answering.guard import OutputGuard
from shared.answering.links import LinkPolicy, neutralise
from shared.answering.prompts import Prompt, shop_data, tool_prompt
from shared.answering.structured import Chunk, usage
from shared.clients import metering
from shared.core.settings import get_settings
from shared.text.turns import Turn

log = logging.getLogger("support.model")
MAX_CALLS = 2
MAX_TURNS = 6
MAX_TEXT_CHARS = 2000
NOT_RUN = "Not run: call one tool at a time."


@dataclass(frozen=True)
class Tool:
    """An action as the model sees it: nothing about the customer."""

    name: str
    description: str
    parameters: dict[str, Any]  # a JSON schema of type object


@dataclass(frozen=True)
class ToolCall:
    """A call the model made; `arguments` is None when what it sent was not a JSON object."""

    name: str
    arguments: dict[str, Any] | None
    id: str | None = None


@dataclass(frozen=True)
class ToolResult:
    """What goes back to the model for one of its calls."""

    call: ToolCall
    content: str


@dataclass(frozen=True)
class ModelTurn:
    """One round: the calls the model made, its text, and the exchange so far (its own turn as it came)."""

    calls: tuple[ToolCall, ...]
    text: str
    exchange: tuple[Any, ...]  # the provider's own messages, to send back unchanged
    chunk: Chunk  # the round's token counts


@runtime_checkable
class ToolCaller(Protocol):
    """A provider whose model calls tools: one request per round."""

    @property
    def model(self) -> str: ...

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
        """One request with `tools`: the prompt, or `after`'s exchange and `results`; `ModelFailed` on failure."""
        ...


@dataclass(frozen=True)
class Choice:
    """A call whose action accepts its arguments, with the conversation to continue from."""

    action: ActionSpec
    arguments: dict[str, str]
    missing: tuple[str, ...]  # required parameters the model left out: the customer is asked
    call: ToolCall
    turn: ModelTurn
    prompt: Prompt
    offered: tuple[ActionSpec, ...]  # the actions declared as tools, for the next round
    made: int = 1  # the calls made for this message, this one included


def declared(actions: Sequence[ActionSpec]) -> tuple[Tool, ...]:
    """The tools for `actions`: name, description and parameters as the actions file gives them."""
    return tuple(Tool(action.name, action.description, _schema(action)) for action in actions)


def _schema(action: ActionSpec) -> dict[str, Any]:
    parameters = action.parameters
    properties = {
        name: {"type": spec.type, **spec.model_dump(by_alias=True, exclude_unset=True)}
        for name, spec in parameters.properties.items()
    }
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if parameters.required:
        schema["required"] = list(parameters.required)
    return schema


def choose(
    provider: ToolCaller,
    message: str,
    history: list[Turn],
    actions: Sequence[ActionSpec],
    *,
    language: str,
    timeout: float,
) -> Choice | None:
    """The action the model calls for `message`, when its action accepts the call; `ModelFailed` when it fails."""
    prompt = tool_prompt(message, history[-MAX_TURNS:], get_settings(), language=language)
    turn = _round(provider, prompt, declared(actions), timeout=timeout)
    return _valid(turn, prompt, tuple(actions), made=1)


def follow(provider: ToolCaller, choice: Choice, result: str, *, timeout: float) -> Choice | str | None:
    """After `choice` ran: the model's reply from `result`, or its next call while one is left; None if neither.

    `ModelFailed` when the model fails.
    """
    results = [ToolResult(call, shop_data(result) if call == choice.call else NOT_RUN) for call in choice.turn.calls]
    more = choice.made < MAX_CALLS
    tools = declared(choice.offered)
    turn = _round(
        provider, choice.prompt, tools, after=choice.turn, results=results, calls_allowed=more, timeout=timeout
    )
    if turn.calls and more:
        return _valid(turn, choice.prompt, choice.offered, made=choice.made + 1)
    if turn.calls:
        log.warning("model called a tool after its last call; not run", extra={"calls": len(turn.calls)})
    return _reply_text(turn.text, choice.prompt, result)


def _round(provider: ToolCaller, prompt: Prompt, tools: Sequence[Tool], **sent: Any) -> ModelTurn:
    started = time.perf_counter()
    turn = provider.tool_round(prompt, tools, **sent)
    metering.record(usage(provider.model, [turn.chunk], started))
    return turn


def _valid(turn: ModelTurn, prompt: Prompt, offered: tuple[ActionSpec, ...], *, made: int) -> Choice | None:
    """The first of the turn's calls that names an offered action and gives it values it accepts."""
    by_name = {action.name: action for action in offered}
    for call in turn.calls:
        action = by_name.get(call.name)
        if action is None:
            log.warning("model called a tool that is not offered", extra={"tool": call.name[:64]})
            continue
        try:
            if call.arguments is None:
                raise args.ArgumentInvalid(f"{action.name}: arguments are not a JSON object")
            given = args.checked(action, call.arguments)
        except args.ArgumentInvalid as exc:
            log.warning("model's tool call refused", extra={"action": action.name, "reason": str(exc)})
            continue
        missing = tuple(name for name in action.parameters.required if name not in given)
        return Choice(action, given, missing, call, turn, prompt, offered, made)
    return None


def _reply_text(text: str, prompt: Prompt, result: str) -> str | None:
    """The model's reply, when it is one to send: not empty, not too long, leaking nothing, linking only the data."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT_CHARS or OutputGuard(prompt.system, prompt.canary).leaks(text):
        log.warning("model's reply from an action's result not used", extra={"chars": len(text)})
        return None
    return neutralise(text, LinkPolicy.of([result], get_settings().link_allowed_hosts))
