"""A customer's data: export everything the product holds about them, or erase every copy of it; both audited.

The customer asks with their session token (that conversation); an admin asks by conversation.
Both come down to a list of session ids, so a verified customer's identity token, naming all
their conversations, uses the same export and erasure with the scope "customer".

Erasing reaches every copy: the conversations' rows and all that cascades from them (messages,
summaries, feedback and ratings, the contact address, notifications in the outbox, operators'
kept answers), the regression cases made from the customer's questions, and their questions
copied into entries' examples (see knowledge/forgetting.py). Gap groupings are computed from the
messages on each request and keep nothing. What remains is one audit row and one log line with
who asked, which conversations and how many rows, never the customer's words.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from shared.auth.identity import verify_identity_token
from shared.auth.tokens import hash_token
from shared.core import errors
from shared.db import customers, privacy
from shared.db.engine import connection, transaction
from shared.knowledge import forgetting
from shared.schemas.privacy import (
    DataExport,
    DataRequest,
    ExportedConversation,
    ExportedFeedback,
    ExportedHandover,
    ExportedMessage,
    ExportedRating,
    Scope,
)
from shared.schemas.public import CardPublic, SessionRef
from shared.services import _model_usage as model_usage
from shared.services.sessions import UNAUTHORIZED
from shared.text.redaction import anonymize

log = logging.getLogger("support.privacy")
NO_CONVERSATION = "There is no such conversation."


def export_mine(request: DataRequest, *, token: str) -> DataExport:
    """The customer's export: the conversation their session token opens, or, without a conversation's id,
    everything about the customer their identity token names."""
    if request.session_id is not None:
        return export_own(SessionRef(session_id=request.session_id), token=token)
    return export(_customers_sessions(token), scope="customer", operator_id=None)


def erase_mine(request: DataRequest, *, token: str) -> None:
    """The customer's erasure, of the same scope as `export_mine`."""
    if request.session_id is not None:
        erase_own(SessionRef(session_id=request.session_id), token=token)
    else:
        erase(_customers_sessions(token), scope="customer", operator_id=None)


def export_own(request: SessionRef, *, token: str) -> DataExport:
    """The customer's export of the conversation their session token opens."""
    return export([_own_session(request, token)], scope="conversation", operator_id=None)


def erase_own(request: SessionRef, *, token: str) -> None:
    """The customer's erasure of the conversation their session token opens."""
    erase([_own_session(request, token)], scope="conversation", operator_id=None)


def _customers_sessions(identity_token: str) -> list[uuid.UUID]:
    """Every conversation of the customer the shop's identity token names (verified: 401 otherwise)."""
    customer = verify_identity_token(identity_token)
    with connection() as conn:
        return customers.session_ids(conn, customer_id=customer.customer_id)


def export_conversation(conversation_id: uuid.UUID, *, operator_id: uuid.UUID) -> DataExport:
    """An admin's export of one conversation."""
    return export([_existing(conversation_id)], scope="conversation", operator_id=operator_id)


def erase_conversation(conversation_id: uuid.UUID, *, operator_id: uuid.UUID) -> None:
    """An admin's erasure of one conversation."""
    erase([_existing(conversation_id)], scope="conversation", operator_id=operator_id)


def export_customer(customer_id: str, *, operator_id: uuid.UUID) -> DataExport:
    """An admin's export of all a signed-in customer's conversations (404 when they have none)."""
    return export(_known_customers_sessions(customer_id), scope="customer", operator_id=operator_id)


def erase_customer(customer_id: str, *, operator_id: uuid.UUID) -> None:
    """An admin's erasure of all a signed-in customer's conversations (404 when they have none)."""
    erase(_known_customers_sessions(customer_id), scope="customer", operator_id=operator_id)


def _known_customers_sessions(customer_id: str) -> list[uuid.UUID]:
    with connection() as conn:
        found = customers.session_ids(conn, customer_id=customer_id)
    if not found:
        raise errors.NotFound("No conversation belongs to this customer.")
    return found


