"""The schema: chat sessions, their messages and summaries, and the knowledge base."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SESSION_STATES = ("bot", "waiting", "assigned", "resolved")
SENDERS = ("user", "bot", "agent", "system")


class Base(DeclarativeBase):
    pass


def _now() -> sa.TextClause:
    return sa.text("now()")


class ChatSession(Base):
    __tablename__ = "chat_sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16), server_default="bot")
    handover_reason: Mapped[str | None] = mapped_column(sa.Text)
    handover_kind: Mapped[str | None] = mapped_column(sa.String(24))
    waiting_since: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    # The first-response measurement: from the latest handover (kept after a hand-back, unlike
    # waiting_since) to the first agent reply after it.
    handover_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    first_human_reply_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    contact_email: Mapped[str | None] = mapped_column(sa.Text)
    first_user_message_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Kept by the statement that stores each bot reply, so the metrics never read the replies themselves.
    bot_unanswered: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    model_input_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    model_output_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    # Degraded bot replies by reason ({"budget": 2, "model": 1}).
    degraded_replies: Mapped[dict[str, int]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    # The newest message the widget has read: an agent reply it has not read a minute later goes by e-mail.
    last_seen_message_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    locale: Mapped[str | None] = mapped_column(sa.String(35))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
    last_activity_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (
        sa.CheckConstraint(f"state IN {SESSION_STATES}", name="chat_sessions_state_valid"),
        sa.Index("chat_sessions_last_activity_idx", "last_activity_at"),
        sa.Index("chat_sessions_state_activity_idx", "state", sa.text("last_activity_at DESC")),
        sa.Index("chat_sessions_waiting_idx", "waiting_since", postgresql_where=sa.text("state = 'waiting'")),
        sa.Index("chat_sessions_assignee_idx", "assignee_id", "state"),
        sa.Index(
            "chat_sessions_written_idx",
            "created_at",
            postgresql_include=[
                "id",
                "handover_kind",
                "waiting_since",
                "first_human_reply_at",
                "resolved_at",
                "bot_unanswered",
                "model_input_tokens",
                "model_output_tokens",
                "handover_started_at",
                "degraded_replies",
            ],
            postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
        ),
        sa.Index(
            "chat_sessions_open_activity_idx",
            sa.text("last_activity_at DESC"),
            "id",
            postgresql_where=sa.text("state IN ('waiting', 'assigned')"),
        ),
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(sa.String(16))
    content: Mapped[str] = mapped_column(sa.Text)
    client_message_id: Mapped[str | None] = mapped_column(sa.String(64))
    reply_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    sources: Mapped[list[Any]] = mapped_column(JSONB, server_default=sa.text("'[]'::jsonb"))
    suggested_actions: Mapped[list[Any]] = mapped_column(JSONB, server_default=sa.text("'[]'::jsonb"))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    # An agent's note for colleagues: never shown to the customer.
    internal: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
    # Set while the reply to this user message is being written: a retry waits rather than answering twice.
    answer_lease_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(f"sender IN {SENDERS}", name="messages_sender_valid"),
        sa.UniqueConstraint("session_id", "client_message_id", name="messages_client_id_unique"),
        sa.Index("messages_session_order_idx", "session_id", "id"),
        sa.Index(
            "messages_agent_replies_idx", "created_at", postgresql_where=sa.text("sender = 'agent' AND NOT internal")
        ),
        sa.Index(
            "messages_content_trgm_idx", "content", postgresql_using="gin", postgresql_ops={"content": "gin_trgm_ops"}
        ),
    )


class SessionSummary(Base):
    __tablename__ = "session_summaries"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())


class CustomerSummary(Base):
    """The summary a customer asked for: only what they saw, nothing written for the agents."""

    __tablename__ = "customer_summaries"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())


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
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
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
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())


class VocabularyWord(Base):
    """Every word of the knowledge base, for correcting typos in queries."""

    __tablename__ = "kb_vocabulary"

    word: Mapped[str] = mapped_column(sa.Text, primary_key=True)

    __table_args__ = (
        sa.Index("kb_vocabulary_trgm_idx", "word", postgresql_using="gist", postgresql_ops={"word": "gist_trgm_ops"}),
    )


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


class MessageFeedback(Base):
    """A customer's thumbs up or down on one bot reply (the latest rating wins)."""

    __tablename__ = "message_feedback"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    rating: Mapped[str] = mapped_column(sa.String(8))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (
        sa.CheckConstraint("rating IN ('up', 'down')", name="message_feedback_rating_valid"),
        sa.Index("message_feedback_session_idx", "session_id"),
    )


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


