"""first response per handover, degraded replies by reason, the customer's own summary, reply e-mails

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

- `handover_started_at` starts a first-response measurement at each handover (it survives a
  hand-back, which clears `waiting_since`), and `first_human_reply_at` becomes the first agent
  reply after it. Existing rows are measured again from their latest recorded handover (or
  `waiting_since` where none was recorded) to the first agent reply after it; before, a reply to
  an earlier handover could precede a later one and make the time negative.
- `degraded_replies` counts a conversation's degraded bot replies by reason, kept by the
  statement that stores each reply (like the other counters) and carried by the metrics index.
- `customer_summaries`: the summary a customer asks for, apart from the one written for agents.
- `last_seen_message_id`: the newest message the widget has read; an agent reply it has not read
  a minute later is e-mailed through the outbox, whose `message_id` makes each reply's e-mail unique.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_INCLUDED = [
    "id",
    "handover_kind",
    "waiting_since",
    "first_human_reply_at",
    "resolved_at",
    "bot_unanswered",
    "model_input_tokens",
    "model_output_tokens",
]


def upgrade() -> None:
    op.add_column("chat_sessions", sa.Column("handover_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "chat_sessions",
        sa.Column("degraded_replies", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
    )
    op.add_column("chat_sessions", sa.Column("last_seen_message_id", sa.BigInteger(), nullable=True))
    _measure_existing_handovers()
    _count_existing_degraded_replies()
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index([*_INCLUDED, "handover_started_at", "degraded_replies"])
    op.create_table(
        "customer_summaries",
        sa.Column(
            "session_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("chat_sessions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.add_column(
        "outbox",
        sa.Column("message_id", sa.BigInteger(), sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("outbox_message_idx", "outbox", ["kind", "message_id"], unique=True)
    op.create_index(
        "messages_agent_replies_idx",
        "messages",
        ["created_at"],
        postgresql_where=sa.text("sender = 'agent' AND NOT internal"),
    )


def downgrade() -> None:
    op.drop_index("messages_agent_replies_idx", table_name="messages")
    op.drop_index("outbox_message_idx", table_name="outbox")
    op.drop_column("outbox", "message_id")
    op.drop_table("customer_summaries")
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index(_INCLUDED)
    for column in ("last_seen_message_id", "degraded_replies", "handover_started_at"):
        op.drop_column("chat_sessions", column)


def _measure_existing_handovers() -> None:
    op.execute("""
        UPDATE chat_sessions s
        SET handover_started_at = latest.started,
            first_human_reply_at = (
                SELECT min(m.created_at) FROM messages m
                WHERE m.session_id = s.id AND m.sender = 'agent' AND NOT m.internal AND m.created_at >= latest.started
            )
        FROM (
            SELECT c.id, coalesce(
                (SELECT max(e.created_at) FROM conversation_events e
                 WHERE e.session_id = c.id AND e.to_state = 'waiting' AND e.from_state IN ('bot', 'resolved')),
                c.waiting_since) AS started
            FROM chat_sessions c
        ) latest
        WHERE latest.id = s.id AND latest.started IS NOT NULL
    """)
    # Handed back to the bot before anyone replied: that handover has no first response to measure.
    op.execute(
        "UPDATE chat_sessions SET handover_started_at = NULL WHERE state = 'bot' AND first_human_reply_at IS NULL"
    )


def _count_existing_degraded_replies() -> None:
    op.execute("""
        UPDATE chat_sessions s SET degraded_replies = d.counts
        FROM (
            SELECT session_id, jsonb_object_agg(reason, n) AS counts
            FROM (
                SELECT session_id,
                       coalesce(details->>'degraded_reason',
                                CASE WHEN details->>'guarded' = 'true' THEN 'guarded' ELSE 'model' END) AS reason,
                       count(*) AS n
                FROM messages WHERE sender = 'bot' AND details->>'degraded' = 'true'
                GROUP BY 1, 2
            ) by_reason
            GROUP BY session_id
        ) d
        WHERE d.session_id = s.id
    """)


def _written_index(included: list[str]) -> None:
    op.create_index(
        "chat_sessions_written_idx",
        "chat_sessions",
        ["created_at"],
        postgresql_include=included,
        postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
    )
