"""Persistence of sessions, messages and summaries; each function is one atomic statement or a short read."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from shared.auth.identity import VerifiedCustomer
from shared.db import prepared
from shared.handover.states import State
from shared.schemas.public import Sender

_STORE_REPLY = """
    WITH reply AS (
        INSERT INTO messages (session_id, sender, content, reply_to_id, sources, suggested_actions, details)
        VALUES (:session_id, 'bot', :content, :reply_to_id, CAST(:sources AS jsonb),
                CAST(:suggested_actions AS jsonb), CAST(:details AS jsonb))
        ON CONFLICT (reply_to_id) DO NOTHING
        RETURNING id, created_at
    ),
    stored AS (  -- n = 0, outcome and about NULL when this reply was stored before
        SELECT count(*) AS n, CASE WHEN count(*) = 1 THEN CAST(:outcome AS text) END AS outcome,
               CASE WHEN count(*) = 1 THEN CAST(:about AS text) END AS about
        FROM reply
    ),
    session AS (
        UPDATE chat_sessions
        SET last_activity_at = now(),
            bot_unanswered = bot_unanswered + :unanswered * (SELECT n FROM stored),
            model_input_tokens = model_input_tokens + :input_tokens * (SELECT n FROM stored),
            model_output_tokens = model_output_tokens + :output_tokens * (SELECT n FROM stored),
            bot_answered = bot_answered + (stored.outcome IS NOT DISTINCT FROM 'answered')::int,
            bot_suggested = bot_suggested + (stored.outcome IS NOT DISTINCT FROM 'suggested')::int,
            bot_unknown = bot_unknown + (stored.outcome IS NOT DISTINCT FROM 'unknown')::int,
            topic = coalesce(topic, stored.about),
            last_answer_at = CASE WHEN stored.outcome = 'answered' THEN now() ELSE last_answer_at END,
            last_answer_about = CASE WHEN stored.outcome = 'answered' THEN stored.about ELSE last_answer_about END,
            -- A return the bot answers from another entry is a new question: the resolution stands.
            returned_at = CASE WHEN return_about <> stored.about THEN NULL ELSE returned_at END,
            returned_after_seconds = CASE WHEN return_about <> stored.about THEN NULL ELSE returned_after_seconds END,
            return_about = CASE WHEN stored.n = 1 THEN NULL ELSE return_about END,
            degraded_replies = CASE WHEN CAST(:degraded_reason AS text) IS NULL OR (SELECT n FROM stored) = 0
                                    THEN degraded_replies
                                    ELSE jsonb_set(degraded_replies, ARRAY[CAST(:degraded_reason AS text)], to_jsonb(
                                        coalesce((degraded_replies->>CAST(:degraded_reason AS text))::int, 0) + 1))
                               END
        FROM stored
        WHERE id = :session_id RETURNING chat_sessions.id, state, assignee_id, contact_email, handover_reason
    ),
    -- Which version of each entry the reply used, for review when the entry changes; for a
    -- help-center passage, its document and the document's content hash now (a sync replaces passages).
    pins AS (
        INSERT INTO reply_sources (message_id, entry_id, version, document_id, content_hash)
        SELECT reply.id, p.entry_id, p.version, d.id, d.content_hash
        FROM reply
        CROSS JOIN unnest(CAST(:pin_entries AS text[]), CAST(:pin_versions AS integer[])) AS p(entry_id, version)
        LEFT JOIN passages ps
          ON ps.id = CASE WHEN p.entry_id LIKE 'passage:%' THEN CAST(substr(p.entry_id, 9) AS bigint) END
        LEFT JOIN documents d ON d.id = ps.document_id
    )
    SELECT reply.id AS reply_id, reply.created_at, session.state, o.display_name AS agent, session.contact_email,
           session.handover_reason
    FROM session LEFT JOIN reply ON true LEFT JOIN operators o ON o.id = session.assignee_id
