"""Entry points for maintenance; deployed private, invoked by Cloud Scheduler with an OIDC token."""

from __future__ import annotations

from shared.http import Call, Reply, endpoint
from shared.identity import require_scheduler
from shared.services import maintenance, notifications


@endpoint("POST")
def purge_expired(call: Call) -> Reply:
    """Erase sessions idle for longer than RETENTION_DAYS, in batches; safe to run twice."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, maintenance.purge_expired())


@endpoint("POST")
def deliver_notifications(call: Call) -> Reply:
    """Send the handover notifications that are due, retrying failed ones with backoff."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, notifications.deliver_due())
