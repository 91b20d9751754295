"""operators, conversation states and their history

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Operators (agents and admins) sign in with opaque tokens stored as hashes. A conversation's
`status` (open, escalated, closed) becomes its `state` (bot, waiting, assigned, resolved),
every change of which is recorded in `conversation_events`. Agent replies and internal notes
are messages with an operator; `operator_reads` holds how far each operator has read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.CheckConstraint("role IN ('agent', 'admin')", name="operators_role_valid"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("operators_email_idx", "operators", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "operator_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("operator_tokens_operator_idx", "operator_tokens", ["operator_id"])

    op.add_column("chat_sessions", sa.Column("state", sa.String(length=16), server_default="bot", nullable=False))
    op.execute(
        "UPDATE chat_sessions SET state = CASE status WHEN 'escalated' THEN 'waiting' "
        "WHEN 'closed' THEN 'resolved' ELSE 'bot' END"
    )
    op.drop_constraint("chat_sessions_status_valid", "chat_sessions", type_="check")
    op.drop_column("chat_sessions", "status")
    op.create_check_constraint(
        "chat_sessions_state_valid", "chat_sessions", "state IN ('bot', 'waiting', 'assigned', 'resolved')"
    )
    op.alter_column("chat_sessions", "escalation_reason", new_column_name="handover_reason")
    op.alter_column("chat_sessions", "escalated_at", new_column_name="waiting_since")
    op.add_column("chat_sessions", sa.Column("handover_kind", sa.String(length=24), nullable=True))
    op.add_column("chat_sessions", sa.Column("assignee_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        "chat_sessions_assignee_fk", "chat_sessions", "operators", ["assignee_id"], ["id"], ondelete="SET NULL"
    )
    op.add_column("chat_sessions", sa.Column("first_human_reply_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("chat_sessions", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("chat_sessions_state_activity_idx", "chat_sessions", ["state", sa.text("last_activity_at DESC")])
    op.create_index("chat_sessions_waiting_idx", "chat_sessions", ["waiting_since"], postgresql_where="state = 'waiting'")
    op.create_index("chat_sessions_assignee_idx", "chat_sessions", ["assignee_id", "state"])

    op.add_column("messages", sa.Column("operator_id", sa.UUID(), nullable=True))
    op.create_foreign_key("messages_operator_fk", "messages", "operators", ["operator_id"], ["id"], ondelete="SET NULL")
    op.add_column("messages", sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "conversation_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("operator_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["chat_sessions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("conversation_events_session_idx", "conversation_events", ["session_id", "id"])
    op.create_table(
        "operator_reads",
        sa.Column("operator_id", sa.UUID(), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("last_read_message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["chat_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("operator_id", "session_id"),
    )


def downgrade() -> None:
    op.drop_table("operator_reads")
    op.drop_index("conversation_events_session_idx", table_name="conversation_events")
    op.drop_table("conversation_events")
    op.drop_column("messages", "internal")
    op.drop_constraint("messages_operator_fk", "messages", type_="foreignkey")
    op.drop_column("messages", "operator_id")
    op.drop_index("chat_sessions_assignee_idx", table_name="chat_sessions")
    op.drop_index("chat_sessions_waiting_idx", table_name="chat_sessions")
    op.drop_index("chat_sessions_state_activity_idx", table_name="chat_sessions")
    op.drop_column("chat_sessions", "resolved_at")
    op.drop_column("chat_sessions", "first_human_reply_at")
    op.drop_constraint("chat_sessions_assignee_fk", "chat_sessions", type_="foreignkey")
    op.drop_column("chat_sessions", "assignee_id")
    op.drop_column("chat_sessions", "handover_kind")
    op.alter_column("chat_sessions", "waiting_since", new_column_name="escalated_at")
    op.alter_column("chat_sessions", "handover_reason", new_column_name="escalation_reason")
    op.add_column("chat_sessions", sa.Column("status", sa.String(length=16), server_default="open", nullable=False))
    op.execute(
        "UPDATE chat_sessions SET status = CASE state WHEN 'waiting' THEN 'escalated' "
        "WHEN 'assigned' THEN 'escalated' ELSE 'open' END"
    )
    op.drop_constraint("chat_sessions_state_valid", "chat_sessions", type_="check")
    op.drop_column("chat_sessions", "state")
    op.create_check_constraint(
        "chat_sessions_status_valid", "chat_sessions", "status IN ('open', 'escalated', 'closed')"
    )
    op.drop_table("operator_tokens")
    op.drop_index("operators_email_idx", table_name="operators")
    op.drop_table("operators")
