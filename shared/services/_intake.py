"""Exact retries, as with idempotency keys: one stored exchange and one model call per key.

A post's key is its `client_message_id` or its `Idempotency-Key` header (the same thing).
- A new key stores the message, under the session's lock, after the abuse limits admit it
  (a spent model budget does not refuse it: `Admitted.spent_budgets` says the reply goes
  without the model).
- A key already answered returns the stored exchange.
- A key still being answered waits for that answer (up to IDEMPOTENCY_WAIT_SECONDS), then
  answers 409 `in_progress` with Retry-After; it never asks the model a second time.
- A key whose earlier attempt died without a reply (its lease lapsed or was given back) is
  answered now.
- A key reused with different content is refused with 422.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from shared.answering.types import KnownCustomer
from shared.core import errors
from shared.core.settings import get_settings
from shared.db import user_messages
from shared.db.engine import connection, transaction
from shared.db.user_messages import PostTarget
from shared.schemas.public import ConversationState, MessageCreate, MessageExchange
from shared.services import _handover
from shared.services import _limits as limits
from shared.services import _replies as replies
from shared.services.sessions import UNAUTHORIZED
from shared.text import small_words

log = logging.getLogger("support.retries")
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Admitted:
    """A user message this request must answer."""

    message_id: int
    created_at: datetime
    state: ConversationState
    history: list[dict[str, str | None]]
    locale: str | None = None
    # The model budgets already spent ("session", "deployment"): the reply then goes without the model.
    spent_budgets: tuple[str, ...] = ()
    customer: KnownCustomer | None = None


def with_key(request: MessageCreate, idempotency_key: str | None) -> MessageCreate:
    """The request keyed by its `Idempotency-Key` header, which must agree with `client_message_id`."""
    if idempotency_key is None or request.client_message_id == idempotency_key:
        return request
    if request.client_message_id is not None:
        raise errors.ValidationFailed(
            "The request is not valid.",
            details=[{"field": "Idempotency-Key", "message": "differs from client_message_id"}],
        )
    return request.model_copy(update={"client_message_id": idempotency_key})


class _KeyTaken(Exception):
    """A copy of this post stored its message after this transaction had looked for it."""


def admit(request: MessageCreate, *, token_hash: str) -> Admitted | MessageExchange:
    """Store a new message (within the limits), or resolve a retry of one already stored."""
    for _ in range(2):
        try:
            return _admit_once(request, token_hash)
        except _KeyTaken:
            continue  # rolled back; a new transaction sees the other copy's message
    raise errors.InProgress("This message is still being answered. Please retry in a moment.", retry_after=1)


def _admit_once(request: MessageCreate, token_hash: str) -> Admitted | MessageExchange:
    lease = get_settings().answer_lease_seconds
    with transaction() as conn:
        target = user_messages.lock_session(
            conn, session_id=request.session_id, token_hash=token_hash, client_message_id=request.client_message_id
        )
        if target is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        if target.message_id is None:
            return _store_new(conn, request, target, lease)
    if target.content != request.content:
        raise errors.ValidationFailed(
            "This client_message_id was already used for a different message.",
            details=[{"field": "client_message_id", "message": "already used for a different message"}],
        )
    return _resolve_retry(request, target, lease)


def _store_new(conn: sa.Connection, request: MessageCreate, target: PostTarget, lease: float) -> Admitted:
    limits.admit_message(conn, request.session_id)
    # A customer writing to a resolved conversation reopens it to the bot, not to the queue.
    _, state = _handover.transition(conn, request.session_id, "customer_wrote", locked_state=target.state)
    spent = _spent_budgets(conn, request, state)
    stored = user_messages.insert_user_message(
        conn,
        session_id=request.session_id,
        content=request.content,
        client_message_id=request.client_message_id,
        lease_seconds=lease,
        helped=small_words.says_it_helped(request.content),
    )
    if stored is None:
        raise _KeyTaken
    return Admitted(stored.id, stored.created_at, state, stored.history, target.locale, spent, _known(target))


def _known(target: PostTarget) -> KnownCustomer | None:
    """The verified customer the session belongs to, for the model; None for an anonymous visitor."""
    if not target.customer_verified:
        return None
    return KnownCustomer(
        target.customer_name, dict(target.customer_attributes or {}), target.customer_id, target.customer_email
    )


def _spent_budgets(conn: sa.Connection, request: MessageCreate, state: ConversationState) -> tuple[str, ...]:
    # While an agent owns the conversation the bot is silent: no budget is drawn on.
    return () if state == "assigned" else tuple(limits.spent_budgets(conn, request.session_id))


def _resolve_retry(request: MessageCreate, target: PostTarget, lease: float) -> Admitted | MessageExchange:
    assert target.message_id is not None and target.created_at is not None
    deadline = time.monotonic() + get_settings().idempotency_wait_seconds
    replied, answering, lease_left = target.replied, target.answering, 0
    while True:
        with connection() as conn:
            if replied and (exchange := replies.stored_exchange(conn, request.session_id, target.message_id)):
                return exchange
            if not answering and user_messages.claim_answer(conn, message_id=target.message_id, lease_seconds=lease):
                history = user_messages.history_before(
                    conn, session_id=request.session_id, message_id=target.message_id
                )
                spent = _spent_budgets(conn, request, target.state)
                return Admitted(
                    target.message_id, target.created_at, target.state, history, target.locale, spent, _known(target)
                )
            state = user_messages.answer_state(conn, message_id=target.message_id)
        replied, answering, lease_left = state.replied, state.answering, state.lease_left
        if replied or not answering:
            continue
        if time.monotonic() >= deadline:
            raise errors.InProgress(
                "This message is still being answered. Please retry in a moment.",
                retry_after=max(1, min(lease_left, 5)),
            )
        time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def answering(message_id: int) -> Iterator[None]:
    """Hold the message's answer lease while the block works on its reply.

    The lease is short and renewed in the background, so it lapses soon after a request dies
    (a crash, the database gone) and the client's retry can answer; a slow model keeps it.
    If the block fails, the lease is given back at once so the retry need not wait at all.
    """
    lease = get_settings().answer_lease_seconds
    stop = threading.Event()
    renewer = threading.Thread(target=_renew, args=(message_id, lease, stop), name="answer-lease", daemon=True)
    renewer.start()
    try:
        yield
    except BaseException:
        _release(message_id)
        raise
    finally:
        stop.set()


def _renew(message_id: int, lease: float, stop: threading.Event) -> None:
    while not stop.wait(lease / 3):
        try:
            with connection() as conn:
                user_messages.renew_answer(conn, message_id=message_id, lease_seconds=lease)
        except Exception:  # the database may be away; the lease then lapses and a retry answers
            log.warning("could not renew an answer lease", extra={"message_id": message_id})


def _release(message_id: int) -> None:
    try:
        with connection() as conn:
            user_messages.release_answer(conn, message_id=message_id)
    except Exception:  # the database may be the reason; the lease then simply runs out
        log.warning("could not release an answer lease", extra={"message_id": message_id})
