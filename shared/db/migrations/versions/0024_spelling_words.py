"""kb_spelling: the knowledge base's words per language, for correcting a customer's typos

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

The entries' words are rewritten by every refresh of their lexical index (knowledge/lexical.py),
like kb_vocabulary, which keeps serving the lexical search's own correction; the help center's
by every refresh of the passages' term weights. `source` keeps the two apart, so an entry's edit
does not read every page again. A message is corrected towards the words of its own language
only, and among equally near words towards the one more entries and documents use.
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
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "language", "word"),
    )


def downgrade() -> None:
    op.drop_table("kb_spelling")
