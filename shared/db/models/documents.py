"""The help center as knowledge: sources, the documents found in them, their passages and the passages' indexes.

A source (a sitemap, a page, a folder or a file) holds documents; a document is split into
passages along its headings. Each passage is indexed like an entry: a search vector in its
language's text-search configuration, BM25 term weights computed from them, and one vector per
embedder model. Removing a source removes its documents, and a document its passages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now

SOURCE_KINDS = ("sitemap", "page", "folder", "file")
SOURCE_STATES = ("new", "synced", "partial", "failed", "unfinished")
DOCUMENT_STATES = ("indexed", "unchanged", "failed", "retired")


class KnowledgeSource(Base):
    """Where documents come from: a sitemap URL, a page URL, a folder or a file."""

    __tablename__ = "knowledge_sources"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    location: Mapped[str] = mapped_column(sa.Text, unique=True)
    added_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    last_synced_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # new (never synced), synced, partial (some documents failed), failed (nothing listed, or nothing read),
    # unfinished (a sync stopped at its deadline: the next scheduled sync takes it up).
    status: Mapped[str] = mapped_column(sa.String(16), server_default="new")
    error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.CheckConstraint("kind IN ('sitemap', 'page', 'folder', 'file')", name="knowledge_sources_kind_valid"),
        sa.CheckConstraint(
            "status IN ('new', 'synced', 'partial', 'failed', 'unfinished')", name="knowledge_sources_status_valid"
        ),
    )


class Document(Base):
    """One page or file of a source, as last fetched; its passages are its last good version."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("knowledge_sources.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(sa.Text)  # the page's URL or the file's path
    title: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # Of the extracted text and the chunking: equal hashes mean equal passages.
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    etag: Mapped[str | None] = mapped_column(sa.Text)
    last_modified: Mapped[str | None] = mapped_column(sa.Text)  # the server's Last-Modified, as sent
    fetched_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String(16))
    # "code: what happened", for a failure, or for what an indexed document left out (pages without text).
    error: Mapped[str | None] = mapped_column(sa.Text)
    failures: Mapped[int] = mapped_column(sa.Integer, server_default="0")  # failed syncs in a row
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("source_id", "location", name="documents_source_location_key"),
        sa.CheckConstraint("status IN ('indexed', 'unchanged', 'failed', 'retired')", name="documents_status_valid"),
    )


class Passage(Base):
    """A bounded piece of a document along its headings: what retrieval finds and an answer cites."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer)
    heading_path: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    anchor: Mapped[str | None] = mapped_column(sa.Text)  # the first section's: a fragment without '#'
    content: Mapped[str] = mapped_column(sa.Text)
    # Each section the passage holds: {"offset", "heading_path", "anchor"}, offsets into `content`.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=sa.text("'[]'::jsonb"))
    language: Mapped[str] = mapped_column(sa.String(8))
    search_vector: Mapped[Any] = mapped_column(TSVECTOR)

    __table_args__ = (sa.Index("passages_document_idx", "document_id", "position"),)


class PassageVector(Base):
    """A passage's vector from one embedder model (its headings and text embedded together)."""

    __tablename__ = "passage_vectors"

    passage_id: Mapped[int] = mapped_column(sa.ForeignKey("passages.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    dims: Mapped[int] = mapped_column(sa.Integer)
    embedding: Mapped[Any] = mapped_column(VECTOR())


class PassageTerm(Base):
    """The BM25 weight of one lexeme in one passage (as kb_terms for entries).

    Rebuilt from all passages after every sync that changed one. No foreign key: deleting a
    document's passages would otherwise search this table (with no index on passage_id) for each.
    """

    __tablename__ = "passage_terms"

    lexeme: Mapped[str] = mapped_column(sa.Text)
    passage_id: Mapped[int] = mapped_column(sa.BigInteger)
    weight: Mapped[float] = mapped_column(sa.Float)

    __table_args__ = (sa.PrimaryKeyConstraint("lexeme", "passage_id", postgresql_include=["weight"]),)


class PassageLexeme(Base):
    """How rare a lexeme is among the passages: its idf over the largest possible idf."""

    __tablename__ = "passage_lexemes"

    lexeme: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    rarity: Mapped[float] = mapped_column(sa.Float)
