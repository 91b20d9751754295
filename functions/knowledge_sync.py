"""The scheduled re-sync of the help center; deployed private, invoked hourly with the scheduler's OIDC token."""

from __future__ import annotations

from shared.auth.google import require_scheduler
from shared.services import knowledge_sources
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def sync_knowledge(call: Call) -> Reply:
    """Re-sync the help-center sources last synced KNOWLEDGE_SYNC_HOURS ago or more; a summary per source."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, knowledge_sources.sync_due())
