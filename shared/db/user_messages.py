"""Persistence of a customer's message on its way in: the session lock, retries by key, answer leases.

A post runs in one transaction that locks its session row, so two posts to one session (and
two copies of one retry) take turns. A copy that queued for the lock read the messages before
the first copy's message was committed: its insert then finds the key taken and stores nothing,
and the caller starts again in a new transaction, which sees that message. A user message
carries a lease while its reply is being written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from shared.db import prepared
from shared.schemas.public import ConversationState

HISTORY_MESSAGES = 10

_FIND_FOR_POST = """
    SELECT s.state, s.locale, m.id AS message_id, m.content, m.created_at,
           (r.id IS NOT NULL) AS replied,
           coalesce(m.answer_lease_until > now(), false) AS answering,
           s.customer_verified, s.customer_name, s.customer_attributes, s.customer_id, s.customer_email
    FROM chat_sessions s
    LEFT JOIN messages m ON m.session_id = s.id AND m.client_message_id = :client_message_id
    LEFT JOIN messages r ON r.reply_to_id = m.id
    WHERE s.id = :session_id AND s.token_hash = :token_hash
    FOR UPDATE OF s
"""

_HISTORY = """
    SELECT coalesce(json_agg(json_build_object('sender', h.sender, 'content', h.content, 'decision', h.decision,
                                               'about', h.about, 'asks', h.asks)
                             ORDER BY h.id), '[]'::json)
    FROM (SELECT m.id, m.sender, m.content, m.details->>'decision' AS decision, m.details->'about' AS about,
                 m.details->'asks' AS asks
          FROM messages m
          WHERE m.session_id = :session_id AND m.id < :before AND NOT m.internal
          ORDER BY m.id DESC LIMIT :history_limit) AS h
"""

# When the conversation counted as resolved before this message, if it did: closed, confirmed by the
# customer (by a thumbs-up since, or by the message that said it helped), or answered and left alone
# for 24 hours (NULL when the customer wrote since).
_RESOLVED_SINCE = """greatest(
    CASE WHEN resolved_at > coalesce(customer_last_at, '-infinity') THEN resolved_at END,
    CASE WHEN confirmed_at >= coalesce(customer_last_at, '-infinity') THEN confirmed_at END,
    CASE WHEN last_answer_at >= coalesce(customer_last_at, '-infinity') AND last_answer_at <= now() - interval '1 day'
         THEN last_answer_at END)"""

# The first message after a resolution is a return; the bot's reply tells whether it is on the same subject.
# A message that says the bot's latest answer helped (:helped, read by the caller) is no return: it
# confirms the bot's resolution, when the bot answered since the customer last wrote and no person took part.
_INSERT = f"""
    WITH inserted AS (
        INSERT INTO messages (session_id, sender, content, client_message_id, answer_lease_until)
        VALUES (:session_id, 'user', :content, :client_message_id, now() + make_interval(secs => :lease))
        ON CONFLICT DO NOTHING
        RETURNING id, created_at
    ),
    touched AS (
        UPDATE chat_sessions
        SET last_activity_at = now(), first_user_message_at = coalesce(first_user_message_at, now()),
            customer_last_at = now(),
            confirmed_at = CASE WHEN :helped AND handover_kind IS NULL AND bot_answered > 0
                                     AND last_answer_at >= coalesce(customer_last_at, '-infinity')
                                THEN now() ELSE confirmed_at END,
            returned_at = CASE WHEN returned_at IS NULL AND NOT :helped AND {_RESOLVED_SINCE} IS NOT NULL THEN now()
                               ELSE returned_at END,
            returned_after_seconds = CASE WHEN returned_at IS NULL AND NOT :helped
                                          THEN extract(epoch FROM now() - {_RESOLVED_SINCE})
                                          ELSE returned_after_seconds END,
            return_about = CASE WHEN returned_at IS NULL AND NOT :helped AND {_RESOLVED_SINCE} IS NOT NULL
                                THEN last_answer_about ELSE return_about END
        WHERE id = :session_id AND EXISTS (SELECT 1 FROM inserted) RETURNING id
    )
    SELECT i.id, i.created_at,
           ({_HISTORY.replace(":before", "i.id")}) AS history
    FROM inserted i
