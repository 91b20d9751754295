"""Run the whole bot on one local port: `python -m devtools.serve [--port 8080]`.

Every entry point of main.py answers at /<name> (the URL shape of Cloud Functions), and
frontend/ is served at / when it exists. With no DATABASE_URL an embedded Postgres starts,
the schema is migrated and the knowledge base synced before the first request.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import functions_framework
from werkzeug.serving import run_simple
from werkzeug.wrappers import Response

from shared.settings import PROJECT_ROOT, get_settings

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FRONTEND_DIR = PROJECT_ROOT / "frontend"
_STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def prepare_database() -> None:
    """Apply migrations and sync the knowledge base."""
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_file

    upgrade()
    report = sync_file()
    print(f"knowledge base: {report.inserted} added, {report.updated} updated, {report.removed} removed")


def function_apps(source: Path = PROJECT_ROOT / "main.py") -> dict[str, WsgiApp]:
    """One functions-framework app per entry point, as Cloud Functions would serve them."""
    import main

    return {name: functions_framework.create_app(target=name, source=str(source)) for name in main.ENTRY_POINTS}


class Dispatcher:
    """Routes /<function_name>[/...] to that function's app, and other paths to frontend/."""

    def __init__(self, apps: dict[str, WsgiApp], static_dir: Path = FRONTEND_DIR) -> None:
        self.apps = apps
        self.static_dir = static_dir

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        name, _, rest = path.lstrip("/").partition("/")
        if name in self.apps:
            # Rewrite in place rather than redirect: a redirect would break CORS preflights.
            environ = {**environ, "SCRIPT_NAME": f"/{name}", "PATH_INFO": f"/{rest}"}
            return self.apps[name](environ, start_response)
        return self._static(path)(environ, start_response)

    def _static(self, path: str) -> Response:
        relative = path.lstrip("/") or "index.html"
        target = (self.static_dir / relative).resolve()
        if not target.is_file() or self.static_dir.resolve() not in target.parents:
            return Response(
                '{"error": {"code": "not_found", "message": "No such path."}}', 404, mimetype="application/json"
            )
        mimetype = _STATIC_TYPES.get(target.suffix, "application/octet-stream")
        return Response(target.read_bytes(), mimetype=mimetype, headers={"Cache-Control": "no-cache"})


def main() -> None:
    parser = argparse.ArgumentParser(description="Run every function and the widget on one local port.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    args = parser.parse_args()
    settings = get_settings()
    mode = (
        "Cloud SQL"
        if settings.instance_connection_name
        else "DATABASE_URL"
        if settings.database_url
        else (f"embedded Postgres in {settings.embedded_pg_dir}")
    )
    print(f"database: {mode}")
    prepare_database()
    from shared.answering import get_provider

    print(f"answers: {get_provider().name} provider")
    print(f"support bot running at http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        run_simple(args.host, args.port, Dispatcher(function_apps()), threaded=True)
    print("stopped; the embedded Postgres stops with this process")


if __name__ == "__main__":
    main()
