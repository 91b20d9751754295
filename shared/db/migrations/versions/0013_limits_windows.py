"""limits windows

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

Abuse limits and budgets count over sliding windows: `rate_counters` keeps one row per key,
the count of its current window and (new) of the window before it. Each key keeps its newest
window, with the adjacent older window's count as `previous`; a row now matters for two
windows, so its expiry moves one window later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rate_counters", sa.Column("previous", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute(
        """
        UPDATE rate_counters AS c SET previous = p.count
        FROM rate_counters AS p
        WHERE p.key = c.key AND p.window_start = c.window_start - (c.expires_at - c.window_start)
        """
    )
    op.execute(
        """
        DELETE FROM rate_counters AS c
        WHERE EXISTS (SELECT 1 FROM rate_counters n WHERE n.key = c.key AND n.window_start > c.window_start)
        """
    )
    op.execute("UPDATE rate_counters SET expires_at = expires_at + (expires_at - window_start)")
    op.drop_constraint("rate_counters_pkey", "rate_counters", type_="primary")
    op.create_primary_key("rate_counters_pkey", "rate_counters", ["key"])


def downgrade() -> None:
    op.drop_constraint("rate_counters_pkey", "rate_counters", type_="primary")
    op.execute("UPDATE rate_counters SET expires_at = window_start + (expires_at - window_start) / 2")
    op.drop_column("rate_counters", "previous")
    op.create_primary_key("rate_counters_pkey", "rate_counters", ["key", "window_start"])
