"""documents: the help center as knowledge (sources, documents, passages and their indexes)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08

- `knowledge_sources`: a sitemap URL, a page URL, a folder or a file, and how its last sync went.
- `documents`: each page or file of a source, with what a conditional fetch needs (ETag,
  Last-Modified), the hash of its extracted text, and its status (indexed, unchanged, failed with
  the reason, retired). A failed document keeps its last good passages.
- `passages`: a document split along its headings, each with its heading path, the anchor of its
  section, its sections' offsets, and a search vector in its language's text-search configuration.
- `passage_vectors`: one vector per passage and embedder model (HNSW indexes per size in use are
  made by the sync, as for entries); `passage_terms` and `passage_lexemes`: BM25 term weights, as
  kb_terms and kb_lexemes for entries.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.dialects import postgresql

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_sources",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("location", sa.Text(), nullable=False, unique=True),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), server_default="new", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('sitemap', 'page', 'folder', 'file')", name="knowledge_sources_kind_valid"),
        sa.CheckConstraint(
            "status IN ('new', 'synced', 'partial', 'failed')", name="knowledge_sources_status_valid"
        ),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column(
            "source_id", sa.BigInteger(), sa.ForeignKey("knowledge_sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("source_id", "location", name="documents_source_location_key"),
        sa.CheckConstraint(
            "status IN ('indexed', 'unchanged', 'failed', 'retired')", name="documents_status_valid"
        ),
    )
    op.create_table(
        "passages",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column(
            "document_id", sa.BigInteger(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading_path", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("anchor", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sections", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
    )
    op.create_index("passages_document_idx", "passages", ["document_id", "position"])
    op.create_table(
        "passage_vectors",
        sa.Column(
            "passage_id", sa.BigInteger(), sa.ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("model", sa.Text(), primary_key=True),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("embedding", VECTOR(), nullable=False),
    )
    op.create_table(
        "passage_terms",
        sa.Column("lexeme", sa.Text(), nullable=False),
        sa.Column("passage_id", sa.BigInteger(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        # The weight rides in the index, so a lexeme's postings are read by an index-only scan.
        sa.PrimaryKeyConstraint("lexeme", "passage_id", postgresql_include=["weight"]),
    )
    op.create_table(
        "passage_lexemes",
        sa.Column("lexeme", sa.Text(), primary_key=True),
        sa.Column("rarity", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    for table in ("passage_lexemes", "passage_terms", "passage_vectors", "passages", "documents", "knowledge_sources"):
        op.drop_table(table)