def export(session_ids: list[uuid.UUID], *, scope: Scope, operator_id: uuid.UUID | None) -> DataExport:
    """Everything about these conversations a customer may read, as JSON; audited (None: by the customer)."""
    with transaction() as conn:
        rows = privacy.conversations(conn, session_ids)
        messages = privacy.messages(conn, session_ids)
        counts = {"conversations": len(rows), "messages": len(messages)}
        privacy.record(
            conn, action="export", scope=scope, session_ids=session_ids, operator_id=operator_id, counts=counts
        )
    _log("export", scope, session_ids, operator_id, counts)
    by_session: dict[uuid.UUID, list[ExportedMessage]] = {row.id: [] for row in rows}
    for message in messages:
        by_session[message.session_id].append(_message(message))
    conversations = [_conversation(row, by_session[row.id]) for row in rows]
    return DataExport(exported_at=datetime.now(UTC), scope=scope, conversations=conversations)


def erase(session_ids: list[uuid.UUID], *, scope: Scope, operator_id: uuid.UUID | None) -> None:
    """Erase the conversations and every copy of the customer's words; audited (None: by the customer)."""
    with connection() as conn:
        questions = privacy.customer_questions(conn, session_ids)
    # Approved examples and cases hold the question anonymised: look for both forms.
    texts = sorted({*questions, *(anonymize(question) for question in questions)})
    entries = forgetting.forget(texts, actor="erasure")
    model_usage.flush()  # a remote embedder's, re-indexing those entries
    with transaction() as conn:
        present = privacy.existing(conn, session_ids, lock=True)
        counts = privacy.erase(conn, present, questions=texts)
        counts["entries_rewritten"] = entries
        privacy.record(
            conn, action="erase", scope=scope, session_ids=session_ids, operator_id=operator_id, counts=counts
        )
    _log("erase", scope, session_ids, operator_id, counts)


def _message(row: privacy.ExportedMessageRow) -> ExportedMessage:
    feedback = ExportedFeedback(rating=row.feedback, comment=row.feedback_comment) if row.feedback else None
    return ExportedMessage(
        sender=row.sender,
        author=row.author,
        content=row.content,
        created_at=row.created_at,
        suggested_actions=list(row.suggested_actions or []),
        feedback=feedback,
        card=CardPublic.model_validate(row.card) if row.card else None,
        lookup=row.internal,
    )


def _conversation(row: privacy.ConversationRow, messages: list[ExportedMessage]) -> ExportedConversation:
    handover = ExportedHandover(
        kind=row.handover_kind,
        reason=row.handover_reason,
        started_at=row.handover_started_at,
        resolved_at=row.resolved_at,
    )
    rating = None
    if row.rating is not None and row.rated_at is not None:
        rating = ExportedRating(rating=row.rating, comment=row.rating_comment, created_at=row.rated_at)
    return ExportedConversation(
        id=row.id,
        started_at=row.created_at,
        last_activity_at=row.last_activity_at,
        state=row.state,
        locale=row.locale,
        attributes=row.attributes or {},
        contact_email=row.contact_email,
        summary=row.summary,
        handover=handover if row.handover_kind or row.handover_started_at else None,
        rating=rating,
        messages=messages,
    )


def _own_session(request: SessionRef, token: str) -> uuid.UUID:
    with connection() as conn:
        if not privacy.owned_by_token(conn, session_id=request.session_id, token_hash=hash_token(token)):
            raise errors.Unauthorized(UNAUTHORIZED)
    return request.session_id


def _existing(conversation_id: uuid.UUID) -> uuid.UUID:
    with connection() as conn:
        if not privacy.existing(conn, [conversation_id]):
            raise errors.NotFound(NO_CONVERSATION)
    return conversation_id


def _log(
    action: str, scope: Scope, session_ids: list[uuid.UUID], operator_id: uuid.UUID | None, counts: dict[str, int]
) -> None:
    by = f"operator {operator_id}" if operator_id is not None else "the customer"
    extra = {"scope": scope, "conversations": [str(i) for i in session_ids], "counts": counts}
    log.info(f"privacy {action} by {by}", extra=extra)
