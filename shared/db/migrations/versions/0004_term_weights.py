"""BM25 term weights for lexical retrieval

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

One row per (lexeme, entry) holding the term's BM25 weight in that entry, and one per lexeme
holding its rarity (idf scaled to at most 1), both computed by the knowledge-base sync, so a
query's lexical score is a sum over an index lookup per lexeme.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Retrieval reads term weights and the vocabulary now: no query searches these columns.
    op.drop_index("kb_entries_search_idx", table_name="kb_entries", postgresql_using="gin")
    op.drop_index("kb_entries_match_trgm_idx", table_name="kb_entries", postgresql_using="gin")
    # Typo correction asks for the nearest word by trigram distance: a GiST index answers that
    # directly, where the GIN index made Postgres scan the whole vocabulary for every word.
    op.drop_index("kb_vocabulary_trgm_idx", table_name="kb_vocabulary")
    op.create_index(
        "kb_vocabulary_trgm_idx",
        "kb_vocabulary",
        ["word"],
        postgresql_using="gist",
        postgresql_ops={"word": "gist_trgm_ops"},
    )
    # Past CLASSIFIER_MAX_ENTRIES no entry has classifier weights; without this index the
    # classifier's candidates came from reading every entry's vectors (335 ms at 100k entries).
    op.create_index(
        "kb_entry_vectors_classifier_idx",
        "kb_entry_vectors",
        ["entry_id"],
        postgresql_where=sa.text("weights IS NOT NULL"),
    )
    op.create_table(
        "kb_terms",
        sa.Column("lexeme", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.String(128), sa.ForeignKey("kb_entries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        # The weight rides in the index, so a lexeme's postings are read by an index-only scan.
        sa.PrimaryKeyConstraint("lexeme", "entry_id", postgresql_include=["weight"]),
    )
    op.create_table(
        "kb_lexemes",
        sa.Column("lexeme", sa.Text(), primary_key=True),
        sa.Column("rarity", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kb_lexemes")
    op.drop_table("kb_terms")
    op.drop_index("kb_entry_vectors_classifier_idx", table_name="kb_entry_vectors")
    op.create_index("kb_entries_search_idx", "kb_entries", ["search_vector"], postgresql_using="gin")
    op.create_index(
        "kb_entries_match_trgm_idx",
        "kb_entries",
        ["match_text"],
        postgresql_using="gin",
        postgresql_ops={"match_text": "gin_trgm_ops"},
    )
    op.drop_index("kb_vocabulary_trgm_idx", table_name="kb_vocabulary")
    op.create_index(
        "kb_vocabulary_trgm_idx",
        "kb_vocabulary",
        ["word"],
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    )
