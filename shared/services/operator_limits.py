"""Per-operator rate limits on the operator API: writes, and the routes that cost the most.

Counted in Postgres by the same limiter as the customers' abuse limits; a limit set to 0 is off.
`write` is every change (replies, notes, actions, the team, the knowledge base); `costly` is
what runs retrieval or regression checks over many questions, or calls a model (try it, the
gaps and their drafts, the draft check, a summary refresh).
"""

from __future__ import annotations

import uuid

from shared.core import errors
from shared.core.settings import get_settings
from shared.db import limits
from shared.db.engine import transaction
from shared.db.limits import Rule
from shared.web.routing import Cost

MINUTE = 60


def rules(operator_id: uuid.UUID, cost: Cost) -> list[Rule]:
    """The limit a request of this cost counts against for this operator (none when it is off)."""
    settings = get_settings()
    per_minute = (
        settings.rate_limit_operator_writes_per_minute
        if cost == "write"
        else settings.rate_limit_operator_costly_per_minute
    )
    return [Rule(f"operator:{operator_id}:{cost}", per_minute, MINUTE)] if per_minute > 0 else []


def admit(operator_id: uuid.UUID, cost: Cost) -> None:
    """Count one request of `cost` for the operator, or raise RateLimited with the wait."""
    with transaction() as conn:
        wait = limits.take(conn, rules(operator_id, cost))
    if wait:
        raise errors.RateLimited(
            "You're doing that a little fast. Please wait a moment, then try again.", retry_after=wait
        )
