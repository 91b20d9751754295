"""Readying the database for the code just deployed: the schema migrations, then the knowledge base.

Run inside the deployment (the private `prepare_deployment` function, which Terraform calls
after every deploy), so the knowledge base is embedded by the very encoders that will search
it. Idempotent, and one run at a time: a second caller waits on a Postgres advisory lock,
then finds nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from pydantic import BaseModel

from shared.core.settings import get_settings
from shared.db.engine import connection
from shared.db.migrate import grant_runtime_privileges, upgrade
from shared.embeddings import get_embedder
from shared.knowledge.sync import sync_file
from shared.services import _model_usage as model_usage

log = logging.getLogger("support.prepare")
# Any constant every preparing process agrees on (pg_advisory_lock takes a bigint).
LOCK_KEY = 0x5355_5050_4F52_54  # "SUPPORT"


class PrepareReport(BaseModel):
    schema_revision: str | None
    granted_to: str | None
    inserted: int
    updated: int
    removed: int
    unchanged: int
    embedded_entries: int
    conflicts: list[str]
    embedder: str | None
    entries_with_vectors: int


def prepare() -> PrepareReport:
    """Migrate, grant the functions' database user its row privileges, and import the knowledge base."""
    settings = get_settings()
    with exclusive():
        upgrade()
        if settings.db_grant_to:
            grant_runtime_privileges(settings.db_grant_to)
        synced = sync_file(force=False)
        model_usage.flush()  # the import's embedding calls belong to the deployment, not this thread's next request
        embedder = get_embedder()
        with connection() as conn:
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            covered = _entries_with_vectors(conn, embedder.model) if embedder else 0
    report = PrepareReport(
        schema_revision=revision,
        granted_to=settings.db_grant_to,
        inserted=synced.inserted,
        updated=synced.updated,
        removed=synced.removed,
        unchanged=synced.unchanged,
        embedded_entries=synced.embedded_entries,
        conflicts=[f"{c.entry_id}: {c.reason}" for c in synced.conflicts],
        embedder=embedder.model if embedder else None,
        entries_with_vectors=covered,
    )
    if embedder is not None and not covered:
        log.error(
            "the knowledge base has no vectors for this deployment's embedder", extra={"embedder": report.embedder}
        )
    log.info("deployment prepared", extra={"prepare": report.model_dump()})
    return report


@contextmanager
def exclusive() -> Iterator[None]:
    """Hold the preparation lock for the block: concurrent callers run one after the other."""
    with connection() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})


def _entries_with_vectors(conn: sa.Connection, model: str) -> int:
    query = sa.text("SELECT count(*) FROM kb_entry_vectors WHERE model = :m")
    return int(conn.execute(query, {"m": model}).scalar() or 0)
