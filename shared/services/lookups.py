"""Agents running the shop's read actions for a conversation's verified customer, from the console.

The customer is the conversation's, as the shop's token named them: an agent cannot run an action
for anyone else. Only reads (never a write: those are the customer's to confirm). The result is
kept in the transcript as an internal note with its card; the call is recorded with the agent.
"""

from __future__ import annotations

import uuid

from shared.actions import arguments as args
from shared.actions.catalogue import catalogue
from shared.actions.spec import ActionSpec
from shared.answering.types import KnownCustomer
from shared.core import errors
from shared.db import inbox
from shared.db.engine import connection, transaction
from shared.db.operators import OperatorRow
from shared.schemas.console import Lookup, LookupParameter, LookupResult, LookupRun
from shared.schemas.public import CardPublic
from shared.services import _actions
from shared.services._views import NO_CONVERSATION


def available(verified: bool) -> list[Lookup]:
    """The read actions an agent may run for a conversation (none for an anonymous visitor)."""
    if not verified:
        return []
    return [_lookup(action) for action in catalogue().actions if not action.writes]


def _lookup(action: ActionSpec) -> Lookup:
    required = set(action.parameters.required)
    parameters = [
        LookupParameter(
            name=name,
            description=spec.description,
            required=name in required,
            pattern=spec.pattern,
            options=[str(option) for option in spec.enum] if spec.enum is not None else None,
        )
        for name, spec in action.parameters.properties.items()
    ]
    return Lookup(name=action.name, description=action.description, parameters=parameters)


def run(conversation_id: uuid.UUID, request: LookupRun, *, operator: OperatorRow) -> LookupResult:
    """Run a read action for the conversation's verified customer and keep the result as a note."""
    customer = _verified_customer(conversation_id)
    action = catalogue().get(request.action)
    if action is None or action.writes:
        raise errors.ValidationFailed(
            "No such lookup.", details=[{"field": "action", "message": "not a read action of this deployment"}]
        )
    try:
        checked = args.validated(action, {name: str(value) for name, value in request.arguments.items()})
    except args.ArgumentInvalid as exc:
        raise errors.ValidationFailed("The lookup's values are not valid.", details=[
            {"field": "arguments", "message": str(exc)}]) from None  # fmt: skip
    answer = _actions.run(
        action, checked, session_id=conversation_id, customer=customer, language="en", actor="agent",
        operator_id=operator.id,
    )  # fmt: skip
    assert answer.action is not None
    with transaction() as conn:
        note = inbox.insert_agent_message(
            conn, session_id=conversation_id, operator_id=operator.id, content=answer.text, internal=True,
            details=answer.action.details(),
        )  # fmt: skip
    card = CardPublic.model_validate(answer.action.card) if answer.action.card else None
    return LookupResult(ok=answer.action.kind == "result", text=answer.text, card=card, note_id=note.id)


def _verified_customer(conversation_id: uuid.UUID) -> KnownCustomer:
    with connection() as conn:
        header = inbox.conversation(conn, session_id=conversation_id)
    if header is None:
        raise errors.NotFound(NO_CONVERSATION)
    if not header.customer_verified or header.customer_id is None:
        raise errors.Conflict("The conversation's customer is not signed in: lookups need a verified customer.")
    return KnownCustomer(header.customer_name, {}, header.customer_id, header.customer_email)
