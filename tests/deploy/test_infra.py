"""The Terraform in infra/, checked offline: structure against the code, checkov, formatting, compose."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from typing import Any, get_args

import hcl2
import httpx
import pytest
import yaml

import main
from devtools.archive import DEFAULT_OUT
from shared.core.addresses import SHARED_HOSTS
from shared.core.settings import PROJECT_ROOT, Settings

INFRA = PROJECT_ROOT / "infra"
IN_CI = os.environ.get("CI") == "true"


def _parsed() -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {}
    for path in sorted(INFRA.glob("*.tf")):
        with path.open() as handle:
            for key, blocks in hcl2.load(handle).items():
                merged.setdefault(key, []).extend(blocks)
    return merged


def _locals() -> dict[str, Any]:
    return {k: v for block in _parsed()["locals"] for k, v in block.items()}


def _resources(kind: str) -> dict[str, Any]:
    found = {}
    for block in _parsed()["resource"]:
        for resource_type, named in block.items():
            if resource_type.strip('"') == kind:
                found.update({name.strip('"'): body for name, body in named.items()})
    return found


def test_every_entry_point_has_a_function_and_every_function_an_entry_point():
    functions = _locals()["functions"]
    assert set(functions) == set(main.__all__)
    function = _resources("google_cloudfunctions2_function")["fn"]
    assert function["for_each"] == "${local.deployed_functions}"
    assert function["name"] == function["build_config"][0]["entry_point"] == "${each.key}"


def test_only_the_widget_and_console_facing_functions_are_public():
    public = {name for name, fn in _locals()["functions"].items() if fn["public"]}
    assert public == set(main.PUBLIC_ENTRY_POINTS) | set(main.CONSOLE_ENTRY_POINTS)


def test_every_environment_variable_terraform_sets_is_a_setting():
    known = {name.upper() for name in Settings.model_fields}
    assert set(_locals()["environment"]) <= known
    secret_keys = set(re.findall(r'key\s*=\s*"([A-Z_]+)"', (INFRA / "functions.tf").read_text()))
    secret_keys |= set(re.findall(r'"?([A-Z_]+)"?\s*=\s*"[a-z-]+"', _locals()["function_secrets"]))
    assert {"OPENAI_API_KEY", "SLACK_WEBHOOK_URL", "NOTIFY_WEBHOOK_SECRET"} <= secret_keys <= known


def _variables() -> dict[str, Any]:
    return {name.strip('"'): body for block in _parsed()["variable"] for name, body in block.items()}


def test_the_deployment_chooses_the_answer_provider_the_settings_know():
    variable = _variables()["answer_provider"]
    choices = set(re.findall(r'"(\w+)"', variable["validation"][0]["condition"]))
    assert choices == set(get_args(Settings.model_fields["answer_provider"].annotation))
    environment = _locals()["environment"]
    assert environment["ANSWER_PROVIDER"] == "${var.answer_provider}"
    assert environment["OPENAI_BASE_URL"] == "${var.openai_base_url}"
    assert environment["OPENAI_MODEL"] == "${var.openai_model}"


def test_the_openai_key_comes_only_from_secret_manager():
    assert "openai_api_key" not in _variables()
    secrets = _locals()["function_secrets"]
    assert re.search(
        r'answer_provider == "openai" && var\.openai_needs_api_key \? \{\s*"?OPENAI_API_KEY"? = "openai-api-key"',
        secrets,
    )
    secret = _resources("google_secret_manager_secret")["function"]
    assert secret["for_each"] == "${local.function_secrets}"
    functions = (INFRA / "functions.tf").read_text()
    assert re.search(
        r"for_each = google_secret_manager_secret\.function\s+content \{\s+key\s+= secret_environment_variables\.key",
        functions,
    )
    reader = _resources("google_secret_manager_secret_iam_member")["functions_read_secret"]
    assert reader["for_each"] == "${google_secret_manager_secret.function}"
    assert reader["role"].strip('"') == "roles/secretmanager.secretAccessor"


def test_terraform_uploads_the_archive_that_devtools_builds_and_names_it_by_its_hash():
    expression = _locals()["source_archive"]
    assert expression.strip('"') == "${local.repo_root}/" + DEFAULT_OUT.relative_to(PROJECT_ROOT).as_posix()
    source_object = _resources("google_storage_bucket_object")["source"]
    assert "filemd5(local.source_archive)" in source_object["name"]
    assert source_object["source"].strip('"') == "${local.source_archive}"


def test_no_secret_value_appears_in_the_terraform_files():
    secret_shapes = [
        r"AIza[0-9A-Za-z_-]{35}",
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
        r'(?i)(password|api_key|secret_data)\s*=\s*"[^"$]+"',
    ]
    for path in [*INFRA.glob("*.tf"), INFRA / "terraform.tfvars.example"]:
        text = path.read_text()
        for shape in secret_shapes:
            assert not re.search(shape, text), f"{path.name} matches {shape}"
    assert not _resources("google_secret_manager_secret_version")


def _checkov() -> str | None:
    candidate = PROJECT_ROOT / ".venv-checkov" / "bin" / "checkov"
    return str(candidate) if candidate.exists() else shutil.which("checkov")


@pytest.mark.slow
def test_checkov_finds_no_failed_check_and_every_skip_has_a_reason():
    checkov = _checkov()
    if checkov is None:
        if IN_CI:
            pytest.fail("checkov is not installed: ./dev test installs it into .venv-checkov")
        pytest.skip("checkov is not installed (./dev test installs it into .venv-checkov)")
    result = subprocess.run(
        [checkov, "-d", str(INFRA), "--skip-download", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [c for r in reports for c in r["results"].get("failed_checks", [])]
    skipped = [c for r in reports for c in r["results"].get("skipped_checks", [])]
    assert not failed, [(c["check_id"], c["resource"]) for c in failed]
    assert sum(r["summary"]["passed"] for r in reports) > 40
    assert all(len(c["check_result"].get("suppress_comment", "").strip()) > 20 for c in skipped)


def test_terraform_files_are_formatted():
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("the terraform CLI is not installed")
    result = subprocess.run([terraform, "fmt", "-check", "-recursive", str(INFRA)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_file_is_valid():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose client is installed")
    result = subprocess.run(
        [*command, "-f", str(PROJECT_ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_compose_credentials_match_the_documented_database_url():
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text()
    documented = (PROJECT_ROOT / ".env.example").read_text()
    assert "POSTGRES_USER: support" in compose and "POSTGRES_PASSWORD: support" in compose
    assert "postgresql://support:support@127.0.0.1:5432/support" in documented
    assert re.search(r"image: pgvector/pgvector:pg1[6-8]", compose)


# ---- the console on its own origin ---------------------------------------------------------------
SHARED_HOST = re.compile("|".join(re.escape(host) for host in SHARED_HOSTS), re.IGNORECASE)


def _outputs() -> dict[str, Any]:
    return {name.strip('"'): body for block in _parsed()["output"] for name, body in block.items()}


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start : end if end != -1 else None]


def test_no_allow_list_sign_in_origin_or_console_url_names_a_shared_host():
    environment = _locals()["environment"]
    browser_facing = {name: environment[name] for name in ("ALLOWED_ORIGINS", "CONSOLE_ORIGINS", "CONSOLE_URL")}
    browser_facing["local.console_url"] = _locals()["console_url"]
    browser_facing["output console_url"] = _outputs()["console_url"]["value"]
    for name, expression in browser_facing.items():
        assert not SHARED_HOST.search(expression), f"{name} = {expression}"
    assert ".run.app" in _locals()["console_url"]
    # The OAuth client's authorised JavaScript origins, as the deployment guide tells them.
    sign_in = _section((INFRA / "README.md").read_text(), "## The support team's console")
    assert "JavaScript" in sign_in and "console_url" in sign_in
    assert not SHARED_HOST.search(sign_in)
    example = (INFRA / "terraform.tfvars.example").read_text()
    assert not SHARED_HOST.search("\n".join(line for line in example.splitlines() if "origins" in line))


def test_operator_api_is_told_its_own_url_without_naming_itself():
    environment = _locals()["environment"]
    assert environment["CONSOLE_URL"] == "${local.console_url}"
    assert "local.console_url" in environment["CONSOLE_ORIGINS"]
    assert environment["ALLOWED_ORIGINS"] == '${join(",", var.allowed_origins)}'
    # Cloud Run's deterministic URL of operator_api's service, known before the function exists: an
    # attribute of the function itself would be a dependency cycle.
    console_url = _locals()["console_url"].strip('"')
    assert "google_cloudfunctions2_function" not in console_url
    assert console_url == "https://${local.console_service}-${data.google_project.this.number}.${var.region}.run.app"
    assert _locals()["console_service"] == '${replace("operator_api", "_", "-")}'


def test_the_public_bucket_serves_no_page():
    objects = _resources("google_storage_bucket_object")
    served = {name for name, body in objects.items() if name != "source"}
    assert served == {"widget_js"}
    assert "website" not in _resources("google_storage_bucket")["widget"]
    assert "demo_page_url" not in _outputs()


@pytest.mark.parametrize("variable", ["allowed_origins", "console_origins"])
def test_the_origin_variables_refuse_every_shared_host(variable):
    conditions = [v["condition"] for v in _variables()[variable]["validation"]]
    pattern = next(m for c in conditions if (m := re.search(r'!can\(regex\("(.+?)", o\)\)', c)))[1]
    regex = re.compile(pattern.encode().decode("unicode_escape"))
    listed = {alternative.replace("\\.", ".") for alternative in re.search(r"\((.+?)\)", regex.pattern)[1].split("|")}
    assert listed == set(SHARED_HOSTS)
    for host in SHARED_HOSTS:
        assert regex.search(f"https://{host}") and regex.search(f"https://someone.{host}:443")
    assert not regex.search("https://www.my-shop.example")
    assert not regex.search("https://operator-api-123.europe-west1.run.app")


# ---- the compose bot profile -----------------------------------------------------------------------
COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def test_the_compose_bot_is_a_profile_its_comment_names_and_it_says_local_with_exact_origins():
    text = COMPOSE.read_text()
    bot = yaml.safe_load(text)["services"]["bot"]
    assert bot["profiles"] == ["bot"]
    assert "docker compose --profile bot up" in text
    assert not re.search(r"docker compose up\s*$", text, re.MULTILINE)
    environment = bot["environment"]
    assert environment["ENVIRONMENT"] == "local"
    for name in ("ALLOWED_ORIGINS", "CONSOLE_ORIGINS"):
        assert "*" not in environment[name] and environment[name].startswith("http://127.0.0.1:")
    assert all(port.startswith("127.0.0.1:") for service in ("db", "bot") for port in _compose_ports(text, service))


def _compose_ports(text: str, service: str) -> list[str]:
    return [str(port) for port in yaml.safe_load(text)["services"][service]["ports"]]


def _docker_unavailable() -> str | None:
    """Why the compose bot cannot be started here, or None."""
    if _compose_command() is None:
        return "no docker compose client is installed"
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "info"], capture_output=True).returncode != 0:
        return "no Docker daemon is reachable (`docker info` fails): the compose bot profile cannot start here"
    return None


@pytest.mark.slow
def test_the_compose_bot_profile_serves_the_bot_and_is_not_open():
    if reason := _docker_unavailable():
        pytest.skip(reason)
    command = _compose_command()
    assert command is not None
    bot_port, db_port = _free_ports(2)
    project = ["-p", f"support-test-{os.getpid()}", "-f", str(COMPOSE), "--profile", "bot"]
    env = {**os.environ, "BOT_PORT": str(bot_port), "DB_PORT": str(db_port)}
    base = f"http://127.0.0.1:{bot_port}"
    started = subprocess.run([*command, *project, "up", "-d"], env=env, capture_output=True, text=True, timeout=600)
    try:
        assert started.returncode == 0, started.stderr
        assert _wait_for_session(base) == 201
        assert httpx.post(f"{base}/create_session", headers={"Origin": "https://evil.example"}).status_code == 403
        # The published port reaches the container from Docker's network, never from its loopback.
        signed = httpx.post(f"{base}/operator_api/sign-in", json={"local_email": "dana@shop.example"})
        assert signed.status_code == 403
        assert httpx.get(f"{base}/operator_api/sign-in-options").json()["email"] is False
        assert "frame-ancestors 'none'" in httpx.get(f"{base}/operator_api/").headers["content-security-policy"]
    finally:
        subprocess.run([*command, *project, "down", "-v"], env=env, capture_output=True, timeout=300)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_for_session(base: str) -> int:
    deadline = time.monotonic() + 600  # the bot container installs its requirements first
    while time.monotonic() < deadline:
        try:
            return httpx.post(f"{base}/create_session", timeout=5).status_code
        except httpx.TransportError:
            time.sleep(2)
    raise AssertionError(f"the compose bot did not answer at {base} within 10 minutes")
