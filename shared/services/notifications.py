"""Telling the team about a handover, and the customer about a reply they missed: an outbox delivered with retries.

The handover's transaction writes one outbox row per configured target (Slack, a signed
webhook). Right after it, the request summarises the conversation for the agent and tries to
deliver; whatever fails is retried with backoff by the scheduled `deliver_notifications`.
Nothing is lost while a receiver is down.

With SMTP configured, each run of `deliver_notifications` also writes an `email` row for every
agent reply the widget has not read a minute after it was sent, in a conversation whose
customer left an address (a widget that is open polls at least every 30 seconds, so an unread
reply means nobody is looking). At delivery a reply read since is skipped.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from shared import mail
from shared.db import outbox
from shared.db.engine import connection
from shared.language import locale_language
from shared.notify import DeliveryFailed, send
from shared.settings import Settings, get_settings

log = logging.getLogger("support.notifications")
CLAIM_LEASE_SECONDS = 60
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
UNREAD_FOR_SECONDS = 60
EMAIL_WITHIN_HOURS = 24


class DeliveryReport(BaseModel):
    delivered: int
    failed: int


def targets(settings: Settings) -> list[str]:
    """The configured notification targets."""
    return [
        kind for kind, url in (("slack", settings.slack_webhook_url), ("webhook", settings.notify_webhook_url)) if url
    ]


def enqueue_handover(conn: sa.Connection, session_id: uuid.UUID) -> None:
    """Within the handover's transaction: one outbox row per target."""
    kinds = targets(get_settings())
    if kinds:
        outbox.enqueue(conn, session_id=session_id, kinds=kinds, payload={"event": "conversation.handed_over"})


def deliver_due(*, session_id: uuid.UUID | None = None, limit: int = 100) -> DeliveryReport:
    """Send what is due (of one conversation, or all, with the unread replies to e-mail); retry each failure later."""
    settings = get_settings()
    with connection() as conn:
        if session_id is None and settings.emails_replies:
            outbox.enqueue_unread_replies(conn, unread_for_seconds=UNREAD_FOR_SECONDS, within_hours=EMAIL_WITHIN_HOURS)
        rows = outbox.claim_due(conn, limit=limit, session_id=session_id, lease_seconds=CLAIM_LEASE_SECONDS)
    delivered = failed = 0
    for row in rows:
        try:
            _deliver(row, settings)
        except DeliveryFailed as exc:
            failed += 1
            _retry(row, str(exc))
            continue
        with connection() as conn:
            outbox.mark_delivered(conn, outbox_id=row.id)
        delivered += 1
    return DeliveryReport(delivered=delivered, failed=failed)


def _deliver(row: Any, settings: Settings) -> None:
    if row.kind == "email":
        _email(row, settings)
    else:
        send(row.kind, _event(row, settings), settings)


def _email(row: Any, settings: Settings) -> None:
    """E-mail the reply, unless it was read in the widget since, erased, or e-mail is no longer configured."""
    with connection() as conn:
        found = outbox.reply_context(conn, message_id=row.message_id) if row.message_id else None
    if found is None or found.read or not found.contact_email or not settings.emails_replies:
        return
    reply = mail.ReplyEmail(found.contact_email, found.content, found.agent, locale_language(found.locale))
    mail.send(reply, settings)


def _retry(row: Any, error: str) -> None:
    delay = min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1))
    log.warning("notification not delivered; retrying later", extra={"target": row.kind, "attempt": row.attempts})
    with connection() as conn:
        outbox.retry_later(conn, outbox_id=row.id, delay_seconds=delay, error=error)


def _event(row: Any, settings: Settings) -> dict[str, Any]:
    with connection() as conn:
        context = outbox.handover_context(conn, session_id=row.session_id)
    if context is None:
        return {"event": row.payload.get("event"), "conversation_id": str(row.session_id)}
    return {
        "event": row.payload.get("event", "conversation.handed_over"),
        "conversation_id": str(context.id),
        "reason": context.handover_reason,
        "reason_kind": context.handover_kind,
        "waiting_since": context.waiting_since.isoformat() if context.waiting_since else None,
        "summary": context.summary,
        "contact_email": context.contact_email,
        "locale": context.locale,
        "console_url": f"{settings.console_url.rstrip('/')}#/conversations/{context.id}"
        if settings.console_url
        else None,
    }
