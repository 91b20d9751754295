"""knowledge operations: entry versions and audit, pinned sources of replies, regression cases, gap dismissals

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24

Postgres becomes the knowledge base's home: every save is a row of `kb_entry_versions` and of
`kb_audit`; `kb_entries.version` is the live one. Existing entries start at version 1, recorded
as imported. `reply_sources` pins the entry versions each bot reply used, from now on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_entries", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("kb_entries", sa.Column("imported_version", sa.Integer(), nullable=True))
    op.create_table(
        "kb_entry_versions",
        sa.Column("entry_id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("examples", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("translations", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("changed", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.execute("""
        INSERT INTO kb_entry_versions (entry_id, version, question, answer, keywords, examples, url, translations,
                                       author, changed)
        SELECT id, 1, question, answer, keywords, examples, url, translations, 'import', '{}' FROM kb_entries
    """)
    op.execute("UPDATE kb_entries SET imported_version = 1")
    op.create_table(
        "kb_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entry_id", sa.String(128), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("details", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("kb_audit_entry_idx", "kb_audit", ["entry_id", "id"])
    op.create_table(
        "reply_sources",
        sa.Column(
            "message_id", sa.BigInteger(), sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("entry_id", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
    )
    op.create_index(
        "reply_sources_unreviewed_idx",
        "reply_sources",
        ["entry_id", "version"],
        postgresql_where=sa.text("reviewed_at IS NULL"),
    )
    op.create_table(
        "kb_cases",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("expected", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("lang", sa.String(8), server_default="en", nullable=False),
        sa.Column(
            "source_message_id", sa.BigInteger(), sa.ForeignKey("messages.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("kb_cases_source_idx", "kb_cases", ["source_message_id"], unique=True)
    op.create_table(
        "kb_gap_dismissals",
        sa.Column(
            "message_id", sa.BigInteger(), sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("dismissed_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )


def downgrade() -> None:
    for table in ("kb_gap_dismissals", "kb_cases", "reply_sources", "kb_audit", "kb_entry_versions"):
        op.drop_table(table)
    op.drop_column("kb_entries", "imported_version")
    op.drop_column("kb_entries", "version")
