"""Actions on the shop's API: the writes waiting for a customer's yes, and the record of every call."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now

ACTION_REQUEST_STATES = ("pending", "running", "done", "cancelled")
ACTORS = ("bot", "agent")


class ActionRequest(Base):
    """A write the bot proposed: it runs once, if the customer confirms it in time, in its own conversation."""

    __tablename__ = "action_requests"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.Text)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    summary: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), server_default="pending")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'done', 'cancelled')", name="action_requests_status_valid"
        ),
        sa.Index("action_requests_session_idx", "session_id"),
    )


class ActionCall(Base):
    """One call to the shop (by the bot or an agent): which action, how it went, how long it took.

    Never the arguments or the response: what the customer's order holds lives with the bot's
    message (and goes when the conversation goes); this row outlives it, for the metrics.
    """

    __tablename__ = "action_calls"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.Text)
    actor: Mapped[str] = mapped_column(sa.String(16))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(sa.String(24))  # ok, or why not (not_found, timeout, ...)
    http_status: Mapped[int | None] = mapped_column(sa.Integer)
    latency_ms: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint("actor IN ('bot', 'agent')", name="action_calls_actor_valid"),
        sa.Index("action_calls_created_idx", "created_at"),
        sa.Index("action_calls_session_idx", "session_id"),
    )
