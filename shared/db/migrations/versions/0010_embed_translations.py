"""re-embed entries with translations: the multilingual encoder now embeds their translated phrasings too

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

Vectors are rebuilt only when an entry's content or the model changes; neither did, so the
entries that have translations are marked stale and the next sync embeds them again.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE kb_entries SET embedding_hash = NULL WHERE translations <> '{}'::jsonb")


def downgrade() -> None:
    op.execute("UPDATE kb_entries SET embedding_hash = NULL WHERE translations <> '{}'::jsonb")
