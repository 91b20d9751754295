"""Acting on the shop's API for a customer's message: choose the action, fill it, run it or ask first.

The order of checks is the safety of it: an action that needs a verified customer is never called
for an anonymous one (the reply asks them to sign in); the customer's id comes from the verified
token only; a write never runs before the customer confirms (`services/actions.py` runs it); a
read runs at once. Every call is recorded with its outcome and latency, never with its response.
Here the action is chosen without a model; with one, `_tool_calls` lets the model choose first.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

from shared.actions import arguments as args
from shared.actions.cards import card_for
from shared.actions.catalogue import Catalogue, catalogue
from shared.actions.phrases import phrase
from shared.actions.replies import ActionReply
from shared.actions.requests import ActionNotConfigured, Caller, built
from shared.actions.spec import ActionSpec
from shared.answering import tools
from shared.answering.suggestions import TALK_TO_HUMAN
from shared.answering.types import Answer, KnownCustomer
from shared.clients import shop
from shared.core.settings import get_settings
from shared.db import actions as stored_actions
from shared.db.engine import transaction

log = logging.getLogger("support.actions")
CONFIRM_MINUTES = 10
PROVIDER = "action"


@dataclass(frozen=True)
class Planned:
    """An action for this message, with what the message gave for it (and the model's call, if it chose)."""

    action: ActionSpec
    found: args.Extracted
    choice: tools.Choice | None = None

    def needs_sign_in(self, customer: KnownCustomer | None) -> bool:
        """Whether the customer must sign in first (the knowledge base still answers meanwhile)."""
        return self.action.requires == "verified_customer" and customer is None


def plan(message: str, last_bot: dict[str, Any] | None, customer: KnownCustomer | None) -> Planned | None:
    """The action `message` asks for (or completes, after the bot asked for a value), if any, without a model."""
    actions = catalogue()
    if not actions:
        return None
    return continued(message, last_bot, actions) or matched(message, customer, actions)


def continued(message: str, last_bot: dict[str, Any] | None, actions: Catalogue) -> Planned | None:
    """The action the bot asked a value for, when `message` gives it."""
    asked = (last_bot or {}).get("asks")
    action = actions.get(str(asked.get("action"))) if isinstance(asked, dict) else None
    if action is not None and isinstance(asked, dict) and (completed := _completed(action, asked, message)):
        return Planned(action, completed)
    return None


def matched(message: str, customer: KnownCustomer | None, actions: Catalogue) -> Planned | None:
    """The action whose examples `message` is clearly nearest, with the values it gives."""
    from shared.actions import matching  # numpy and the encoders: only for the function that answers messages

    match = matching.best_action(message, actions)
    if match is None or not offered(match.action, customer):
        return None
    return Planned(match.action, args.extracted(match.action, message))


def _completed(action: ActionSpec, asked: dict[str, Any], message: str) -> args.Extracted | None:
    """The asked-for action with the value this reply gives; None when it gives none (a new subject)."""
    missing = str(asked.get("missing") or "")
    spec = action.parameters.properties.get(missing)
    if spec is None:
        return None
    values = args.reply_value(spec, message)
    if len(values) != 1:
        return None
    known = {str(k): str(v) for k, v in dict(asked.get("arguments") or {}).items()}
    return args.extracted(action, message, {**known, missing: values[0]})


def offered(action: ActionSpec, customer: KnownCustomer | None) -> bool:
    """Whether the action is for this customer: a verified one, or anyone who could sign in."""
    if action.requires != "verified_customer" or customer is not None:
        return True
    settings = get_settings()
    return bool(settings.identity_signing_secret or settings.identity_jwks_url)


def reply(planned: Planned, *, session_id: uuid.UUID, customer: KnownCustomer | None, language: str) -> Answer:
    """The bot's reply for a planned action: sign in, a question, a write to confirm, or the read's result."""
    action, found = planned.action, planned.found
    if planned.needs_sign_in(customer):
        return sign_in(action.name, language)
    if found.ambiguous:
        name, options = next(iter(found.ambiguous.items()))
        text = phrase("which", language, options=", ".join(options))
        asks = {"action": action.name, "arguments": found.arguments, "missing": name}
        return _answer(text, ActionReply(action.name, "ask", asks=asks))
    if found.missing:
        name = found.missing[0]
        what = action.parameters.properties[name].description or name.replace("_", " ")
        asks = {"action": action.name, "arguments": found.arguments, "missing": name}
        text = phrase("ask", language, what=what.rstrip(".").lower())
        return _answer(text, ActionReply(action.name, "ask", asks=asks))
    if action.writes:
        return propose(action, found.arguments, session_id=session_id, language=language)
    return run(action, found.arguments, session_id=session_id, customer=customer, language=language)


def sign_in(name: str, language: str) -> Answer:
    """The reply when the action asked for needs a signed-in customer."""
    return _answer(phrase("sign_in", language), ActionReply(name, "sign_in"))


def with_sign_in(answer: Answer, name: str, language: str) -> Answer:
    """The knowledge base's answer, followed by the offer to look it up once signed in."""
    return replace(answer, text=f"{answer.text}\n\n{phrase('sign_in', language)}", sign_in_for=name)


def propose(action: ActionSpec, arguments: dict[str, str], *, session_id: uuid.UUID, language: str) -> Answer:
    """Store the write for the customer's yes, and say what it would do."""
    summary = describe(action, arguments)
    with transaction() as conn:
        request_id, expires_at = stored_actions.propose(
            conn, session_id=session_id, action=action.name, arguments=arguments, summary=summary,
            minutes=CONFIRM_MINUTES,
        )  # fmt: skip
    request = {"id": str(request_id), "summary": summary, "expires_at": expires_at.isoformat()}
    text = phrase("confirm", language, what=summary, minutes=str(CONFIRM_MINUTES))
    return _answer(text, ActionReply(action.name, "confirm", action_request=request))


def describe(action: ActionSpec, arguments: dict[str, str]) -> str:
    """The action in words, with its values: its card's title when it has one, else its description."""
    title = card_for(action, arguments, None).title if action.show.title else ""
    if title:
        return title
    values = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in arguments.items())
    return f"{action.description.rstrip('.')} ({values})" if values else action.description.rstrip(".")


