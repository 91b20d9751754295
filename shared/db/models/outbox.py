"""The notifications outbox: what to deliver, written with the change it announces (delivered by db/outbox.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class OutboxMessage(Base):
    """A notification written with the change it announces, delivered (and retried) afterwards."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    # The agent reply an e-mail carries (one e-mail per reply).
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    attempts: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.Index("outbox_due_idx", "next_attempt_at", postgresql_where=sa.text("delivered_at IS NULL")),
        sa.Index("outbox_message_idx", "kind", "message_id", unique=True),
    )
