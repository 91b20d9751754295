"""The audit of customers' data exports and erasures: who, which conversations, when, how many rows."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class PrivacyAudit(Base):
    """One export or erasure of a customer's data: the row that remains once their conversations are gone."""

    __tablename__ = "privacy_audit"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(16))  # export, erase
    scope: Mapped[str] = mapped_column(sa.String(16))  # conversation; customer (all of a verified customer's)
    session_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), server_default="{}")
    actor: Mapped[str] = mapped_column(sa.String(16))  # customer (their own token), operator (an admin)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    # Rows read or removed, by kind ({"messages": 12, "outbox": 3, ...}).
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (
        sa.CheckConstraint("action IN ('export', 'erase')", name="privacy_audit_action_valid"),
        sa.CheckConstraint("scope IN ('conversation', 'customer')", name="privacy_audit_scope_valid"),
        sa.CheckConstraint("actor IN ('customer', 'operator')", name="privacy_audit_actor_valid"),
        sa.Index("privacy_audit_created_idx", "created_at"),
    )
