"""Maintenance jobs run by Cloud Scheduler."""

from __future__ import annotations

from pydantic import BaseModel

from shared.core.settings import get_settings
from shared.db import conversations, idempotency
from shared.db.engine import connection
from shared.db.limits import purge_expired_counters


class PurgeReport(BaseModel):
    deleted_sessions: int
    retention_days: int
    deleted_rate_counters: int = 0
    deleted_idempotency_keys: int = 0


def purge_expired() -> PurgeReport:
    """Erase every session (with its messages and summary) idle for longer than the retention period."""
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
    )
