"""The knowledge base as the bot answers from it: entries, calibration, and the lexical and vector indexes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class KnowledgeEntry(Base):
    __tablename__ = "kb_entries"

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str] = mapped_column(sa.Text)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    examples: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    url: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    search_vector: Mapped[Any] = mapped_column(TSVECTOR)
    match_text: Mapped[str] = mapped_column(sa.Text)
    # {"fr": {"question", "answer", "examples"}}: the entry in other languages (see knowledge/base.py).
    translations: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    embedding_model: Mapped[str | None] = mapped_column(sa.Text)
    embedding_hash: Mapped[str | None] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
    # The live version (kb_entry_versions), and the one the last file import wrote: a higher
    # live version means someone edited the entry in the console since that import.
    version: Mapped[int] = mapped_column(sa.Integer, server_default="1")
    imported_version: Mapped[int | None] = mapped_column(sa.Integer)


class RetrievalCalibration(Base):
    """The score from which an entry may answer, measured on this knowledge base at its last sync."""

    __tablename__ = "kb_calibration"

    # "lexical", or the embedder's model name for hybrid retrieval.
    mode: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    threshold: Mapped[float] = mapped_column(sa.Float)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())


class VocabularyWord(Base):
    """Every word of the knowledge base, for correcting typos in queries."""

    __tablename__ = "kb_vocabulary"

    word: Mapped[str] = mapped_column(sa.Text, primary_key=True)

    __table_args__ = (
        sa.Index("kb_vocabulary_trgm_idx", "word", postgresql_using="gist", postgresql_ops={"word": "gist_trgm_ops"}),
    )


class SpellingWord(Base):
    """A word of the entries or of the help center in one language, and how many entries or documents
    use it: what a customer's misspelt word is corrected to before the message is embedded
    (knowledge/spelling)."""

    __tablename__ = "kb_spelling"

    source: Mapped[str] = mapped_column(sa.String(16), primary_key=True)  # "entries" or "documents"
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    word: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    uses: Mapped[int] = mapped_column(sa.Integer)


class TermWeight(Base):
    """The BM25 weight of one lexeme in one entry (for lexical retrieval)."""

    __tablename__ = "kb_terms"

    lexeme: Mapped[str] = mapped_column(sa.Text)
    entry_id: Mapped[str] = mapped_column(sa.ForeignKey("kb_entries.id", ondelete="CASCADE"))
    weight: Mapped[float] = mapped_column(sa.Float)

    __table_args__ = (sa.PrimaryKeyConstraint("lexeme", "entry_id", postgresql_include=["weight"]),)


class Lexeme(Base):
    """How rare a lexeme is in the knowledge base: its idf over the largest possible idf."""

    __tablename__ = "kb_lexemes"

    lexeme: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    rarity: Mapped[float] = mapped_column(sa.Float)


class KnowledgeText(Base):
    """One embedded text of an entry: its question or one of its example phrasings."""

    __tablename__ = "kb_texts"

    entry_id: Mapped[str] = mapped_column(sa.ForeignKey("kb_entries.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    content: Mapped[str] = mapped_column(sa.Text)
    model: Mapped[str] = mapped_column(sa.Text)
    dims: Mapped[int] = mapped_column(sa.Integer)
    embedding: Mapped[Any] = mapped_column(VECTOR())


class EntryVectors(Base):
    """Per-entry vectors: the centroid of its texts and a classifier's weights learned from them."""

    __tablename__ = "kb_entry_vectors"

    entry_id: Mapped[str] = mapped_column(sa.ForeignKey("kb_entries.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(sa.Text)
    dims: Mapped[int] = mapped_column(sa.Integer)
    centroid: Mapped[Any] = mapped_column(VECTOR())
    weights: Mapped[Any | None] = mapped_column(VECTOR())
    bias: Mapped[float | None] = mapped_column(sa.Float)

    __table_args__ = (
        sa.Index("kb_entry_vectors_classifier_idx", "entry_id", postgresql_where=sa.text("weights IS NOT NULL")),
    )
