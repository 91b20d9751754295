"""Conversations: sessions, their messages, summaries and recorded state changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now

SESSION_STATES = ("bot", "waiting", "assigned", "resolved")
SENDERS = ("user", "bot", "agent", "system")


class ChatSession(Base):
    __tablename__ = "chat_sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16), server_default="bot")
    handover_reason: Mapped[str | None] = mapped_column(sa.Text)
    handover_kind: Mapped[str | None] = mapped_column(sa.String(24))
    waiting_since: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    # The first-response measurement: from the latest handover (kept after a hand-back, unlike
    # waiting_since) to the first agent reply after it.
    handover_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    first_human_reply_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    contact_email: Mapped[str | None] = mapped_column(sa.Text)
    first_user_message_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Kept by the statement that stores each bot reply, so the metrics never read the replies themselves.
    bot_unanswered: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    model_input_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    model_output_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    # Degraded bot replies by reason ({"budget": 2, "model": 1}).
    degraded_replies: Mapped[dict[str, int]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    # The conversation's outcome facts, kept on write for the resolution figures (migration 0016 says each).
    bot_answered: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    bot_suggested: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    bot_unknown: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    topic: Mapped[str | None] = mapped_column(sa.Text)
    last_answer_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_answer_about: Mapped[str | None] = mapped_column(sa.Text)
    customer_last_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    returned_after_seconds: Mapped[float | None] = mapped_column(sa.Float)
    return_about: Mapped[str | None] = mapped_column(sa.Text)
    first_response_seconds: Mapped[float | None] = mapped_column(sa.Float)
    csat: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # The newest message the widget has read: an agent reply it has not read a minute later goes by e-mail.
    last_seen_message_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    locale: Mapped[str | None] = mapped_column(sa.String(35))
    # What the page sent, unsigned: shown as unverified.
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    # The shop's signed-in customer, from a verified identity token (migration 0019 says each).
    customer_id: Mapped[str | None] = mapped_column(sa.Text)
    customer_verified: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
    customer_name: Mapped[str | None] = mapped_column(sa.Text)
    customer_email: Mapped[str | None] = mapped_column(sa.Text)
    customer_locale: Mapped[str | None] = mapped_column(sa.String(35))
    customer_attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    identified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    last_activity_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint(f"state IN {SESSION_STATES}", name="chat_sessions_state_valid"),
        sa.Index("chat_sessions_last_activity_idx", "last_activity_at"),
        sa.Index("chat_sessions_state_activity_idx", "state", sa.text("last_activity_at DESC")),
        sa.Index("chat_sessions_waiting_idx", "waiting_since", postgresql_where=sa.text("state = 'waiting'")),
        sa.Index("chat_sessions_assignee_idx", "assignee_id", "state"),
        sa.Index(
            "chat_sessions_customer_idx",
            "customer_id",
            sa.text("last_activity_at DESC"),
            postgresql_where=sa.text("customer_id IS NOT NULL"),
        ),
        sa.Index(
            "chat_sessions_written_idx",
            "created_at",
            postgresql_include=[
                "id",
                "handover_kind",
                "waiting_since",
                "first_human_reply_at",
                "resolved_at",
                "bot_unanswered",
                "model_input_tokens",
                "model_output_tokens",
                "handover_started_at",
                "degraded_replies",
                "bot_answered",
                "bot_suggested",
                "bot_unknown",
                "topic",
                "last_answer_at",
                "customer_last_at",
                "confirmed_at",
                "returned_at",
                "returned_after_seconds",
                "first_response_seconds",
                "csat",
            ],
            postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
        ),
        sa.Index(
            "chat_sessions_degraded_idx",
            "created_at",
            postgresql_include=["degraded_replies"],
            postgresql_where=sa.text("first_user_message_at IS NOT NULL AND degraded_replies <> '{}'::jsonb"),
        ),
        sa.Index(
            "chat_sessions_open_activity_idx",
            sa.text("last_activity_at DESC"),
            "id",
            postgresql_where=sa.text("state IN ('waiting', 'assigned')"),
        ),
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(sa.String(16))
    content: Mapped[str] = mapped_column(sa.Text)
    client_message_id: Mapped[str | None] = mapped_column(sa.String(64))
    reply_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    sources: Mapped[list[Any]] = mapped_column(JSONB, server_default=sa.text("'[]'::jsonb"))
    suggested_actions: Mapped[list[Any]] = mapped_column(JSONB, server_default=sa.text("'[]'::jsonb"))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    # An agent's note for colleagues: never shown to the customer.
    internal: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
    # Set while the reply to this user message is being written: a retry waits rather than answering twice.
    answer_lease_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(f"sender IN {SENDERS}", name="messages_sender_valid"),
        sa.UniqueConstraint("session_id", "client_message_id", name="messages_client_id_unique"),
        sa.Index("messages_session_order_idx", "session_id", "id"),
        sa.Index(
            "messages_agent_replies_idx", "created_at", postgresql_where=sa.text("sender = 'agent' AND NOT internal")
        ),
        sa.Index(
            "messages_content_trgm_idx", "content", postgresql_using="gin", postgresql_ops={"content": "gin_trgm_ops"}
        ),
    )


class SessionSummary(Base):
    __tablename__ = "session_summaries"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())


class CustomerSummary(Base):
    """The summary a customer asked for: only what they saw, nothing written for the agents."""

    __tablename__ = "customer_summaries"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())


class ConversationEvent(Base):
    """One change of a conversation's state, with why and by whom."""

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    from_state: Mapped[str] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    event: Mapped[str] = mapped_column(sa.String(24))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (sa.Index("conversation_events_session_idx", "session_id", "id"),)
