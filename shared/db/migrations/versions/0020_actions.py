"""actions on the shop's own API: writes awaiting confirmation, and the record of every call

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

- `action_requests`: a write the bot proposed (cancelling an order, say). It runs once, when its
  own conversation confirms it before `expires_at`; `status` goes pending → running → done, or
  pending → cancelled. Its arguments are the customer's: the row goes with the conversation.
- `action_calls`: every call to the shop, by the bot or an agent, with its outcome, HTTP status and
  latency, for the metrics and the audit. It holds no arguments and no response, and keeps its
  row (with the conversation set to NULL) when the conversation is erased.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_requests",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("session_id", sa.Uuid(), sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("arguments", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), server_default="pending", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'done', 'cancelled')", name="action_requests_status_valid"
        ),
    )
    op.create_index("action_requests_session_idx", "action_requests", ["session_id"])
    op.create_table(
        "action_calls",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("session_id", sa.Uuid(), sa.ForeignKey("chat_sessions.id", ondelete="SET NULL"), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(16), nullable=False),
        sa.Column("operator_id", sa.Uuid(), sa.ForeignKey("operators.id", ondelete="SET NULL"), nullable=True),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("actor IN ('bot', 'agent')", name="action_calls_actor_valid"),
    )
    op.create_index("action_calls_created_idx", "action_calls", ["created_at"])
    op.create_index("action_calls_session_idx", "action_calls", ["session_id"])


def downgrade() -> None:
    op.drop_table("action_calls")
    op.drop_table("action_requests")
