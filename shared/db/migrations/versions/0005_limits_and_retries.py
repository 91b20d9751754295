"""abuse-limit counters and answer leases

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

`rate_counters` holds one fixed-window counter per (key, window): session creations per
client address, messages per session, model tokens per session and for the whole deployment.
It is UNLOGGED: counters need no crash safety, and skipping the WAL keeps each request's
limiter write cheap. `messages.answer_lease_until` marks a user message whose reply is being
written, so a retry waits for that answer instead of asking the model again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start"),
        prefixes=["UNLOGGED"],
    )
    op.create_index("rate_counters_expires_idx", "rate_counters", ["expires_at"])
    op.add_column("messages", sa.Column("answer_lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("messages", "answer_lease_until")
    op.drop_index("rate_counters_expires_idx", table_name="rate_counters")
    op.drop_table("rate_counters")
