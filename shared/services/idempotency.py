"""Operators' idempotency keys: a submit retried with the same `Idempotency-Key` acts once.

- A new key is claimed (INSERT ... ON CONFLICT), the request acts, and its answer is kept for a day.
- The same operator and key again gets that answer (status and body) without acting.
- A copy arriving while the first is still acting waits for its answer (up to
  IDEMPOTENCY_WAIT_SECONDS), then gets a 409 `in_progress` with Retry-After.
- The same key with a different request (route, path or body) is a 422.
- A request that fails (any error: nothing was done) gives the key back, so a retry acts; a
  claim whose request died outright lapses after `LEASE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from shared.core import errors
from shared.core.settings import get_settings
from shared.db import idempotency
from shared.db.engine import connection
from shared.web.http import Reply

TTL_SECONDS = 24 * 3600
# Longer than any operator request takes (a summary's model call with its retries included), so a
# slow request is never mistaken for a dead one and answered twice.
LEASE_SECONDS = 120
POLL_SECONDS = 0.05


def fingerprint(*parts: Any) -> str:
    """A digest of the request: the same parts give the same fingerprint, whatever the JSON key order."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def once(
    operator_id: uuid.UUID,
    key: str,
    request: str,
    act: Callable[[], Reply],
    *,
    conversation_id: uuid.UUID | None = None,
) -> Reply:
    """`act`'s reply the first time `key` is used for `request` (a fingerprint); that same reply after.

    The kept reply is erased with `conversation_id`'s conversation, whose messages it may quote.
    """
    deadline = time.monotonic() + get_settings().idempotency_wait_seconds
    while True:
        with connection() as conn:
            if idempotency.claim(
                conn,
                operator_id=operator_id,
                key=key,
                fingerprint=request,
                lease=LEASE_SECONDS,
                ttl=TTL_SECONDS,
                conversation_id=conversation_id,
            ):
                break
            state = idempotency.find(conn, operator_id=operator_id, key=key)
        if state is None:
            continue  # given back or expired between the two statements: claim it again
        if state.fingerprint != request:
            raise errors.ValidationFailed(
                "This Idempotency-Key was already used for a different request.",
                details=[{"field": "Idempotency-Key", "message": "already used for a different request"}],
            )
        if state.status is not None:
            return Reply(state.status, state.body)
        if time.monotonic() >= deadline:
            raise errors.InProgress(
                "This request is still being processed. Please retry in a moment.",
                retry_after=max(1, min(state.lease_left, 5)),
            )
        time.sleep(POLL_SECONDS)
    return _answer(operator_id, key, request, act)


def _answer(operator_id: uuid.UUID, key: str, request: str, act: Callable[[], Reply]) -> Reply:
    try:
        reply = act()
    except BaseException:
        _give_back(operator_id, key, request)
        raise
    body = reply.body.model_dump(mode="json") if isinstance(reply.body, BaseModel) else reply.body
    with connection() as conn:
        idempotency.store(conn, operator_id=operator_id, key=key, status=reply.status, body=body)
    return Reply(reply.status, body)


def _give_back(operator_id: uuid.UUID, key: str, request: str) -> None:
    try:
        with connection() as conn:
            idempotency.release(conn, operator_id=operator_id, key=key, fingerprint=request)
    except errors.ServiceUnavailable:
        pass  # the database is the reason the request failed: the claim lapses on its own
