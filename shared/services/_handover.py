"""The handover, in one place: the state change, the reply that says so, and the team's follow-up.

A handover happens inside the reply's transaction (`hand_over`): the conversation moves to the
team's queue and one outbox row of kind `handover` is written with it, so the change and its
follow-up commit or roll back together. Nothing else runs in the customer's request. The
scheduled `deliver_notifications` (shared/services/notifications.py) then runs `follow_up` for
each such row: it writes the agents' summary (a model call) and queues one delivery per
configured target (Slack, a signed webhook), which the same run sends and retries later if a
receiver is down.

Other state changes (an agent takes over, resolves...) go through `transition`: the table in
shared/handover/states.py decides, the change and its reason are recorded.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from shared.answering.types import Answer, AnswerProvider
from shared.core import errors
from shared.core.settings import Settings, get_settings
from shared.db import handover as handover_db
from shared.db import outbox
from shared.db.engine import connection, transaction
from shared.handover.reply import handover_text
from shared.handover.states import Event, State, next_state
from shared.services._views import NO_CONVERSATION

FOLLOW_UP = "handover"  # the outbox kind of a handover's follow-up: the summary, then the deliveries
HANDED_OVER = "conversation.handed_over"  # the event the team's receivers get
MEDIAN_WINDOW_DAYS = 30
MEDIAN_MIN_CONVERSATIONS = 5
MEDIAN_CACHE_SECONDS = 300
_median_lock = threading.Lock()
_median_cache: tuple[float, float | None] = (0.0, None)


def hand_over(conn: sa.Connection, session_id: uuid.UUID, *, reason: str | None, kind: str) -> bool:
    """Inside the reply's transaction: to the team's queue, with its follow-up queued; True if the state changed."""
    before, after = transition(conn, session_id, "handover", reason=reason, kind=kind)
    if before == after:
        return False
    outbox.enqueue(conn, session_id=session_id, kinds=[FOLLOW_UP], payload={"event": HANDED_OVER})
    return True


def reply(*, already: bool, reason: str, kind: str, language: str = "en") -> Answer:
    """The reply that hands the conversation over to the team, with why, in the customer's language."""
    text = handover_text(
        get_settings(),
        now=datetime.now(UTC),
        already=already,
        typical_minutes=typical_first_reply_minutes(),
        language=language,
        kind=kind,
    )
    return Answer(
        text=text,
        source_ids=[],
        suggested_actions=[],
        provider="handover",
        hands_over=True,
        handover_reason=reason,
        handover_kind=kind,
    )


def follow_up(row: outbox.OutboxRow, *, provider: AnswerProvider | None = None) -> bool:
    """Out of the customer's request: the agents' summary, then one delivery row per target (False if taken over).

    `row` is a claimed follow-up row. Run twice (its lease lapsed), the summary is written again
    but the deliveries are queued once: only the claim that still holds the row queues them.
    """
    # Imported here: the customer's functions hand over but never summarise, so they start without it.
    from shared.services import summaries

    summaries.summarize_for_team(row.session_id, provider=provider)
    with transaction() as conn:
        if not outbox.finish_claimed(conn, outbox_id=row.id, attempts=row.attempts):
            return False
        if kinds := targets(get_settings()):
            outbox.enqueue(conn, session_id=row.session_id, kinds=kinds, payload={"event": HANDED_OVER})
    return True


def targets(settings: Settings) -> list[str]:
    """The configured notification targets."""
    return [
        kind for kind, url in (("slack", settings.slack_webhook_url), ("webhook", settings.notify_webhook_url)) if url
    ]


def transition(
    conn: sa.Connection,
    session_id: uuid.UUID,
    event: Event,
    *,
    reason: str | None = None,
    kind: str | None = None,
    operator_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
    locked_state: State | None = None,
) -> tuple[State, State]:
    """Apply `event` inside the caller's transaction; returns (before, after). Conflict if not allowed.

    `locked_state`: the state the caller read while locking the conversation's row in this
    transaction (it cannot have changed since), which saves locking and reading it again.
    """
    current = locked_state or handover_db.lock_state(conn, session_id=session_id)
    if current is None:
        raise errors.NotFound(NO_CONVERSATION)
    target = next_state(current, event)
    changes_owner = event in ("take_over", "assign") and assignee_id is not None
    if target != current or changes_owner:
        handover_db.apply(
            conn,
            session_id=session_id,
            from_state=current,
            to_state=target,
            event=event,
            reason=reason,
            kind=kind,
            operator_id=operator_id,
            assignee_id=assignee_id,
        )
    return current, target


def typical_first_reply_minutes() -> float | None:
    """The measured median minutes to a person's first reply (refreshed every few minutes), or None."""
    global _median_cache
    with _median_lock:
        fetched_at, value = _median_cache
        if time.monotonic() - fetched_at < MEDIAN_CACHE_SECONDS and fetched_at:
            return value
    with connection() as conn:
        seconds = handover_db.median_first_reply_seconds(
            conn, days=MEDIAN_WINDOW_DAYS, at_least=MEDIAN_MIN_CONVERSATIONS
        )
    value = None if seconds is None else seconds / 60
    with _median_lock:
        _median_cache = (time.monotonic(), value)
    return value
