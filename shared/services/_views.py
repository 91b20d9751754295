"""Turning stored rows into the public API's shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.core.settings import get_settings
from shared.handover.reply import support_open
from shared.handover.states import widget_status
from shared.schemas.public import ActionRequestPublic, CustomerPublic, MessagePublic, SessionState, SourcePublic

if TYPE_CHECKING:
    from shared.auth.identity import VerifiedCustomer
    from shared.db.conversations import MessageRow, SessionRow, SessionStateRow

NO_CONVERSATION = "There is no such conversation."


def message_public(row: MessageRow) -> MessagePublic:
    """The public form of a stored message row."""
    details = row.details or {}
    return MessagePublic(
        id=row.id,
        sender=row.sender,
        content=row.content,
        created_at=row.created_at,
        client_message_id=row.client_message_id,
        reply_to=row.reply_to_id,
        sources=[SourcePublic.model_validate(s) for s in row.sources or []],
        suggested_actions=list(row.suggested_actions or []),
        degraded=bool(details.get("degraded", False)),
        author=row.author,
        card=details.get("card"),
        action_request=_open_request(details),
        sign_in_required=bool(details.get("sign_in_required", False)),
    )


def _open_request(details: dict[str, Any]) -> ActionRequestPublic | None:
    """The write a message proposed, while it still waits for the customer's decision."""
    request = details.get("action_request")
    if not request or details.get("action_decided"):
        return None
    return ActionRequestPublic.model_validate(request)


def session_state(row: SessionRow | SessionStateRow) -> SessionState:
    """The widget's view of a conversation's state from a row with `state`, `agent` and `contact_email`."""
    settings = get_settings()
    # The address is asked for only when a reply can actually be e-mailed to it.
    away = (
        row.state == "waiting"
        and not row.contact_email
        and settings.emails_replies
        and not support_open(settings, datetime.now(UTC))
    )
    return SessionState(status=widget_status(row.state), state=row.state, agent=row.agent, offer_contact=away)


def customer_public(customer: VerifiedCustomer) -> CustomerPublic:
    """What the widget is told about the verified customer."""
    return CustomerPublic(customer_id=customer.customer_id, name=customer.name, verified=True)
