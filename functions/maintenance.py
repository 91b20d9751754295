"""Entry points for maintenance; deployed private, invoked with the scheduler's OIDC token.

Cloud Scheduler calls purge_expired and deliver_notifications (prepare_deployment, which Terraform
calls after each deploy, is in deployment.py; sync_knowledge, hourly, in knowledge_sync.py, so that
these two do not load the documents' fetching and indexing).
"""

from __future__ import annotations

from shared.auth.google import require_scheduler
from shared.services import maintenance, notifications
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def purge_expired(call: Call) -> Reply:
    """Erase sessions idle for longer than RETENTION_DAYS, in batches, then roll up settled metrics; safe twice."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, maintenance.purge_expired())


@endpoint("POST")
def deliver_notifications(call: Call) -> Reply:
    """Send the handover notifications that are due, retrying failed ones with backoff."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, notifications.deliver_due())
