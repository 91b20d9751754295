"""Charging model usage where it belongs: a conversation's figures, or the deployment's.

Charging means both figures a call shows up in: the token budgets (`services.limits`) and the
console's cost (a conversation's counters, or the deployment's hourly sums). Every charge also
takes the calls recorded for the deployment (`answering.metering`: embeddings, drafts) and
charges them, in the same transaction.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from shared.answering.metering import Tally, take
from shared.db import model_usage
from shared.db.engine import transaction
from shared.services import limits


def charge(conn: sa.Connection, usage: Tally | None, *, session_id: uuid.UUID | None = None) -> None:
    """Charge `usage` to the conversation `session_id` (else to the deployment), and what was recorded since."""
    if usage is not None and usage.calls:
        if session_id is not None:
            counts: dict[str, object] = {**usage.counts()}
            limits.charge_tokens(conn, session_id, counts)
            model_usage.add_to_conversation(conn, session_id, usage.counts())
        else:
            _charge_deployment(conn, usage)
    if (pending := take()).calls:
        _charge_deployment(conn, pending)


def flush() -> None:
    """Charge what was recorded to the deployment now, in a transaction of its own (after a sync, a draft...)."""
    with transaction() as conn:
        charge(conn, None)


def _charge_deployment(conn: sa.Connection, usage: Tally) -> None:
    limits.charge_deployment_tokens(conn, usage.counts())
    model_usage.add_to_deployment(conn, usage.counts())