class RateCounter(Base):
    """The sliding-window counts of one abuse limit or token budget (an UNLOGGED table)."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    window_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    count: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    previous: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("rate_counters_expires_idx", "expires_at"), {"prefixes": ["UNLOGGED"]})


class Operator(Base):
    """A person of the support team: an agent, or an admin who also manages operators."""

    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")
    )
    email: Mapped[str] = mapped_column(sa.Text)
    display_name: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (
        sa.CheckConstraint("role IN ('agent', 'admin')", name="operators_role_valid"),
        sa.Index("operators_email_idx", sa.text("lower(email)"), unique=True),
    )


class OperatorToken(Base):
    """A signed-in operator's opaque token, stored only as its hash."""

    __tablename__ = "operator_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("operator_tokens_operator_idx", "operator_id"),)


class OperatorIdempotency(Base):
    """An operator's `Idempotency-Key`: the request it was first sent with and, once answered, that answer."""

    __tablename__ = "operator_idempotency"

    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[int | None] = mapped_column(sa.SmallInteger)
    body: Mapped[Any | None] = mapped_column(JSONB)
    # The claim of the request answering it; once past, a retry may answer (the first one died).
    locked_until: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # The answer may quote the conversation it acted on: erasing the conversation erases it.
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))

    __table_args__ = (
        sa.Index("operator_idempotency_expires_idx", "expires_at"),
        sa.Index("operator_idempotency_conversation_idx", "conversation_id"),
    )


class OperatorAudit(Base):
    """Who changed an operator's role or removed them, and when."""

    __tablename__ = "operator_audit"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(32))
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (sa.Index("operator_audit_operator_idx", "operator_id", "id"),)


class ConversationEvent(Base):
    """One change of a conversation's state, with why and by whom."""

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    from_state: Mapped[str] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    event: Mapped[str] = mapped_column(sa.String(24))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("operators.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (sa.Index("conversation_events_session_idx", "session_id", "id"),)


class OperatorRead(Base):
    """How far an operator has read a conversation (for unread counts)."""

    __tablename__ = "operator_reads"

    operator_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_message_id: Mapped[int] = mapped_column(sa.BigInteger)


class CsatRating(Base):
    """The customer's 1-5 rating of a resolved conversation, with an optional comment."""

    __tablename__ = "csat_ratings"

    session_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="csat_ratings_rating_valid"),
        sa.Index("csat_ratings_created_idx", "created_at"),
    )


class OutboxMessage(Base):
    """A notification written with the change it announces, delivered (and retried) afterwards."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    # The agent reply an e-mail carries (one e-mail per reply).
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
    attempts: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.Index("outbox_due_idx", "next_attempt_at", postgresql_where=sa.text("delivered_at IS NULL")),
        sa.Index("outbox_message_idx", "kind", "message_id", unique=True),
    )


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
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())


class KnowledgeAudit(Base):
    """Who did what to the knowledge base, and when: one row per save, retirement, import or review."""

    __tablename__ = "kb_audit"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(always=True), primary_key=True)
    actor: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.String(32))
    entry_id: Mapped[str | None] = mapped_column(sa.String(128))
    version: Mapped[int | None] = mapped_column(sa.Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sa.text("'{}'::jsonb"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (sa.Index("kb_audit_entry_idx", "entry_id", "id"),)


class ReplySource(Base):
    """An entry version a bot reply used; listed for review once the entry has moved on."""

    __tablename__ = "reply_sources"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    version: Mapped[int] = mapped_column(sa.Integer)
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
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())

    __table_args__ = (sa.Index("kb_cases_source_idx", "source_message_id", unique=True),)


class DismissedGap(Base):
    """A question the team looked at and chose not to act on: it leaves the gaps list."""

    __tablename__ = "kb_gap_dismissals"

    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=_now())


class ModelUsageHour(Base):
    """Tokens of model calls that belong to no conversation (drafts, gap grouping, embeddings), per hour."""

    __tablename__ = "model_usage_hourly"

    hour: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), primary_key=True)
    input_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    # Thinking tokens are billed as output: they are in output_tokens, and also counted apart.
    output_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    thinking_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    calls: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
