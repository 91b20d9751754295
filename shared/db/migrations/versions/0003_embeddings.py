"""embeddings for hybrid retrieval

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Vectors of any dimension live in untyped `vector` columns, tagged with their model and size;
the knowledge-base sync creates one HNSW index per size in use (an index needs fixed dimensions).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import VECTOR

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_entries", sa.Column("embedding_model", sa.Text(), nullable=True))
    op.add_column("kb_entries", sa.Column("embedding_hash", sa.String(64), nullable=True))
    op.create_table(
        "kb_texts",
        sa.Column("entry_id", sa.String(128), sa.ForeignKey("kb_entries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("embedding", VECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "position"),
    )
    op.create_table(
        "kb_entry_vectors",
        sa.Column("entry_id", sa.String(128), sa.ForeignKey("kb_entries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("centroid", VECTOR(), nullable=False),
        sa.Column("weights", VECTOR(), nullable=True),
        sa.Column("bias", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("entry_id"),
    )


def downgrade() -> None:
    op.drop_table("kb_entry_vectors")
    op.drop_table("kb_texts")
    op.drop_column("kb_entries", "embedding_hash")
    op.drop_column("kb_entries", "embedding_model")
