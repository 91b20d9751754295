"""Known customers: a conversation tied to the shop's signed-in customer, listed and resumed by them alone."""

from __future__ import annotations

from shared.auth.identity import verify_identity_token
from shared.auth.tokens import hash_token, new_session_token
from shared.core import errors
from shared.core.settings import get_settings
from shared.db import conversations, customers
from shared.db.engine import connection, transaction
from shared.schemas.customers import (
    PREVIEW_CHARS,
    ConversationList,
    ConversationSummary,
    IdentifyCreate,
    SessionIdentified,
    SessionResumed,
)
from shared.schemas.public import SessionRef
from shared.services._views import NO_CONVERSATION, customer_public, session_state

UNAUTHORIZED = "Unknown session or invalid token."
LISTED_CONVERSATIONS = 20


def identify(request: IdentifyCreate, *, token: str) -> SessionIdentified:
    """Tie the current session to the signed-in customer, keeping its conversation; never to a second customer."""
    customer = verify_identity_token(request.identity_token)
    with transaction() as conn:
        outcome = customers.identify_session(
            conn, session_id=request.session_id, token_hash=hash_token(token), customer=customer
        )
        if outcome == "unknown_session":
            raise errors.Unauthorized(UNAUTHORIZED)
        if outcome == "other_customer":
            raise errors.Conflict("This conversation belongs to another customer: start a new one.")
        state = conversations.session_state(conn, session_id=request.session_id)
    assert state is not None  # identified in this transaction
    return SessionIdentified(
        **session_state(state).model_dump(), session_id=request.session_id, customer=customer_public(customer)
    )


def list_conversations(*, identity_token: str) -> ConversationList:
    """The verified customer's conversations, newest last message first."""
    customer = verify_identity_token(identity_token)
    with connection() as conn:
        rows = customers.list_conversations(
            conn, customer_id=customer.customer_id, limit=LISTED_CONVERSATIONS, preview_chars=PREVIEW_CHARS
        )
    return ConversationList(
        conversations=[
            ConversationSummary(
                session_id=row.session_id,
                started_at=row.started_at,
                last_message_at=row.last_message_at,
                state=row.state,
                preview=row.preview,
            )
            for row in rows
        ]
    )


def resume_session(request: SessionRef, *, identity_token: str) -> SessionResumed:
    """A fresh session token for one of the customer's own conversations; 404 for anyone else's."""
    customer = verify_identity_token(identity_token)
    token = new_session_token()
    with connection() as conn:
        resumed = customers.give_new_token(
            conn, session_id=request.session_id, customer_id=customer.customer_id, token_hash=hash_token(token)
        )
    if not resumed:
        raise errors.NotFound(NO_CONVERSATION)
    return SessionResumed(session_id=request.session_id, session_token=token, bot_name=get_settings().bot_name)
