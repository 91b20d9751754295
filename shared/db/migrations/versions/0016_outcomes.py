"""each conversation's outcome facts, kept on write, for the console's resolution figures

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

- `bot_answered`, `bot_suggested`, `bot_unknown`: the bot's replies by outcome.
- `topic`: the entry the first answered or suggested reply was about; `last_answer_at` and
  `last_answer_about`: the latest answered reply and its entry; `customer_last_at`: the latest
  customer message. Together they tell an assumed resolution (no further message, no handover).
- `confirmed_at`: a thumbs-up, or closed without a person.
- `returned_at`, `returned_after_seconds`: the first customer message after a resolution, and how
  long after it; `return_about` holds the resolved entry until the bot's reply shows the subject
  (a reply about another entry drops the return).
- `first_response_seconds`: the latest completed first response, kept when a new handover starts.
- `csat`: the conversation's rating, so the metrics read it from the same index.
- `resolved_at` now keeps the latest close when the customer writes again.
- `chat_sessions_degraded_idx`: the few conversations with degraded replies, so counting them by
  reason reads those alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BEFORE = [
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
]
_COUNTERS = ["bot_answered", "bot_suggested", "bot_unknown"]
_TIMES = ["last_answer_at", "customer_last_at", "confirmed_at", "returned_at"]
_TEXTS = ["topic", "last_answer_about", "return_about"]
_FLOATS = ["returned_after_seconds", "first_response_seconds"]
INCLUDED = [
    *_BEFORE,
    *_COUNTERS,
    "topic",
    "last_answer_at",
    "customer_last_at",
    "confirmed_at",
    "returned_at",
    "returned_after_seconds",
    "first_response_seconds",
    "csat",
]


def upgrade() -> None:
    for name in _COUNTERS:
        op.add_column("chat_sessions", sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    for name in _TIMES:
        op.add_column("chat_sessions", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    for name in _TEXTS:
        op.add_column("chat_sessions", sa.Column(name, sa.Text(), nullable=True))
    for name in _FLOATS:
        op.add_column("chat_sessions", sa.Column(name, sa.Float(), nullable=True))
    op.add_column("chat_sessions", sa.Column("csat", sa.SmallInteger(), nullable=True))
    _fill_existing()
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index(INCLUDED)
    op.create_index(
        "chat_sessions_degraded_idx",
        "chat_sessions",
        ["created_at"],
        postgresql_include=["degraded_replies"],
        postgresql_where=sa.text("first_user_message_at IS NOT NULL AND degraded_replies <> '{}'::jsonb"),
    )


def downgrade() -> None:
    op.drop_index("chat_sessions_degraded_idx", table_name="chat_sessions")
    op.drop_index("chat_sessions_written_idx", table_name="chat_sessions")
    _written_index(_BEFORE)
    for name in [*_COUNTERS, *_TIMES, *_TEXTS, *_FLOATS, "csat"]:
        op.drop_column("chat_sessions", name)


def _fill_existing() -> None:
    op.execute("""
        UPDATE chat_sessions s
        SET bot_answered = r.answered, bot_suggested = r.suggested, bot_unknown = r.unknown, topic = r.topic,
            last_answer_at = r.last_answer_at, last_answer_about = r.last_answer_about
        FROM (
            SELECT session_id,
                   count(*) FILTER (WHERE outcome = 'answered') AS answered,
                   count(*) FILTER (WHERE outcome = 'suggested') AS suggested,
                   count(*) FILTER (WHERE outcome = 'unknown') AS unknown,
                   (array_agg(about ORDER BY id) FILTER (WHERE about IS NOT NULL))[1] AS topic,
                   max(created_at) FILTER (WHERE outcome = 'answered') AS last_answer_at,
                   (array_agg(about ORDER BY id DESC) FILTER (WHERE outcome = 'answered'))[1] AS last_answer_about
            FROM (
                SELECT id, session_id, created_at, details->'about'->>0 AS about,
                       coalesce(details->>'outcome', CASE details->>'decision' WHEN 'answered' THEN 'answered'
                                                                           WHEN 'not_covered' THEN 'unknown' END)
                           AS outcome
                FROM messages WHERE sender = 'bot'
            ) replies
            GROUP BY session_id
        ) r
        WHERE r.session_id = s.id
    """)
    op.execute("""
        UPDATE chat_sessions s SET customer_last_at = u.at
        FROM (SELECT session_id, max(created_at) AS at FROM messages WHERE sender = 'user' GROUP BY session_id) u
        WHERE u.session_id = s.id
    """)
    op.execute("""
        UPDATE chat_sessions s SET confirmed_at = f.at
        FROM (SELECT session_id, min(updated_at) AS at FROM message_feedback WHERE rating = 'up' GROUP BY session_id) f
        WHERE f.session_id = s.id AND s.handover_kind IS NULL
    """)
    op.execute("UPDATE chat_sessions s SET csat = c.rating FROM csat_ratings c WHERE c.session_id = s.id")
    op.execute("""
        UPDATE chat_sessions
        SET first_response_seconds = greatest(0, extract(epoch FROM first_human_reply_at - handover_started_at))
        WHERE first_human_reply_at IS NOT NULL AND handover_started_at IS NOT NULL
    """)


def _written_index(included: list[str]) -> None:
    op.create_index(
        "chat_sessions_written_idx",
        "chat_sessions",
        ["created_at"],
        postgresql_include=included,
        postgresql_where=sa.text("first_user_message_at IS NOT NULL"),
    )
