"""knowledge-base entries in other languages, and each knowledge base's own answering threshold

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24

`kb_entries.translations` holds an entry's question, answer and phrasings in other languages.
`kb_calibration` holds, per retrieval mode, the score from which an entry may answer, measured
at sync on the knowledge base itself rather than fixed once on a public data set.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "kb_entries",
        sa.Column("translations", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
    )
    op.create_table(
        "kb_calibration",
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("details", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("mode"),
    )


def downgrade() -> None:
    op.drop_table("kb_calibration")
    op.drop_column("kb_entries", "translations")
