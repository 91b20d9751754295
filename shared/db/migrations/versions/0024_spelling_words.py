"""kb_spelling: the knowledge base's words per language, for correcting a customer's typos

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

Filled by every refresh of the lexical index (knowledge/lexical.py), like kb_vocabulary, which
keeps serving the lexical search's own correction. A message is corrected towards the words of
its own language only, and among equally near words towards the one more entries use.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_spelling",
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("language", "word"),
    )


def downgrade() -> None:
    op.drop_table("kb_spelling")