"""

# What the widget is told about a conversation: its state and the agent who owns it.
SESSION_STATE = """
    SELECT s.state, o.display_name AS agent, s.contact_email, s.handover_reason
    FROM chat_sessions s LEFT JOIN operators o ON o.id = s.assignee_id
    WHERE s.id = :session_id
"""

_MESSAGE_COLUMNS = (
    "m.id, m.sender, m.content, m.created_at, m.client_message_id, m.reply_to_id, m.sources, m.suggested_actions,"
    " m.details, m.internal, o.display_name AS author"
)
_MESSAGES = "messages m LEFT JOIN operators o ON o.id = m.operator_id"


@dataclass(frozen=True)
class StoredSession:
    id: uuid.UUID
    created_at: datetime


@dataclass(frozen=True)
class SessionRow:
    """A session as its customer may see it, with their own summary (never the agents')."""

    id: uuid.UUID
    state: State
    handover_reason: str | None
    agent: str | None
    contact_email: str | None
    locale: str | None
    summary: str | None


@dataclass(frozen=True)
class SessionStateRow:
    """The conversation as SESSION_STATE reads it: its state and the agent who owns it."""

    state: State
    agent: str | None
    contact_email: str | None
    handover_reason: str | None


@dataclass(frozen=True)
class MessageRow:
    """A stored message (_MESSAGE_COLUMNS), with its agent's display name as `author`."""

    id: int
    sender: Sender
    content: str
    created_at: datetime
    client_message_id: str | None
    reply_to_id: int | None
    sources: list[dict[str, Any]]
    suggested_actions: list[str]
    details: dict[str, Any]
    internal: bool
    author: str | None


@dataclass(frozen=True)
class NumberedMessageRow(MessageRow):
    """A message with its position in the conversation and the conversation's total."""

    position: int
    total: int


@dataclass(frozen=True)
class StoredSummary:
    session_id: uuid.UUID
    content: str
    updated_at: datetime


def _message(row: Sequence[Any] | None) -> MessageRow | None:
    return MessageRow(*row) if row is not None else None


def _summary(row: Sequence[Any] | None) -> StoredSummary | None:
    return StoredSummary(*row) if row is not None else None


@dataclass(frozen=True)
class ReplyToStore:
    content: str
    sources: list[dict[str, Any]]
    suggested_actions: list[str]
    details: dict[str, Any]
    pins: dict[str, int] = field(default_factory=dict)  # the version of each entry it used, by entry id


def create_session(
    conn: sa.Connection,
    *,
    token_hash: str,
    locale: str | None,
    attributes: dict[str, str],
    customer: VerifiedCustomer | None = None,
) -> StoredSession:
    """Insert a new session (belonging to `customer` when verified) and return its id and creation time."""
    row = conn.execute(
        sa.text("""
            INSERT INTO chat_sessions (id, token_hash, locale, attributes, customer_id, customer_verified,
                                       customer_name, customer_email, customer_locale, customer_attributes,
                                       identified_at)
            VALUES (:id, :token_hash, :locale, CAST(:attributes AS jsonb), :customer_id,
                    CAST(:customer_id AS text) IS NOT NULL, :customer_name, :customer_email, :customer_locale,
                    CAST(:customer_attributes AS jsonb),
                    CASE WHEN CAST(:customer_id AS text) IS NOT NULL THEN now() END)
            RETURNING id, created_at
        """),
        {
            "id": uuid.uuid4(),
            "token_hash": token_hash,
            "locale": locale,
            "attributes": json.dumps(attributes),
            **customer_columns(customer),
        },
    ).one()
    return StoredSession(*row)


def customer_columns(customer: VerifiedCustomer | None) -> dict[str, Any]:
    """The customer_* parameters of a statement that stores who the customer is (all NULL: anonymous)."""
    return {
        "customer_id": customer.customer_id if customer else None,
        "customer_name": customer.name if customer else None,
        "customer_email": customer.email if customer else None,
        "customer_locale": customer.locale if customer else None,
        "customer_attributes": json.dumps(customer.attributes if customer else {}),
    }


def find_session(conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str) -> SessionRow | None:
    """The session with the customer's own summary (never the agents'), when the token matches; None otherwise."""
    row = prepared.fetch_one(
        conn,
        """
        SELECT s.id, s.state, s.handover_reason, o.display_name AS agent, s.contact_email, s.locale,
               cs.content AS summary
        FROM chat_sessions s LEFT JOIN customer_summaries cs ON cs.session_id = s.id
        LEFT JOIN operators o ON o.id = s.assignee_id
        WHERE s.id = :session_id AND s.token_hash = :token_hash
        """,
        {"session_id": session_id, "token_hash": token_hash},
    )
    return SessionRow(*row) if row is not None else None


@dataclass(frozen=True)
class StoredReply:
    id: int
    created_at: datetime
    is_new: bool
    session: SessionStateRow | None = None  # when new: the conversation after this reply


def session_state(conn: sa.Connection, *, session_id: uuid.UUID) -> SessionStateRow | None:
    """The conversation's state and its agent's display name; None if there is no such conversation."""
    row = prepared.fetch_one(conn, SESSION_STATE, {"session_id": session_id})
    return SessionStateRow(*row) if row is not None else None


def store_reply(conn: sa.Connection, *, session_id: uuid.UUID, reply_to_id: int, reply: ReplyToStore) -> StoredReply:
    """Store the bot's reply to a user message (once) with its version pins, in one statement."""
    row = prepared.fetch_one(
        conn,
        _STORE_REPLY,
        {
            "session_id": session_id,
            "reply_to_id": reply_to_id,
            "content": reply.content,
            "sources": json.dumps(reply.sources),
            "suggested_actions": json.dumps(reply.suggested_actions),
            "details": json.dumps(reply.details),
            "pin_entries": list(reply.pins),
            "pin_versions": list(reply.pins.values()),
            **_counted(reply.details),
        },
    )
    assert row is not None  # the session exists: its user message was just stored
    if row.reply_id is not None:
        session = SessionStateRow(row.state, row.agent, row.contact_email, row.handover_reason)
        return StoredReply(row.reply_id, row.created_at, is_new=True, session=session)
    existing = conn.execute(
        sa.text("SELECT id, created_at FROM messages WHERE reply_to_id = :id"), {"id": reply_to_id}
    ).one()
    return StoredReply(existing.id, existing.created_at, is_new=False)


def _counted(details: dict[str, Any]) -> dict[str, int | str | None]:
    """What a reply adds to its conversation: its outcome and entry, an unanswered question, tokens, degradation."""
    usage = details.get("usage") or {}
    outcome = details.get("outcome")
    about = details.get("about") or [None]
    return {
        "outcome": outcome,
        "about": about[0],
        "unanswered": int(outcome in ("suggested", "unknown") if outcome else details.get("decision") == "not_covered"),
        "input_tokens": int(usage.get("input_tokens") or 0),
        "output_tokens": int(usage.get("output_tokens") or 0),
        "degraded_reason": degraded_reason(details),
    }


def degraded_reason(details: dict[str, Any]) -> str | None:
    """Why a reply was answered without the model: its `degraded_reason` ("budget"), else "guarded" or "model"."""
    if not details.get("degraded"):
        return None
    return str(details.get("degraded_reason") or ("guarded" if details.get("guarded") else "model"))


def messages_by_id(conn: sa.Connection, ids: list[int]) -> dict[int, MessageRow]:
    """Messages keyed by id."""
    rows = conn.execute(sa.text(f"SELECT {_MESSAGE_COLUMNS} FROM {_MESSAGES} WHERE m.id = ANY(:ids)"), {"ids": ids})
    return {row.id: MessageRow(*row) for row in rows}


def reply_to(conn: sa.Connection, *, message_id: int) -> MessageRow | None:
    """The bot's reply to a user message, if stored."""
    return _message(
        conn.execute(
            sa.text(f"SELECT {_MESSAGE_COLUMNS} FROM {_MESSAGES} WHERE m.reply_to_id = :id"), {"id": message_id}
        ).first()
    )


def list_messages(conn: sa.Connection, *, session_id: uuid.UUID, after: int | None, limit: int) -> list[MessageRow]:
    """A session's messages in order, after the cursor."""
    rows = prepared.fetch(
        conn,
        f"SELECT {_MESSAGE_COLUMNS} FROM {_MESSAGES}"
        " WHERE m.session_id = :session_id AND m.id > :after AND NOT m.internal ORDER BY m.id LIMIT :limit",
        {"session_id": session_id, "after": after or 0, "limit": limit},
    )
    return [MessageRow(*row) for row in rows]


def mark_seen(conn: sa.Connection, *, session_id: uuid.UUID, message_id: int) -> None:
    """The widget has read the conversation up to `message_id` (a reply it read is not e-mailed)."""
    conn.execute(
        sa.text("""
            UPDATE chat_sessions SET last_seen_message_id = :m
            WHERE id = :s AND coalesce(last_seen_message_id, 0) < :m
        """),
        {"s": session_id, "m": message_id},
    )


def save_summary(
    conn: sa.Connection, *, session_id: uuid.UUID, content: str, details: dict[str, Any]
) -> StoredSummary | None:
    """Store a session's summary, replacing any earlier one; None when the session was erased meanwhile."""
    # FOR KEY SHARE waits for a concurrent erasure, then finds no session instead of breaking the foreign key.
    row = conn.execute(
        sa.text("""
            INSERT INTO session_summaries (session_id, content, details)
            SELECT s.id, :content, CAST(:details AS jsonb) FROM chat_sessions s WHERE s.id = :session_id
            FOR KEY SHARE
            ON CONFLICT (session_id) DO UPDATE
                SET content = EXCLUDED.content, details = EXCLUDED.details, updated_at = now()
            RETURNING session_id, content, updated_at
        """),
        {"session_id": session_id, "content": content, "details": json.dumps(details)},
    ).first()
    return _summary(row)


def save_customer_summary(conn: sa.Connection, *, session_id: uuid.UUID, content: str) -> StoredSummary | None:
    """Store the summary the customer asked for, replacing theirs; None when the session was erased meanwhile."""
    row = conn.execute(
        sa.text("""
            INSERT INTO customer_summaries (session_id, content)
            SELECT s.id, :content FROM chat_sessions s WHERE s.id = :session_id
            FOR KEY SHARE
            ON CONFLICT (session_id) DO UPDATE SET content = EXCLUDED.content, updated_at = now()
            RETURNING session_id, content, updated_at
        """),
        {"session_id": session_id, "content": content},
    ).first()
    return _summary(row)


def summary_transcript(
    conn: sa.Connection, *, session_id: uuid.UUID, head: int, tail: int, middle: int
) -> list[NumberedMessageRow]:
    """The first `head` and last `tail` messages, and about `middle` customer messages spread over the rest.

    Each row has its `position` in the conversation and the conversation's `total`.
    """
    rows = conn.execute(
        sa.text(f"""
            WITH numbered AS (
                SELECT {_MESSAGE_COLUMNS},
                       row_number() OVER (ORDER BY m.id) AS position, count(*) OVER () AS total
                FROM {_MESSAGES} WHERE m.session_id = :session_id AND NOT m.internal
            )
            SELECT * FROM numbered
            WHERE position <= :head OR position > total - :tail
               OR (sender = 'user' AND mod(position, greatest(1, (total - :head - :tail) / :middle)) = 0)
            ORDER BY id
        """),
        {"session_id": session_id, "head": head, "tail": tail, "middle": max(middle, 1)},
    )
    return [NumberedMessageRow(*row) for row in rows]


def delete_session(conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str) -> bool:
    """Erase a session with all its messages and summary; False when unauthorised."""
    result = conn.execute(
        sa.text("DELETE FROM chat_sessions WHERE id = :session_id AND token_hash = :token_hash"),
        {"session_id": session_id, "token_hash": token_hash},
    )
    return result.rowcount == 1


def purge_idle_sessions(conn: sa.Connection, *, older_than_days: int, batch_size: int) -> int:
    """Erase up to `batch_size` sessions idle for more than `older_than_days`; returns how many."""
    result = conn.execute(
        sa.text("""
            WITH doomed AS (
                SELECT id FROM chat_sessions
                WHERE last_activity_at < now() - make_interval(days => :days)
                ORDER BY last_activity_at
                LIMIT :batch
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM chat_sessions s USING doomed WHERE s.id = doomed.id
        """),
        {"days": older_than_days, "batch": batch_size},
    )
    return int(result.rowcount)


def save_feedback(
    conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str, message_id: int, rating: str, comment: str | None
) -> str | None:
    """Record a rating of a bot message of this session; returns 'ok', 'not_bot' or None (unauthorised)."""
    row = conn.execute(
        sa.text("""
            WITH s AS (SELECT id FROM chat_sessions WHERE id = :session_id AND token_hash = :token_hash),
            target AS (
                SELECT m.id FROM messages m, s WHERE m.id = :message_id AND m.session_id = s.id AND m.sender = 'bot'
            ),
            saved AS (
                INSERT INTO message_feedback (message_id, session_id, rating, comment)
                SELECT target.id, :session_id, :rating, :comment FROM target
                ON CONFLICT (message_id) DO UPDATE
                    SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()
                RETURNING message_id
            ),
            -- A thumbs-up confirms the bot's resolution (none once a person took part); a thumbs-down undoes it.
            confirmed AS (
                UPDATE chat_sessions SET confirmed_at = CASE WHEN :rating = 'up' THEN coalesce(confirmed_at, now()) END
                WHERE id = :session_id AND handover_kind IS NULL AND EXISTS (SELECT 1 FROM saved)
            )
            SELECT EXISTS (SELECT 1 FROM s) AS authorised, EXISTS (SELECT 1 FROM saved) AS saved
        """),
        {
            "session_id": session_id,
            "token_hash": token_hash,
            "message_id": message_id,
            "rating": rating,
            "comment": comment,
        },
    ).one()
    if not row.authorised:
        return None
    return "ok" if row.saved else "not_bot"


def save_contact(conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str, email: str) -> bool:
    """Store the address the customer left for the answer; False when unauthorised."""
    result = conn.execute(
        sa.text("UPDATE chat_sessions SET contact_email = :e WHERE id = :s AND token_hash = :t"),
        {"e": email, "s": session_id, "t": token_hash},
    )
    return result.rowcount == 1


def save_csat(
    conn: sa.Connection, *, session_id: uuid.UUID, token_hash: str, rating: int, comment: str | None
) -> str | None:
    """Record the customer's rating of a resolved conversation: 'ok', 'not_resolved' or None (unauthorised)."""
    row = conn.execute(
        sa.text("""
            WITH s AS (SELECT id, resolved_at IS NOT NULL OR state = 'resolved' AS was_resolved
                       FROM chat_sessions WHERE id = :s AND token_hash = :t),
            saved AS (
                INSERT INTO csat_ratings (session_id, rating, comment)
                SELECT s.id, :rating, :comment FROM s WHERE s.was_resolved
                ON CONFLICT (session_id) DO UPDATE
                    SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, created_at = now()
                RETURNING session_id
            ),
            kept AS (UPDATE chat_sessions SET csat = :rating WHERE id = (SELECT session_id FROM saved))
            SELECT EXISTS (SELECT 1 FROM s) AS authorised, EXISTS (SELECT 1 FROM saved) AS saved
        """),
        {"s": session_id, "t": token_hash, "rating": rating, "comment": comment},
    ).one()
    if not row.authorised:
        return None
    return "ok" if row.saved else "not_resolved"
