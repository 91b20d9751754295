"""Apply the schema migrations: `python -m shared.db.migrate` (uses the same settings as the functions)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic configuration that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade() -> None:
    """Bring the database to the newest schema."""
    command.upgrade(alembic_config(), "head")


if __name__ == "__main__":
    upgrade()
    print("database schema is up to date")
