"""Entry point run after each deploy; deployed private, invoked with the scheduler's OIDC token.

Terraform calls prepare_deployment after each deploy (with a token minted for the scheduler's
service account). A module of its own, so that the scheduled functions (maintenance.py) do not
load the migrations and the knowledge-base import.
"""

from __future__ import annotations

from shared.auth.google import require_scheduler
from shared.services import prepare
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def prepare_deployment(call: Call) -> Reply:
    """Migrate the schema and import the knowledge base with this archive's encoders; safe to call again."""
    require_scheduler(call.optional_bearer_token())
    return Reply(200, prepare.prepare())
