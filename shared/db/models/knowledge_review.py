"""The knowledge base's history and review: versions, the audit, replies to review, regression cases, dismissed gaps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base, now


class EntryVersion(Base):
    """One saved state of a knowledge-base entry; a retired entry's last version says so."""

    __tablename__ = "kb_entry_versions"

    entry_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str] = mapped_column(sa.Text)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    examples: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    url: Mapped[str | None] = mapped_column(sa.Text)
    translations: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    retired: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
    # Who saved it: an operator's email, or "import" for the JSON file.
    author: Mapped[str] = mapped_column(sa.Text)
    changed: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())


class KnowledgeAudit(Base):
    """Who did what to the knowledge base, and when: one row per save, retirement, import or review."""

    __tablename__ = "kb_audit"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    actor: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.String(32))
    entry_id: Mapped[str | None] = mapped_column(sa.String(128))
    version: Mapped[int | None] = mapped_column(sa.Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (sa.Index("kb_audit_entry_idx", "entry_id", "id"),)


class ReplySource(Base):
    """An entry version a bot reply used; listed for review once the entry has moved on.

    For a help-center passage (`entry_id` "passage:<id>", version 0): its document and that
    document's content hash at the time of the reply, listed once the document changed, was
    retired or removed (0023).
    """

    __tablename__ = "reply_sources"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    document_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.Index(
            "reply_sources_unreviewed_idx", "entry_id", "version", postgresql_where=sa.text("reviewed_at IS NULL")
        ),
    )


class RegressionCase(Base):
    """A labelled customer question: the entries that must answer it, or none ("not covered")."""

    __tablename__ = "kb_cases"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    query: Mapped[str] = mapped_column(sa.Text)
    expected: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), server_default="{}")
    lang: Mapped[str] = mapped_column(sa.String(8), server_default="en")
    # The customer message it came from; an erased conversation leaves the approved case.
    source_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())

    __table_args__ = (sa.Index("kb_cases_source_idx", "source_message_id", unique=True),)


class DismissedGap(Base):
    """A question the team looked at and chose not to act on: it leaves the gaps list."""

    __tablename__ = "kb_gap_dismissals"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=now())
