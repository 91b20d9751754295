"""Alembic environment: migrations run on the engine the settings select, in one transaction."""

from __future__ import annotations

from alembic import context

from shared.db.engine import get_engine
from shared.db.models import Base

with get_engine().execution_options(isolation_level="READ COMMITTED").connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()
