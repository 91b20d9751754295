"""the audit of customers' data exports and erasures

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

One row per export or erasure of a customer's data: who asked (the customer, with their
session's token, or an admin), which conversations, when, and how many rows of each kind it
read or removed. It never holds the customer's words or address: an erasure removes every
copy of those, and this row is what remains to show it was done.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("session_ids", postgresql.ARRAY(sa.Uuid()), server_default="{}", nullable=False),
        sa.Column("actor", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.Uuid(), sa.ForeignKey("operators.id", ondelete="SET NULL"), nullable=True),
        sa.Column("counts", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("action IN ('export', 'erase')", name="privacy_audit_action_valid"),
        sa.CheckConstraint("scope IN ('conversation', 'customer')", name="privacy_audit_scope_valid"),
        sa.CheckConstraint("actor IN ('customer', 'operator')", name="privacy_audit_actor_valid"),
    )
    op.create_index("privacy_audit_created_idx", "privacy_audit", ["created_at"])


def downgrade() -> None:
    op.drop_table("privacy_audit")
