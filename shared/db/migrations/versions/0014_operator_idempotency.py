"""operator idempotency and operator audit

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

`operator_idempotency` keeps, per operator and `Idempotency-Key`, the request's fingerprint and,
once answered, the answer it got, for a day: a retry replays that answer instead of acting again.
`locked_until` is the claim of the request answering it; a claim whose request died lapses.
A kept answer can quote the conversation it acted on: erasing the conversation erases it too.
`operator_audit` records who changed or removed whom in the team.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_idempotency",
        sa.Column("operator_id", sa.Uuid(), sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=True),
        sa.Column("body", postgresql.JSONB(), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("operator_idempotency_expires_idx", "operator_idempotency", ["expires_at"])
    op.create_index("operator_idempotency_conversation_idx", "operator_idempotency", ["conversation_id"])
    op.create_table(
        "operator_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("actor_id", sa.Uuid(), sa.ForeignKey("operators.id", ondelete="SET NULL"), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("operator_id", sa.Uuid(), sa.ForeignKey("operators.id", ondelete="SET NULL"), nullable=True),
        sa.Column("details", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("operator_audit_operator_idx", "operator_audit", ["operator_id", "id"])


def downgrade() -> None:
    op.drop_table("operator_audit")
    op.drop_table("operator_idempotency")
