"""Charging model usage where it belongs: a conversation's figures, or the deployment's.

Charging means both figures a call shows up in: the token budgets (`services._limits`) and the
console's cost (a conversation's counters, or the deployment's hourly sums). The calls this
thread recorded (`answering.metering`: embeddings, drafts) go with the charge: to the
conversation when one is named, else to the deployment.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from shared.clients.metering import Tally, take
from shared.db import model_usage
from shared.db.engine import transaction
from shared.services import _limits as limits


def charge(conn: sa.Connection, usage: Tally | None = None, *, session_id: uuid.UUID | None = None) -> None:
    """Charge `usage` and this thread's recorded calls to the conversation `session_id`, else to the deployment."""
    tally = take()
    if usage is not None:
        for name, value in usage.counts().items():
            setattr(tally, name, getattr(tally, name) + value)
    if not tally.calls:
        return
    if session_id is None:
        limits.charge_deployment_tokens(conn, tally.counts())
        model_usage.add_to_deployment(conn, tally.counts())
        return
    counts: dict[str, object] = {**tally.counts()}
    limits.charge_tokens(conn, session_id, counts)
    model_usage.add_to_conversation(conn, session_id, tally.counts())


def flush() -> None:
    """Charge this thread's recorded calls to the deployment now, in a transaction of its own (after a sync...)."""
    if (tally := take()).calls:
        with transaction() as conn:
            charge(conn, tally)
