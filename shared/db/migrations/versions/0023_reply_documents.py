"""reply_sources: the document and its content hash a reply's passage came from

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-10

A reply citing a help-center passage pins the passage's document and that document's
`content_hash` at the time of the reply. A sync replaces a changed document's passages (new ids),
so the review list compares the document instead: a reply is listed once its document's hash
differs, or the document is retired or removed. No foreign key: a removed document must leave
its pin behind, to be noticed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reply_sources", sa.Column("document_id", sa.BigInteger(), nullable=True))
    op.add_column("reply_sources", sa.Column("content_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("reply_sources", "content_hash")
    op.drop_column("reply_sources", "document_id")
