"""Test fixtures: a real Postgres (embedded, or a fresh database on DATABASE_URL's server), migrated and seeded."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import functions_framework
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from devtools.fake_gemini import FakeGemini
from devtools.fake_identity import SECRET
from devtools.fake_openai import FakeOpenAI
from devtools.fake_shop import FakeShopApi
from devtools.serve import Dispatcher, LocalRequestHandler, function_apps
from shared.core.settings import PROJECT_ROOT, get_settings
from shared.db.engine import get_engine, reset_engine
from tests.factories import NewSession, new_session

# Tests share one client address and post quickly; the limiter's own tests switch limits on.
NO_ABUSE_LIMITS = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "0",
    "RATE_LIMIT_SESSIONS_PER_DAY": "0",
    "RATE_LIMIT_MESSAGES_PER_MINUTE": "0",
    "RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE": "0",
    "RATE_LIMIT_OPERATOR_COSTLY_PER_MINUTE": "0",
}


# Handover replies depend on the clock; tests about closed hours set their own.
ALWAYS_OPEN = {"SUPPORT_WEEKLY_HOURS": "mon-sun 24h"}


def _reset_caches() -> None:
    get_settings.cache_clear()
    reset_engine()


@pytest.fixture(scope="session", autouse=True)
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded database that lives for the whole test run."""
    name = f"support_test_{secrets.token_hex(4)}"
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        url = _create_database_on(server_url, name)
    else:
        from shared.db.embedded import embedded_url, ensure_database, start_embedded

        server = start_embedded(tmp_path_factory.mktemp("postgres") / "data", delete_on_exit=True)
        ensure_database(server, name)
        url = embedded_url(server, name)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "ENVIRONMENT": "test",
            "ALLOWED_ORIGINS": "*",
            "CONSOLE_ORIGINS": "*",
            **NO_ABUSE_LIMITS,
            **ALWAYS_OPEN,
        }
    )
    _reset_caches()
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_file

    upgrade()
    sync_file()
    yield url
    get_engine().dispose()
    if server_url:
        _drop_database_on(server_url, name)


def _admin_engine(server_url: str) -> sa.Engine:
    url = sa.make_url(server_url.replace("postgresql://", "postgresql+pg8000://", 1))
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def _create_database_on(server_url: str, name: str) -> str:
    engine = _admin_engine(server_url)
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = engine.url.set(database=name)
    engine.dispose()
    return url.render_as_string(hide_password=False)


def _drop_database_on(server_url: str, name: str) -> None:
    engine = _admin_engine(server_url)
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def restore_knowledge_base() -> Iterator[None]:
    """After the test, the knowledge base is the repository's file again, whatever the console changed."""
    yield
    from shared.knowledge.sync import sync_file

    sync_file(force=True)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Change settings for one test: `settings_env(ALLOWED_ORIGINS="https://shop.example")`."""

    def apply(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def function_client() -> Callable[[str], FlaskClient]:
    """A test client of one entry point, served by the real functions-framework app."""
    apps: dict[str, FlaskClient] = {}

    def client(target: str) -> FlaskClient:
        if target not in apps:
            apps[target] = functions_framework.create_app(target, str(PROJECT_ROOT / "main.py")).test_client()
        return apps[target]

    return client


@pytest.fixture
def chat_session() -> NewSession:
    """A fresh session with its token."""
    return new_session()


@pytest.fixture
def db() -> Iterator[sa.Connection]:
    """A direct connection, for checking what the services stored."""
    with get_engine().connect() as conn:
        yield conn


@pytest.fixture
def follow_up_handovers(
    function_client: Callable[[str], FlaskClient], db: sa.Connection
) -> Callable[..., dict[str, int]]:
    """Run the scheduled `deliver_notifications` for these conversations (other tests' pending rows are set aside).

    A handover's summary and the team's notifications run there, not in the customer's request.
    """

    def run(*session_ids: object) -> dict[str, int]:
        db.execute(
            sa.text(
                "UPDATE outbox SET delivered_at = now() "
                "WHERE delivered_at IS NULL AND NOT (CAST(session_id AS text) = ANY(:ids))"
            ),
            {"ids": [str(session_id) for session_id in session_ids]},
        )
        report: dict[str, int] = function_client("deliver_notifications").post("/").json
        return report

    return run


@pytest.fixture
def scratch_database(settings_env: Callable[..., None]) -> Iterator[None]:
    """An empty database of its own, made the configured one for the test (for walking migrations)."""
    name = f"scratch_{secrets.token_hex(4)}"
    url = get_engine().url.set(database=name).render_as_string(hide_password=False)
    admin = sa.create_engine(get_engine().url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    settings_env(DATABASE_URL=url)
    reset_engine()
    try:
        yield
    finally:
        reset_engine()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def fake_gemini_server() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_gemini(fake_gemini_server: FakeGemini, settings_env: Callable[..., None]) -> Iterator[FakeGemini]:
    """The local fake Gemini server, reset, with the bot configured to answer through it."""
    from shared.clients import genai as genai_client

    fake_gemini_server.reset()
    settings_env(
        GOOGLE_API_KEY="fake-key",
        GOOGLE_GEMINI_BASE_URL=fake_gemini_server.url,
        GEMINI_TIMEOUT_SECONDS="1",
        GEMINI_RETRY_ATTEMPTS="2",
    )
    # One client serves every test: building one per test costs most of a second.
    genai_client.get_client()
    yield fake_gemini_server


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_openai(fake_openai_server: FakeOpenAI, settings_env: Callable[..., None]) -> Iterator[FakeOpenAI]:
    """The local fake OpenAI-compatible server, reset, with ANSWER_PROVIDER=openai pointed at it."""
    fake_openai_server.reset()
    settings_env(
        ANSWER_PROVIDER="openai",
        OPENAI_BASE_URL=fake_openai_server.url,
        OPENAI_API_KEY="fake-openai-key",
        OPENAI_MODEL="fake-model-7b",
        OPENAI_TIMEOUT_SECONDS="2",
    )
    yield fake_openai_server


@pytest.fixture(scope="session")
def shop_api() -> Iterator[FakeShopApi]:
    shop = FakeShopApi().start()
    yield shop
    shop.stop()


@pytest.fixture
def shop(shop_api: FakeShopApi, settings_env: Callable[..., None]) -> FakeShopApi:
    """The fake shop API, reset, with the repository's actions allowed to call it and signed identities trusted."""
    shop_api.reset()
    settings_env(
        SHOP_API_BASE=shop_api.url,
        SHOP_API_TOKEN="local-shop-token",
        ACTIONS_ALLOWED_HOSTS=shop_api.url.removeprefix("http://"),
        IDENTITY_SIGNING_SECRET=SECRET,
        ACTION_TIMEOUT_SECONDS="1",
    )
    return shop_api


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Debian Chromium for every browser test; each test opens its own contexts."""
    from pathlib import Path

    from tests.chromium import CHROMIUM, LAUNCH_ARGS, require

    require(Path(CHROMIUM).exists(), "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, local_run: str) -> Iterator[Callable[..., Any]]:
    """Opens the demo storefront (with the widget) in a fresh browser context: `open_page(viewport=...)`.

    Each page collects its script errors in `page.problems`.
    """
    contexts = []

    def new(**context_options: Any) -> Any:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
        page.goto(local_run + "/")
        return page

    yield new
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    """The demo storefront in a fresh browser context."""
    return open_page()


@pytest.fixture
def local_run() -> Iterator[str]:
    """The local run's dispatcher served on a free port."""
    server = make_server(
        "127.0.0.1", 0, Dispatcher(function_apps()), threaded=True, request_handler=LocalRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
