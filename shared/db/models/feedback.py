"""What customers thought: a thumbs up or down on a reply, a rating of the conversation."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class MessageFeedback(Base):
    """A customer's thumbs up or down on one bot reply (the latest rating wins)."""

    __tablename__ = "message_feedback"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    rating: Mapped[str] = mapped_column(sa.String(8))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint("rating IN ('up', 'down')", name="message_feedback_rating_valid"),
        sa.Index("message_feedback_session_idx", "session_id"),
    )


class CsatRating(Base):
    """The customer's 1-5 rating of a resolved conversation, with an optional comment."""

    __tablename__ = "csat_ratings"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="csat_ratings_rating_valid"),
        sa.Index("csat_ratings_created_idx", "created_at"),
    )
