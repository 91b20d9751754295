"""Apply the schema migrations: `python -m shared.cli migrate [--grant-to ROLE]`.

Uses the same settings as the functions (Cloud SQL connector, DATABASE_URL or embedded).
Run it as a user that may create the `vector` and `pg_trgm` extensions (on Cloud SQL, the
built-in `postgres` user); `--grant-to` then gives the functions' database user, such as the
IAM user of their service account, the row privileges it needs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from shared.db.engine import transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ROLE = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")


def alembic_config() -> Config:
    """An Alembic configuration that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade() -> None:
    """Bring the database to the newest schema."""
    command.upgrade(alembic_config(), "head")


def grant_runtime_privileges(role: str) -> None:
    """Let `role` read and write every table, now and after later migrations (no DDL)."""
    if not _ROLE.match(role):
        raise ValueError(f"not a database role name: {role!r}")
    quoted = '"' + role + '"'
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]
    with transaction() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


if __name__ == "__main__":  # the earlier name of `python -m shared.cli migrate`
    from shared.cli import main

    sys.exit(main(["migrate", *sys.argv[1:]]))
