"""Retention: purge_expired erases idle sessions in batches and is safe to run twice."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from devtools.archive import build_archive
from devtools.fake_issuer import FakeIssuer
from shared.embeddings import get_embedder, use_embedder
from shared.knowledge.lookup import find_answers
from shared.knowledge.sync import sync_file
from shared.services import prepare
from shared.services.prepare import PrepareReport
from tests.factories import new_session
from tests.fakes import HashingEmbedder


def _age(db, session_id, days: int) -> None:
    db.execute(
        sa.text("UPDATE chat_sessions SET last_activity_at = now() - make_interval(days => :d) WHERE id = :id"),
        {"d": days, "id": session_id},
    )


def _exists(db, session_id) -> bool:
    return db.execute(sa.text("SELECT count(*) FROM chat_sessions WHERE id = :id"), {"id": session_id}).scalar() == 1


def test_purge_erases_sessions_idle_past_retention_with_their_messages(function_client, db, settings_env):
    settings_env(RETENTION_DAYS="30", PURGE_BATCH_SIZE="2")
    old = [new_session() for _ in range(5)]
    recent = new_session()
    function_client("post_message").post(
        "/", json={"session_id": str(old[0].id), "content": "hello"}, headers=old[0].auth
    )
    for session in old:
        _age(db, session.id, 31)
    _age(db, recent.id, 29)
    response = function_client("purge_expired").post("/")
    assert response.status_code == 200
    assert response.json["deleted_sessions"] >= 5
    assert response.json["retention_days"] == 30
    assert not any(_exists(db, s.id) for s in old)
    assert _exists(db, recent.id)
    messages = db.execute(sa.text("SELECT count(*) FROM messages WHERE session_id = :id"), {"id": old[0].id})
    assert messages.scalar() == 0
    again = function_client("purge_expired").post("/")
    assert again.status_code == 200 and again.json["deleted_sessions"] == 0


def test_purge_then_rolls_up_the_metrics_of_the_settled_days(function_client, db):
    from datetime import UTC, datetime, timedelta

    from tests.api.test_metrics import _moved_to_a_range_of_their_own

    session = new_session()
    function_client("post_message").post(
        "/", json={"session_id": str(session.id), "content": "Can I return something I bought?"}, headers=session.auth
    )
    # Settled (older than 8 days), kept (younger than RETENTION_DAYS), and a day other tests leave settled.
    now, back = datetime.now(UTC), timedelta(days=25, hours=secrets.randbelow(72))
    _moved_to_a_range_of_their_own([session], now, now, elsewhere=now - back)
    day = (now - back).date()
    stale = db.execute(sa.text("SELECT computed_at FROM metrics_daily WHERE day = :d"), {"d": day}).one()
    assert stale.computed_at is None  # moving the conversation there marked its day
    response = function_client("purge_expired").post("/")
    assert response.status_code == 200 and response.json["rolled_up_days"] >= 1
    stored = db.execute(sa.text("SELECT computed_at, conversations FROM metrics_daily WHERE day = :d"), {"d": day})
    row = stored.one()
    assert row.computed_at is not None and row.conversations >= 1
    assert function_client("purge_expired").post("/").json["rolled_up_days"] == 0


def test_a_purged_conversations_day_is_rolled_up_again_without_it(function_client, db, settings_env):
    from datetime import UTC, datetime, timedelta

    from shared.services.metrics import roll_up
    from tests.api.test_metrics import _moved_to_a_range_of_their_own

    settings_env(RETENTION_DAYS="30")
    session = new_session()
    function_client("post_message").post(
        "/", json={"session_id": str(session.id), "content": "Can I return something I bought?"}, headers=session.auth
    )
    now, back = datetime.now(UTC), timedelta(days=40 + secrets.randbelow(200), hours=secrets.randbelow(24))
    _moved_to_a_range_of_their_own([session], now, now, elsewhere=now - back)
    day = (now - back).date()
    roll_up(first=day, last=day)
    stored = sa.text("SELECT computed_at, conversations FROM metrics_daily WHERE day = :d")
    before = db.execute(stored, {"d": day}).one()
    assert before.computed_at is not None and before.conversations >= 1
    assert function_client("purge_expired").post("/").status_code == 200
    assert not _exists(db, session.id)
    after = db.execute(stored, {"d": day}).one()
    assert after.computed_at is not None and after.conversations < before.conversations


SCHEDULER = "scheduler@acme-support.iam.gserviceaccount.com"
PURGE_URL = "https://europe-west1-acme-support.cloudfunctions.net/purge_expired"


@pytest.fixture
def production_scheduler(settings_env):
    from devtools.fake_issuer import FakeIssuer

    issuer = FakeIssuer().start()
    settings_env(
        ENVIRONMENT="production",
        ALLOWED_ORIGINS="https://shop.example",
        CONSOLE_ORIGINS="https://support.shop.example",
        SCHEDULER_AUDIENCE=PURGE_URL,
        SCHEDULER_SERVICE_ACCOUNT=SCHEDULER,
        GOOGLE_CERTS_URL=issuer.certs_url,
    )
    yield issuer
    issuer.stop()


def _purge(function_client, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return function_client("purge_expired").post("/", headers=headers)


def test_in_production_purge_runs_for_the_schedulers_oidc_token(function_client, production_scheduler):
    token = production_scheduler.issue(audience=PURGE_URL, email=SCHEDULER)
    assert _purge(function_client, token).status_code == 200


@pytest.mark.parametrize(
    "problem, expected",
    [
        ("missing", 401),
        ("expired", 401),
        ("wrong audience", 401),
        ("unverified email", 401),
        ("another account", 403),
        ("forged", 401),
    ],
)
def test_in_production_purge_refuses_any_other_caller(function_client, production_scheduler, problem, expected):
    issue = production_scheduler.issue
    tokens = {
        "missing": None,
        "expired": issue(audience=PURGE_URL, email=SCHEDULER, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        "wrong audience": issue(audience="https://elsewhere.example/purge_expired", email=SCHEDULER),
        "unverified email": issue(audience=PURGE_URL, email=SCHEDULER, email_verified=False),
        "another account": issue(audience=PURGE_URL, email="intruder@acme-support.iam.gserviceaccount.com"),
        "forged": FakeIssuer().issue(audience=PURGE_URL, email=SCHEDULER),
    }
    response = _purge(function_client, tokens[problem])
    assert response.status_code == expected
    assert response.json["error"]["code"] in ("unauthorized", "forbidden")


def test_purge_removes_finished_rate_limit_windows(function_client, db):
    db.execute(
        sa.text(
            "INSERT INTO rate_counters (key, window_start, count, expires_at) "
            "VALUES ('test:old', now() - interval '2 days', 3, now() - interval '1 day')"
        )
    )
    report = _purge(function_client).json
    assert report["deleted_rate_counters"] >= 1
    assert db.execute(sa.text("SELECT count(*) FROM rate_counters WHERE key = 'test:old'")).scalar() == 0


def test_prepare_migrates_and_imports_once_and_again_finds_nothing_to_do(function_client, restore_knowledge_base):
    first = function_client("prepare_deployment").post("/")
    assert first.status_code == 200, first.json
    again = function_client("prepare_deployment").post("/").json
    assert again["schema_revision"] == first.json["schema_revision"] is not None
    assert (again["inserted"], again["updated"], again["removed"], again["embedded_entries"]) == (0, 0, 0, 0)
    assert again["unchanged"] > 0


def test_prepare_embeds_with_the_deployed_encoders_what_a_laptop_synced_with_others(
    function_client, restore_knowledge_base
):
    with use_embedder(HashingEmbedder(model="fake/laptop")):
        sync_file()
    with use_embedder(HashingEmbedder(model="fake/deployed")):
        report = function_client("prepare_deployment").post("/").json
        answer = find_answers("How can I track my order?", [])
    assert report["embedder"] == "fake/deployed" and report["entries_with_vectors"] > 0
    assert answer.entries and answer.entries[0].id == "order-tracking"


def test_a_second_preparation_waits_for_the_first(restore_knowledge_base):
    finished: list[PrepareReport] = []
    with prepare.exclusive():
        waiting = threading.Thread(target=lambda: finished.append(prepare.prepare()))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and not finished
    waiting.join(timeout=300)
    assert len(finished) == 1


def test_in_production_only_the_schedulers_identity_may_prepare(function_client, production_scheduler):
    token = production_scheduler.issue(audience=PURGE_URL, email="intruder@acme-support.iam.gserviceaccount.com")
    response = function_client("prepare_deployment").post("/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert function_client("prepare_deployment").post("/").status_code == 401


@pytest.mark.slow
def test_the_deploy_archive_prepares_the_database_from_its_own_files(tmp_path, database_url):
    with zipfile.ZipFile(build_archive(tmp_path / "source.zip")) as zf:
        zf.extractall(tmp_path / "unpacked")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(Path(sys.executable).parent / "functions-framework"), "--target", "prepare_deployment"]
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": "", "ENVIRONMENT": "test"}
    env.pop("KNOWLEDGE_BASE_PATH", None)
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [*command, "--source", "main.py", "--port", str(port)],
            cwd=tmp_path / "unpacked",
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            report = _post_when_up(f"http://127.0.0.1:{port}/", server, tmp_path / "server.log")
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert report["unchanged"] > 0 and report["schema_revision"]
    assert report["embedder"] == get_embedder().model and report["entries_with_vectors"] > 0


def _post_when_up(url: str, server: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            response = httpx.post(url, timeout=300)
        except httpx.TransportError:
            time.sleep(0.2)
            continue
        assert response.status_code == 200, log.read_text()[-3000:]
        return response.json()
    raise AssertionError("prepare_deployment did not start within 120 s")
