"""Maintenance jobs run by Cloud Scheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from shared.core.settings import get_settings
from shared.db import conversations, idempotency
from shared.db.engine import connection
from shared.db.limits import purge_expired_counters
from shared.services import metrics


class PurgeReport(BaseModel):
    deleted_sessions: int
    retention_days: int
    deleted_rate_counters: int = 0
    deleted_idempotency_keys: int = 0
    rolled_up_days: int = 0


def purge_expired() -> PurgeReport:
    """Erase every session (with its messages and summary) idle for longer than the retention period.

    Then store the metrics of the settled days not rolled up yet, or no longer (the erased
    conversations' days among them), over the longest range the console asks for.
    """
    settings = get_settings()
    deleted = 0
    with connection() as conn:
        while True:
            batch = conversations.purge_idle_sessions(
                conn, older_than_days=settings.retention_days, batch_size=settings.purge_batch_size
            )
            deleted += batch
            if batch < settings.purge_batch_size:
                break
        counters = purge_expired_counters(conn)
        keys = idempotency.purge_expired(conn)
    return PurgeReport(
        deleted_sessions=deleted,
        retention_days=settings.retention_days,
        deleted_rate_counters=counters,
        deleted_idempotency_keys=keys,
        rolled_up_days=roll_up_settled(),
    )


def roll_up_settled() -> int:
    """Store the metrics of every settled day of the last MAX_DAYS not stored; returns how many were."""
    today = datetime.now(UTC).date()
    return metrics.roll_up(first=today - timedelta(days=metrics.MAX_DAYS + 1), last=today)
