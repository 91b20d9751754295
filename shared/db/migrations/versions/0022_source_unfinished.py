"""sources: a sync cut short by its deadline leaves its source `unfinished`

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-09

A sync started from the console runs inside the request, up to a deadline
(KNOWLEDGE_REQUEST_SYNC_SECONDS); the documents it did not reach are left to the next scheduled
sync, which takes every `unfinished` source whatever its `last_synced_at`. Downgrading makes an
unfinished source `partial`.
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

CONSTRAINT = "knowledge_sources_status_valid"


def upgrade() -> None:
    op.drop_constraint(CONSTRAINT, "knowledge_sources", type_="check")
    op.create_check_constraint(
        CONSTRAINT, "knowledge_sources", "status IN ('new', 'synced', 'partial', 'failed', 'unfinished')"
    )


def downgrade() -> None:
    op.execute("UPDATE knowledge_sources SET status = 'partial' WHERE status = 'unfinished'")
    op.drop_constraint(CONSTRAINT, "knowledge_sources", type_="check")
    op.create_check_constraint(CONSTRAINT, "knowledge_sources", "status IN ('new', 'synced', 'partial', 'failed')")