"""

_CLAIM = """
    UPDATE messages m SET answer_lease_until = now() + make_interval(secs => :lease)
    WHERE m.id = :message_id AND (m.answer_lease_until IS NULL OR m.answer_lease_until <= now())
      AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to_id = m.id)
    RETURNING m.id
"""

_STATE = """
    SELECT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to_id = m.id) AS replied,
           coalesce(m.answer_lease_until > now(), false) AS answering,
           ceil(extract(epoch FROM m.answer_lease_until - now()))::int AS lease_left
    FROM messages m WHERE m.id = :message_id
"""


@dataclass(frozen=True)
class PostTarget:
    """The locked session and, for a retried key, the message already stored under it."""

    state: ConversationState
    locale: str | None
    message_id: int | None
    content: str | None
    created_at: datetime | None
    replied: bool
    answering: bool
    # The shop's verified customer, for the model (customer_verified false: an anonymous visitor).
    customer_verified: bool = False
    customer_name: str | None = None
    customer_attributes: dict[str, str] | None = None
    customer_id: str | None = None
    customer_email: str | None = None


@dataclass(frozen=True)
class StoredUserMessage:
    id: int
    created_at: datetime
    history: list[dict[str, str | None]]


@dataclass(frozen=True)
class AnswerState:
    replied: bool
    answering: bool
    lease_left: int


def lock_session(
    conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str, client_message_id: str | None
) -> PostTarget | None:
    """Lock the session for this post and find a message stored under the same key; None if unauthorised."""
    row = prepared.fetch_one(
        conn,
        _FIND_FOR_POST,
        {"session_id": session_id, "token_hash": token_hash, "client_message_id": client_message_id},
    )
    if row is None:
        return None
    return PostTarget(
        row.state, row.locale, row.message_id, row.content, row.created_at, row.replied, row.answering,
        row.customer_verified, row.customer_name, row.customer_attributes, row.customer_id, row.customer_email,
    )  # fmt: skip


def insert_user_message(
    conn: sa.Connection,
    *,
    session_id: uuid.UUID,
    content: str,
    client_message_id: str | None,
    lease_seconds: float,
    helped: bool = False,
) -> StoredUserMessage | None:
    """Store a user's message with an answer lease and return it with the conversation before it.

    `helped`: the message says the bot's answer helped. None when another post already stored a
    message under the same `client_message_id`.
    """
    row = prepared.fetch_one(
        conn,
        _INSERT,
        {
            "session_id": session_id,
            "content": content,
            "client_message_id": client_message_id,
            "lease": lease_seconds,
            "history_limit": HISTORY_MESSAGES,
            "helped": helped,
        },
    )
    return None if row is None else StoredUserMessage(row.id, row.created_at, row.history)


def claim_answer(conn: sa.Connection, *, message_id: int, lease_seconds: float) -> bool:
    """Take over answering a message whose earlier attempt stopped without a reply."""
    return prepared.fetch_one(conn, _CLAIM, {"message_id": message_id, "lease": lease_seconds}) is not None


def answer_state(conn: sa.Connection, *, message_id: int) -> AnswerState:
    """Whether a message has its reply, and whether someone is still writing it."""
    row = prepared.fetch_one(conn, _STATE, {"message_id": message_id})
    assert row is not None
    return AnswerState(row.replied, row.answering, row.lease_left or 0)


def history_before(conn: sa.Connection, *, session_id: uuid.UUID, message_id: int) -> list[dict[str, str | None]]:
    """The last messages of the conversation before `message_id`, oldest first."""
    rows = prepared.fetch(
        conn, _HISTORY, {"session_id": session_id, "before": message_id, "history_limit": HISTORY_MESSAGES}
    )
    return list(rows[0][0]) if rows else []


def release_answer(conn: sa.Connection, *, message_id: int) -> None:
    """End the lease of a message whose answer failed, unless its reply got stored."""
    conn.execute(
        sa.text("UPDATE messages SET answer_lease_until = NULL WHERE id = :id AND answer_lease_until IS NOT NULL"),
        {"id": message_id},
    )


def renew_answer(conn: sa.Connection, *, message_id: int, lease_seconds: float) -> None:
    """Extend the lease of a message still being answered."""
    conn.execute(
        sa.text(
            "UPDATE messages SET answer_lease_until = now() + make_interval(secs => :lease) "
            "WHERE id = :id AND answer_lease_until IS NOT NULL"
        ),
        {"id": message_id, "lease": lease_seconds},
    )
