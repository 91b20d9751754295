"""An action chosen and answered through the model's own tool calling, when a model answers.

Choosing: a value the bot asked for is taken from the customer's reply first, in every mode
(`_actions.continued`). Then, with a model whose budgets are not spent and actions offered to this
customer, the model chooses by calling a tool (`answering.tools`): a call its action accepts is the
plan; no such call means no action, and the knowledge base answers. A model that fails or is late
leaves the choice to the actions' examples, as without a model (`_actions.matched`).

Replying: `_actions.reply` as ever (sign in, ask for a value, a write proposed for the customer's
yes, a read run at once). After a read the model chose, the card's text goes back to the model,
which writes the reply from it in the customer's language, or makes its second and last call
(which takes the same path); the card stays on the reply. When the model fails there, or writes
nothing usable, the templated reply stands.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from typing import Any

from shared.actions import arguments as args
from shared.actions.cards import Card
from shared.actions.catalogue import catalogue
from shared.answering import tools
from shared.answering.types import Answer, AnswerProvider, KnownCustomer
from shared.core.errors import ModelFailed
from shared.core.settings import get_settings
from shared.services import _actions
from shared.services._actions import Planned
from shared.text.turns import Turn

log = logging.getLogger("support.actions")


def plan(
    message: str,
    history: list[Turn],
    last_bot: dict[str, Any] | None,
    customer: KnownCustomer | None,
    *,
    provider: AnswerProvider,
    language: str,
    model_allowed: bool,
) -> Planned | None:
    """The action `message` asks for: a value asked for, else the model's call, else (no model) the examples'."""
    actions = catalogue()
    if not actions:
        return None
    if (asked := _actions.continued(message, last_bot, actions)) is not None:
        return asked
    settings = get_settings()
    if not (model_allowed and settings.action_tool_calling and isinstance(provider, tools.ToolCaller)):
        return _actions.matched(message, customer, actions)
    offered = [action for action in actions.actions if _actions.offered(action, customer)]
    if not offered:
        return None
    try:
        timeout = settings.action_model_timeout_seconds
        choice = tools.choose(provider, message, history, offered, language=language, timeout=timeout)
    except ModelFailed as exc:
        log.warning("the model could not choose an action; choosing by the examples", extra={"reason": str(exc)})
        return _actions.matched(message, customer, actions)
    except Exception:
        log.exception("choosing an action with the model broke; choosing by the examples")
        return _actions.matched(message, customer, actions)
    return _planned(choice) if choice is not None else None


def reply(
    planned: Planned,
    *,
    session_id: uuid.UUID,
    customer: KnownCustomer | None,
    language: str,
    provider: AnswerProvider,
) -> Answer:
    """The reply for a planned action; after a read the model chose, in the model's words, with the card."""
    answer = _actions.reply(planned, session_id=session_id, customer=customer, language=language)
    choice = planned.choice
    while choice is not None and isinstance(provider, tools.ToolCaller) and (card := _read_card(answer)):
        step = _follow(provider, choice, card.as_text())
        if not isinstance(step, tools.Choice):
            return answer if step is None else replace(answer, text=step)
        answer = _actions.reply(_planned(step), session_id=session_id, customer=customer, language=language)
        choice = step
    return answer


def _planned(choice: tools.Choice) -> Planned:
    return Planned(choice.action, args.Extracted(choice.arguments, choice.missing), choice)


def _read_card(answer: Answer) -> Card | None:
    """The card of a read that ran and found something (not a question, a proposal or a failure)."""
    action = answer.action
    return Card.of(action.card) if action is not None and action.kind == "result" and action.card else None


def _follow(provider: tools.ToolCaller, choice: tools.Choice, result: str) -> tools.Choice | str | None:
    try:
        return tools.follow(provider, choice, result, timeout=get_settings().action_model_timeout_seconds)
    except ModelFailed as exc:
        log.warning("the model could not answer from an action's result; templated reply", extra={"reason": str(exc)})
    except Exception:
        log.exception("answering from an action's result with the model broke; templated reply")
    return None
