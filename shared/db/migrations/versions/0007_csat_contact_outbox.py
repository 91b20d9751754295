"""customer satisfaction, a contact address, and the notifications outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

`csat_ratings` holds the customer's 1-5 rating of a resolved conversation. `contact_email` is
an address the customer left for the answer when the team was away (erased with the
conversation). `outbox` rows are written in the transaction that hands a conversation over
and delivered to webhooks afterwards, retried with backoff until they are. Two indexes serve
the console: bot replies by time (metrics) and message text by trigrams (search).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NOW = sa.text("now()")


def upgrade() -> None:
    op.add_column("chat_sessions", sa.Column("contact_email", sa.Text(), nullable=True))
    # When the customer first wrote: the metrics count conversations by it without reading messages.
    op.add_column("chat_sessions", sa.Column("first_user_message_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("""
        UPDATE chat_sessions s SET first_user_message_at = m.first
        FROM (SELECT session_id, min(created_at) AS first FROM messages WHERE sender = 'user' GROUP BY session_id) m
        WHERE m.session_id = s.id
    """)
    op.create_table(
        "csat_ratings",
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="csat_ratings_rating_valid"),
        sa.ForeignKeyConstraint(["session_id"], ["chat_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_index("csat_ratings_created_idx", "csat_ratings", ["created_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["chat_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("outbox_due_idx", "outbox", ["next_attempt_at"], postgresql_where=sa.text("delivered_at IS NULL"))
    op.create_index(
        "chat_sessions_written_idx",
        "chat_sessions",
        ["created_at"],
        postgresql_include=["handover_kind", "waiting_since", "first_human_reply_at", "resolved_at"],
        postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
    )
    op.create_index(
        "chat_sessions_open_activity_idx",
        "chat_sessions",
        [sa.text("last_activity_at DESC"), "id"],
        postgresql_where=sa.text("state IN ('waiting', 'assigned')"),
    )
    # The console's metrics read the bot's replies by time; its search finds words in any message.
    op.create_index("messages_bot_created_idx", "messages", ["created_at"], postgresql_where=sa.text("sender = 'bot'"))
    op.create_index(
        "messages_content_trgm_idx",
        "messages",
        ["content"],
        postgresql_using="gin",
        postgresql_ops={"content": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("messages_content_trgm_idx", table_name="messages")
    op.drop_index("messages_bot_created_idx", table_name="messages")
    op.drop_index("chat_sessions_open_activity_idx", table_name="chat_sessions")
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    op.drop_column("chat_sessions", "first_user_message_at")
    op.drop_index("outbox_due_idx", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("csat_ratings_created_idx", table_name="csat_ratings")
    op.drop_table("csat_ratings")
    op.drop_column("chat_sessions", "contact_email")
