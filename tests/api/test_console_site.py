"""The console served by operator_api from its own origin: its page under a strict policy, an allow-list of files."""

from __future__ import annotations

import secrets

import httpx
import pytest

from shared.core.settings import PROJECT_ROOT
from shared.web import console_site
from tests.chromium import watched_page
from tests.factories import new_operator

FRONTEND = PROJECT_ROOT / "frontend"
CONSOLE_URL = "https://operator-api-123456789012.europe-west1.run.app"
PRODUCTION = {
    "ENVIRONMENT": "production",
    "ALLOWED_ORIGINS": "https://shop.example",
    "CONSOLE_ORIGINS": CONSOLE_URL,
    "CONSOLE_URL": CONSOLE_URL,
    "SCHEDULER_AUDIENCE": "https://x.example/purge_expired",
    "SCHEDULER_SERVICE_ACCOUNT": "scheduler@x.iam.gserviceaccount.com",
}


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_operator_api_serves_the_console_page_under_a_strict_content_security_policy(function_client):
    response = function_client("operator_api").get("/")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    header = response.headers["Content-Security-Policy"]
    policy = _policy(header)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'", "https://accounts.google.com/gsi/client"]
    assert policy["style-src"] == ["'self'", "https://accounts.google.com/gsi/style"]
    assert policy["connect-src"] == ["'self'", "https://accounts.google.com/gsi/"]
    assert policy["frame-ancestors"] == policy["base-uri"] == policy["form-action"] == ["'none'"]
    assert "unsafe" not in header and "*" not in header
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert response.data.decode() == (FRONTEND / "console.html").read_text()


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/console/main.js", "text/javascript"), ("/console/api.js", "text/javascript"), ("/console.css", "text/css")],
)
def test_the_console_files_are_served_with_their_types(function_client, path, media_type):
    response = function_client("operator_api").get(path)
    assert (response.status_code, response.mimetype) == (200, media_type)
    assert response.data == (FRONTEND / path.lstrip("/")).read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/console.html",
        "/console.js",
        "/main.py",
        "/index.html",
        "/widget.js",
        "/console/../main.py",
        "/console/%2e%2e%2fmain.py",
        "/console/..%2f..%2fshared%2fcore%2fsettings.py",
        "/console/x.py",
        "/console/.env",
        "/console/console.html",
        "/shared/core/settings.py",
    ],
)
def test_nothing_outside_the_consoles_allow_list_is_served(function_client, path):
    response = function_client("operator_api").get(path)
    assert (response.status_code, response.mimetype) == (404, "application/json")


def test_a_folder_of_console_modules_is_served_and_nothing_else_in_it(tmp_path):
    (tmp_path / "console.html").write_text("<!doctype html>")
    (tmp_path / "console.css").write_text("p {}")
    modules = tmp_path / "console"
    (modules / "views").mkdir(parents=True)
    (modules / "inbox.js").write_text("export const inbox = 1;")
    (modules / "team.css").write_text("p {}")
    (modules / "views" / "deep.js").write_text("")
    (modules / "notes.txt").write_text("")
    (modules / ".hidden.js").write_text("")
    (modules / "Upper.js").write_text("")
    assert set(console_site.files(tmp_path)) == {"console.html", "console.css", "console/inbox.js", "console/team.css"}
    module = console_site.static_file("console/inbox.js", root=tmp_path)
    assert (module.content, module.media_type) == (b"export const inbox = 1;", "text/javascript")
    for name in ("console.html", "console/notes.txt", "console/views/deep.js", "console/../console.css"):
        with pytest.raises(Exception, match="No such path"):
            console_site.static_file(name, root=tmp_path)


def test_in_production_the_page_is_served_only_at_console_url(function_client, settings_env):
    settings_env(**PRODUCTION)
    client = function_client("operator_api")
    assert client.get("/", base_url=CONSOLE_URL).status_code == 200
    for elsewhere in ("https://europe-west1-acme.cloudfunctions.net", "https://operator-api-x7k-ew.a.run.app"):
        response = client.get("/", base_url=elsewhere)
        assert (response.status_code, response.headers["Location"]) == (308, CONSOLE_URL)
    settings_env(CONSOLE_URL="")
    assert client.get("/", base_url=CONSOLE_URL).status_code == 404


def test_the_google_client_id_is_filled_into_the_page_escaped(function_client, settings_env):
    settings_env(GOOGLE_OAUTH_CLIENT_ID='1-x.apps.example"><script>alert(1)</script>')
    page = function_client("operator_api").get("/").data.decode()
    assert '<meta name="google-client-id" content="1-x.apps.example&quot;&gt;&lt;script&gt;' in page
    assert "<script>alert" not in page


def test_every_api_answer_forbids_being_framed_or_rendered(function_client):
    for response in (function_client("create_session").post("/"), function_client("operator_api").get("/me")):
        policy = _policy(response.headers["Content-Security-Policy"])
        assert policy["default-src"] == policy["frame-ancestors"] == ["'none'"]
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_local_run_serves_the_console_through_operator_api(local_run):
    for path in ("/operator_api/", "/operator_api", "/console"):
        response = httpx.get(local_run + path)
        assert response.status_code == 200 and "frame-ancestors 'none'" in response.headers["content-security-policy"]
    for path in ("/operator_api/console/main.js", "/console/main.js", "/console.css"):
        response = httpx.get(local_run + path)
        assert (response.status_code, response.headers["cross-origin-resource-policy"]) == (200, "same-origin")


@pytest.mark.browser
def test_the_console_signs_in_under_its_policy_with_no_violation(browser, local_run, settings_env):
    settings_env(ENVIRONMENT="local")
    agent = new_operator()
    context = browser.new_context()
    try:
        page = watched_page(context)
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(f"{local_run}/operator_api/")
        page.fill("#local-email", agent.email)
        page.click("#local-form button[type=submit]")
        page.wait_for_selector("#app", state="visible")
        assert page.evaluate("() => Object.keys(sessionStorage).length") >= 1
        assert not violations and not page.problems, violations + page.problems
        assert all(url.startswith(local_run) for url in page.requested), page.requested
    finally:
        context.close()


def test_a_page_of_another_origin_cannot_call_the_operator_api(function_client, settings_env):
    settings_env(CONSOLE_ORIGINS=CONSOLE_URL)
    response = function_client("operator_api").post(
        "/sign-in",
        json={"local_email": f"{secrets.token_hex(4)}@x.example"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response.headers
