"""What deployment relies on: settings safety, the migration command, the deploy archive."""

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
from shared.core.settings import Settings


def test_production_refuses_a_wildcard_origin():
    with pytest.raises(ValidationError, match="ALLOWED_ORIGINS"):
        Settings(environment="production", allowed_origins=["*"], database_url="postgresql://x/y")


def test_cloud_sql_mode_requires_a_database_user():
    with pytest.raises(ValidationError, match="DB_USER"):
        Settings(instance_connection_name="p:r:i")


def test_origins_are_read_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example, https://b.example/")
    assert Settings().allowed_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize("command", [["shared.cli", "migrate"], ["shared.db.migrate"]], ids=["cli", "earlier name"])
def test_migrate_command_brings_the_schema_up_to_date(project_root, database_url, command):
    result = subprocess.run(
        [sys.executable, "-m", *command],
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


# ---- safe by default -------------------------------------------------------------------------------
def test_with_environment_unset_the_settings_are_productions_with_no_origin_allowed(monkeypatch):
    for name in ("ENVIRONMENT", "ALLOWED_ORIGINS", "CONSOLE_ORIGINS", "SCHEDULER_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None, database_url="postgresql://x/y")  # type: ignore[call-arg]
    assert settings.environment == "production"
    assert settings.allowed_origins == settings.console_origins == []
    assert settings.missing_to_serve() == [
        "ALLOWED_ORIGINS",
        "CONSOLE_ORIGINS",
        "SCHEDULER_AUDIENCE",
        "SCHEDULER_SERVICE_ACCOUNT",
    ]
    # The command-line tools (migrations, the operators command) need none of it.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    tool = Settings(_env_file=None)  # type: ignore[call-arg]
    assert tool.missing_to_serve()[0] == "INSTANCE_CONNECTION_NAME or DATABASE_URL"


def test_a_function_missing_its_production_settings_answers_503_and_logs_which(
    function_client, settings_env, monkeypatch, capsys
):
    settings_env(ALLOWED_ORIGINS="https://shop.example")
    for name in ("ENVIRONMENT", "CONSOLE_ORIGINS", "SCHEDULER_AUDIENCE", "SCHEDULER_SERVICE_ACCOUNT"):
        monkeypatch.delenv(name, raising=False)
    capsys.readouterr()
    response = function_client("create_session").post("/", headers={"Origin": "https://shop.example"})
    assert (response.status_code, response.json["error"]["code"]) == (503, "unavailable")
    assert "Access-Control-Allow-Origin" not in response.headers
    logged = capsys.readouterr().out
    assert "CONSOLE_ORIGINS, SCHEDULER_AUDIENCE, SCHEDULER_SERVICE_ACCOUNT" in logged
    assert "ENVIRONMENT is production" in logged


def test_invalid_settings_are_a_503_with_the_reason_in_the_log(function_client, settings_env, capsys):
    settings_env(ENVIRONMENT="production", ALLOWED_ORIGINS="*")
    capsys.readouterr()
    response = function_client("create_session").post("/")
    assert (response.status_code, response.mimetype) == (503, "application/json")
    assert "ALLOWED_ORIGINS must list exact origins" in capsys.readouterr().out


@pytest.mark.parametrize(
    "values",
    [
        {"allowed_origins": ["https://shop.example", "https://storage.googleapis.com"]},
        {"console_origins": ["https://europe-west1-acme.cloudfunctions.net"]},
        {"console_url": "https://storage.googleapis.com/acme-support-widget/console.html"},
        {"console_url": "https://acme.web.app/"},
        {"allowed_origins": ["https://acme.github.io"]},
    ],
)
def test_origins_and_the_console_url_on_a_shared_host_are_refused(values):
    with pytest.raises(ValidationError, match="whose origin anyone can publish a page on"):
        Settings(**values)


@pytest.mark.slow
def test_the_deploy_archive_carries_the_console_and_operator_api_serves_it(tmp_path, database_url):
    archive = build_archive(tmp_path / "source.zip")
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "unpacked")
    console = {"frontend/console.html", "frontend/console.css", "frontend/console/main.js", "frontend/console/api.js"}
    assert console <= names
    assert not {"frontend/index.html", "frontend/widget.js", "frontend/demo.css"} & names
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": "", "ENVIRONMENT": "test"}
    command = [os.path.join(os.path.dirname(sys.executable), "functions-framework"), "--target", "operator_api"]
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [*command, "--source", "main.py", "--port", str(port)],
            cwd=tmp_path / "unpacked",
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            page = _poll_get(f"http://127.0.0.1:{port}/", server)
            assert page.status_code == 200, (tmp_path / "server.log").read_text()
            assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
            assert httpx.get(f"http://127.0.0.1:{port}/console/main.js").status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=10)


def _poll_get(url: str, server: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the function exited with {server.returncode}")
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the function did not start within 30 s")
