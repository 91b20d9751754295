"""Telling the team about a handover, and the customer about a reply they missed: an outbox delivered with retries.

The handover's transaction writes one follow-up row (shared/services/_handover.py); the customer's
request does nothing more. Each run of the scheduled `deliver_notifications` first follows up
the handovers (the agents' summary, then one row per configured target: Slack, a signed
webhook), then sends every row that is due; whatever fails is retried with backoff by later
runs. Nothing is lost while a receiver is down.

With SMTP configured, each run of `deliver_notifications` also writes an `email` row for every
agent reply the widget has not read a minute after it was sent, in a conversation whose
customer left an address (a widget that is open polls at least every 30 seconds, so an unread
reply means nobody is looking). At delivery a reply read since is skipped.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from pydantic import BaseModel

from shared.clients import mail
from shared.clients.webhooks import DeliveryFailed, send
from shared.core.settings import Settings, get_settings
from shared.db import outbox
from shared.db.engine import connection
from shared.services import _handover
from shared.text.language import locale_language

log = logging.getLogger("support.notifications")
CLAIM_LEASE_SECONDS = 60
FOLLOW_UP_LEASE_SECONDS = 180  # a summary may wait on a slow model with retries
# Handovers followed up one by one while this lasts; the rest wait for the next run (the
# scheduler's attempt deadline is 120 s, and the deliveries come after).
FOLLOW_UP_SECONDS = 60
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600
UNREAD_FOR_SECONDS = 60
EMAIL_WITHIN_HOURS = 24


class DeliveryReport(BaseModel):
    delivered: int
    failed: int
    handovers: int = 0  # handovers followed up (summary written, deliveries queued) in this run


def deliver_due(*, limit: int = 100) -> DeliveryReport:
    """Follow up the handovers, then send what is due (with the unread replies to e-mail); retry each failure later."""
    settings = get_settings()
    with connection() as conn:
        if settings.emails_replies:
            outbox.enqueue_unread_replies(conn, unread_for_seconds=UNREAD_FOR_SECONDS, within_hours=EMAIL_WITHIN_HOURS)
    handovers = _follow_up_handovers(limit)
    with connection() as conn:
        rows = outbox.claim_due(conn, limit=limit, follow_ups=False, lease_seconds=CLAIM_LEASE_SECONDS)
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
    return DeliveryReport(delivered=delivered, failed=failed, handovers=handovers)


def _follow_up_handovers(limit: int) -> int:
    """Follow up due handovers, one claim at a time, until none is due, `limit` or the time is up."""
    done, deadline = 0, time.monotonic() + FOLLOW_UP_SECONDS
    while done < limit and time.monotonic() < deadline:
        with connection() as conn:
            claimed = outbox.claim_due(conn, limit=1, follow_ups=True, lease_seconds=FOLLOW_UP_LEASE_SECONDS)
        if not claimed:
            break
        done += _follow_up(claimed[0])  # a failed one stays leased, so it is not claimed again in this run
    return done


def _follow_up(row: outbox.OutboxRow) -> bool:
    """One handover's follow-up; a failure leaves the row to the next run once its lease lapses."""
    try:
        return _handover.follow_up(row)
    except Exception:
        log.exception("handover follow-up failed; retrying later", extra={"attempt": row.attempts})
        return False


def _deliver(row: outbox.OutboxRow, settings: Settings) -> None:
    if row.kind == "email":
        _email(row, settings)
    else:
        send(row.kind, _event(row, settings), settings)


def _email(row: outbox.OutboxRow, settings: Settings) -> None:
    """E-mail the reply, unless it was read in the widget since, erased, or e-mail is no longer configured."""
    with connection() as conn:
        found = outbox.reply_context(conn, message_id=row.message_id) if row.message_id else None
    if found is None or found.read or not found.contact_email or not settings.emails_replies:
        return
    reply = mail.ReplyEmail(found.contact_email, found.content, found.agent, locale_language(found.locale))
    mail.send(reply, settings)


def _retry(row: outbox.OutboxRow, error: str) -> None:
    delay = min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1))
    log.warning("notification not delivered; retrying later", extra={"target": row.kind, "attempt": row.attempts})
    with connection() as conn:
        outbox.retry_later(conn, outbox_id=row.id, delay_seconds=delay, error=error)


def _event(row: outbox.OutboxRow, settings: Settings) -> dict[str, Any]:
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
