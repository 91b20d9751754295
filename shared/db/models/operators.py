"""The support team: operators, their sign-in tokens, idempotency keys, the audit of changes, what they have read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class Operator(Base):
    """A person of the support team: an agent, or an admin who also manages operators."""

    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")
    )
    email: Mapped[str] = mapped_column(sa.Text)
    display_name: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint("role IN ('agent', 'admin')", name="operators_role_valid"),
        sa.Index("operators_email_idx", sa.text("lower(email)"), unique=True),
    )


class OperatorToken(Base):
    """A signed-in operator's opaque token, stored only as its hash."""

    __tablename__ = "operator_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("operator_tokens_operator_idx", "operator_id"),)


class OperatorIdempotency(Base):
    """An operator's `Idempotency-Key`: the request it was first sent with and, once answered, that answer."""

    __tablename__ = "operator_idempotency"

    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[int | None] = mapped_column(sa.SmallInteger)
    body: Mapped[Any | None] = mapped_column(JSONB)
    # The claim of the request answering it; once past, a retry may answer (the first one died).
    locked_until: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The answer may quote the conversation it acted on: erasing the conversation erases it.
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))

    __table_args__ = (
        sa.Index("operator_idempotency_expires_idx", "expires_at"),
        sa.Index("operator_idempotency_conversation_idx", "conversation_id"),
    )


class OperatorAudit(Base):
    """Who changed an operator's role or removed them, and when."""

    __tablename__ = "operator_audit"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (sa.Index("operator_audit_operator_idx", "operator_id", "id"),)


class OperatorRead(Base):
    """How far an operator has read a conversation (for unread counts)."""

    __tablename__ = "operator_reads"

    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_message_id: Mapped[int] = mapped_column(sa.BigInteger)