def run(
    action: ActionSpec,
    arguments: dict[str, str],
    *,
    session_id: uuid.UUID | None,
    customer: KnownCustomer | None,
    language: str,
    actor: str = "bot",
    operator_id: uuid.UUID | None = None,
    done: bool = False,
) -> Answer:
    """Call the shop now, record the call, and say what came of it."""
    caller = Caller(customer.id, customer.email) if customer is not None else Caller()
    response = call(action, arguments, caller)
    with transaction() as conn:
        stored_actions.record_call(
            conn, session_id=session_id, action=action.name, actor=actor, operator_id=operator_id,
            outcome=response.failure or "ok", http_status=response.status, latency_ms=response.latency_ms,
        )  # fmt: skip
    return _result(action, arguments, response, language, done=done)


def call(action: ActionSpec, arguments: dict[str, str], caller: Caller) -> shop.ShopResponse:
    """The shop's answer to `action`; a request that cannot be built is a refused one, never sent."""
    settings = get_settings()
    try:
        request = built(action, args.validated(action, arguments), caller)
    except (ActionNotConfigured, args.ArgumentInvalid) as exc:
        log.warning("action not called", extra={"action": action.name, "reason": str(exc)})
        return shop.ShopResponse(None, None, 0, "not_configured")
    response = shop.send(request, allowed_hosts=settings.actions_allowed_hosts, timeout=settings.action_timeout_seconds)
    if not response.ok:
        log.warning(
            "action failed",
            extra={"action": action.name, "failure": response.failure, "status": response.status},
        )
    return response


def _result(
    action: ActionSpec, arguments: dict[str, str], response: shop.ShopResponse, language: str, *, done: bool
) -> Answer:
    title = describe(action, arguments)
    if response.failure == "not_found":
        return _answer(phrase("not_found", language, what=f"“{title}”"), ActionReply(action.name, "not_found"))
    if response.failure == "rejected":
        return _answer(phrase("refused", language, what=title), ActionReply(action.name, "refused"), person=True)
    if not response.ok:
        return _answer(phrase("failed", language), ActionReply(action.name, "failed"), person=True)
    card = card_for(action, arguments, response.body)
    opening = phrase("done" if done else "found", language)
    reply = ActionReply(action.name, "done" if done else "result", card=card.public())
    return _answer(f"{opening}\n{card.as_text()}", reply)


def plain_reply(text: str, action: ActionReply, *, person: bool = False) -> Answer:
    """The bot's words around an action, offering a person when the action could not help."""
    return _answer(text, action, person=person)


def _answer(text: str, action: ActionReply, *, person: bool = False) -> Answer:
    return Answer(
        text=text,
        source_ids=[],
        suggested_actions=[TALK_TO_HUMAN] if person else [],
        provider=PROVIDER,
        action=action,
    )
