"""A customer's decision on a write the bot proposed: run it once, or not at all.

A proposal belongs to its conversation, is decided once, and expires after ten minutes: a
second decision is a 409, a late one a 410, another conversation's a 404. The decision is
committed (status `running`) before the shop is called, so two confirmations racing each
other call the shop once.
"""

from __future__ import annotations

import uuid

from shared.actions.catalogue import catalogue
from shared.actions.phrases import phrase
from shared.actions.replies import ActionReply
from shared.answering.types import Answer, KnownCustomer
from shared.auth.tokens import hash_token
from shared.core import errors
from shared.db import actions as stored_actions
from shared.db import conversations
from shared.db.engine import transaction
from shared.schemas.public import ActionDecided, ActionDecision
from shared.services import _actions
from shared.services import _replies as replies
from shared.services._views import message_public, session_state
from shared.services.sessions import UNAUTHORIZED
from shared.text.language import locale_language

NO_REQUEST = "There is no such action request in this conversation."


def decide(request: ActionDecision, *, token: str) -> ActionDecided:
    """Confirm (run once) or cancel a proposed write of this conversation."""
    with transaction() as conn:
        owner = stored_actions.session_customer(conn, session_id=request.session_id, token_hash=hash_token(token))
        if owner is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        proposed = stored_actions.take(conn, request_id=request.action_request_id, session_id=request.session_id)
        if proposed is None:
            raise errors.NotFound(NO_REQUEST)
        if proposed.status != "pending":
            raise errors.Conflict("This action was already decided.")
        if proposed.expired:
            raise errors.Expired("The time to confirm this action has passed: ask again.")
        confirmed = request.decision == "confirm"
        stored_actions.set_status(conn, request_id=proposed.id, status="running" if confirmed else "cancelled")
        stored_actions.mark_decided(conn, session_id=request.session_id, request_id=proposed.id)
    language = locale_language(owner.locale)
    if confirmed:
        customer = _customer(owner)
        answer = _run(proposed, customer, language)
    else:
        answer = _actions.plain_reply(phrase("cancelled", language), ActionReply(proposed.action, "cancelled"))
    return _stored(request.session_id, proposed.id, answer, done=confirmed)


def _customer(owner: stored_actions.SessionCustomer) -> KnownCustomer | None:
    if not owner.verified:
        return None
    return KnownCustomer(owner.customer_name, {}, owner.customer_id, owner.customer_email)


def _run(proposed: stored_actions.ProposedAction, customer: KnownCustomer | None, language: str) -> Answer:
    action = catalogue().get(proposed.action)
    if action is None or (action.requires == "verified_customer" and customer is None):
        failed = ActionReply(proposed.action, "failed")
        return _actions.plain_reply(phrase("failed", language), failed, person=True)
    return _actions.run(
        action, proposed.arguments, session_id=proposed.session_id, customer=customer, language=language, done=True
    )


def _stored(session_id: uuid.UUID, request_id: uuid.UUID, answer: Answer, *, done: bool) -> ActionDecided:
    with transaction() as conn:
        if done:
            stored_actions.set_status(conn, request_id=request_id, status="done")
        message_id, _ = stored_actions.store_bot_message(
            conn, session_id=session_id, content=answer.text, suggested_actions=answer.suggested_actions,
            details=replies.action_details(answer),
        )  # fmt: skip
        row = conversations.messages_by_id(conn, [message_id])[message_id]
        state = conversations.session_state(conn, session_id=session_id)
    assert state is not None
    return ActionDecided(message=message_public(row), session=session_state(state))
