"""per-conversation counters of unanswered questions and model tokens, for the console's metrics

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

The metrics read every conversation started in a range. Reading their bot replies' JSON details
as well took 150 ms over 90 days of a busy shop; three counters on the conversation, kept by the
statement that stores each reply and carried by the covering index, make the whole read one
index-only scan. The bot-reply index they replace is dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COUNTERS = ("bot_unanswered", "model_input_tokens", "model_output_tokens")


def upgrade() -> None:
    op.add_column("chat_sessions", sa.Column("bot_unanswered", sa.Integer(), server_default="0", nullable=False))
    op.add_column("chat_sessions", sa.Column("model_input_tokens", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column(
        "chat_sessions", sa.Column("model_output_tokens", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.execute("""
        UPDATE chat_sessions s
        SET bot_unanswered = m.unanswered, model_input_tokens = m.input_tokens, model_output_tokens = m.output_tokens
        FROM (
            SELECT session_id,
                   count(*) FILTER (WHERE details->>'decision' = 'not_covered') AS unanswered,
                   coalesce(sum((details->'usage'->>'input_tokens')::bigint), 0) AS input_tokens,
                   coalesce(sum((details->'usage'->>'output_tokens')::bigint), 0) AS output_tokens
            FROM messages WHERE sender = 'bot' GROUP BY session_id
        ) m
        WHERE m.session_id = s.id
    """)
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index(["id", "handover_kind", "waiting_since", "first_human_reply_at", "resolved_at", *_COUNTERS])
    op.drop_index("messages_bot_created_idx", table_name="messages")


def downgrade() -> None:
    op.create_index("messages_bot_created_idx", "messages", ["created_at"], postgresql_where=sa.text("sender = 'bot'"))
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index(["handover_kind", "waiting_since", "first_human_reply_at", "resolved_at"])
    for column in reversed(_COUNTERS):
        op.drop_column("chat_sessions", column)


def _written_index(included: list[str]) -> None:
    op.create_index(
        "chat_sessions_written_idx",
        "chat_sessions",
        ["created_at"],
        postgresql_include=included,
        postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
    )
