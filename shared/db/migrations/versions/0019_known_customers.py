"""the shop's signed-in customer on a conversation

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

- `customer_id`: the shop's own id for the customer (the identity token's `sub`); a conversation
  belongs to that customer from then on and can be listed and resumed by them alone.
- `customer_verified`: set with a verified token. Listing and resuming read verified rows only,
  so a customer id written any other way can never open another customer's conversations.
- `customer_name`, `customer_email`, `customer_locale`, `customer_attributes`: the signed claims,
  kept apart from `attributes` (what the page sent, unsigned); `identified_at`: when.
- `chat_sessions_customer_idx`: a customer's conversations, newest activity first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chat_sessions", sa.Column("customer_id", sa.Text(), nullable=True))
    op.add_column(
        "chat_sessions", sa.Column("customer_verified", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("chat_sessions", sa.Column("customer_name", sa.Text(), nullable=True))
    op.add_column("chat_sessions", sa.Column("customer_email", sa.Text(), nullable=True))
    op.add_column("chat_sessions", sa.Column("customer_locale", sa.String(35), nullable=True))
    op.add_column(
        "chat_sessions",
        sa.Column("customer_attributes", JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
    )
    op.add_column("chat_sessions", sa.Column("identified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "chat_sessions_customer_idx",
        "chat_sessions",
        ["customer_id", sa.text("last_activity_at DESC")],
        postgresql_where=sa.text("customer_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("chat_sessions_customer_idx", table_name="chat_sessions")
    for name in ("identified_at", "customer_attributes", "customer_locale", "customer_email", "customer_name",
                 "customer_verified", "customer_id"):  # fmt: skip
        op.drop_column("chat_sessions", name)
