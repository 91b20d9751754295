"""model usage that belongs to no conversation, per hour, for the deployment's figures

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

Answers and summaries count their tokens on their conversation (chat_sessions' counters).
Knowledge-base drafts, gap grouping and embeddings at sync or after an edit belong to no
conversation: their tokens are summed per hour here, so the console's cost over any range can
add them, and nothing about a customer is kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_usage_hourly",
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("input_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("thinking_tokens", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("calls", sa.BigInteger(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_table("model_usage_hourly")
