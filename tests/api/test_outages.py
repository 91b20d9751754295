"""Every form of database outage answers 503 with Retry-After, and the next request after it succeeds."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from shared.answering import use_provider
from shared.db.engine import get_engine, reset_engine
from tests.factories import client_message_id, new_session
from tests.fakes import CountingProvider


def _assert_503(response) -> None:
    assert response.status_code == 503, response.data
    assert response.json["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) >= 1
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.fixture
def unreachable_database(settings_env):
    def point_at(url: str) -> None:
        settings_env(DATABASE_URL=url, DB_POOL_TIMEOUT_SECONDS="1")
        reset_engine()

    yield point_at
    reset_engine()


def test_a_refused_tcp_connection_is_a_503(function_client, unreachable_database):
    unreachable_database("postgresql+pg8000://nobody@127.0.0.1:9/nowhere")
    _assert_503(function_client("create_session").post("/"))


def test_a_missing_unix_socket_is_a_503(function_client, unreachable_database, tmp_path):
    unreachable_database(f"postgresql+pg8000://postgres@/support?unix_sock={tmp_path}/.s.PGSQL.5432")
    _assert_503(function_client("create_session").post("/"))


def test_an_exhausted_pool_is_a_503_and_the_next_request_succeeds(function_client, settings_env):
    settings_env(DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0", DB_POOL_TIMEOUT_SECONDS="0.3")
    reset_engine()
    try:
        held = get_engine().connect()
        try:
            _assert_503(function_client("create_session").post("/"))
        finally:
            held.close()
        assert function_client("create_session").post("/").status_code == 201
    finally:
        reset_engine()


def drop_every_connection() -> None:
    """What a server restart does to the pool: every connection it holds is cut."""
    outsider = sa.create_engine(get_engine().url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with outsider.connect() as conn:
        doomed = (
            conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            .scalars()
            .all()
        )
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) AS pid"), {"p": doomed})
        deadline = time.monotonic() + 5
        # Termination is a signal: wait until those backends are really gone.
        while (
            time.monotonic() < deadline
            and conn.execute(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(CAST(:p AS int[]))"), {"p": doomed}
            ).scalar()
        ):
            time.sleep(0.02)
    outsider.dispose()


class ServerRestartsWhileAnswering(CountingProvider):
    """While the answer is written, the server drops every connection, as a restart would."""

    def answer(self, request):
        drop_every_connection()
        return super().answer(request)


def test_connections_dropped_while_answering_do_not_fail_the_request(function_client):
    session, cid = new_session(), client_message_id()
    body = {"session_id": str(session.id), "content": "Do you ship abroad?", "client_message_id": cid}
    with use_provider(ServerRestartsWhileAnswering()):
        response = function_client("post_message").post("/", json=body, headers=session.auth)
    assert response.status_code == 200
    assert response.json["reply"]["sources"]


def test_an_answer_that_fails_after_storing_gives_its_lease_back_so_the_retry_answers_at_once(function_client, db):
    from shared.core import errors
    from shared.services import _intake as retries

    session, cid = new_session(), client_message_id()
    message_id = db.execute(
        sa.text(
            "INSERT INTO messages (session_id, sender, content, client_message_id, answer_lease_until) "
            "VALUES (:s, 'user', 'Do you ship abroad?', :cid, now() + interval '1 hour') RETURNING id"
        ),
        {"s": session.id, "cid": cid},
    ).scalar()
    with pytest.raises(errors.ServiceUnavailable), retries.answering(message_id):
        raise errors.ServiceUnavailable("The database is unavailable.")
    started = time.monotonic()
    body = {"session_id": str(session.id), "content": "Do you ship abroad?", "client_message_id": cid}
    retry = function_client("post_message").post("/", json=body, headers=session.auth)
    assert retry.status_code == 200 and time.monotonic() - started < 2
    assert retry.json["user_message"]["id"] == message_id


def test_after_connections_are_dropped_the_next_request_succeeds_without_a_restart(function_client):
    session = new_session()
    drop_every_connection()
    assert function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth).status_code == 200


def test_a_connection_lost_right_after_its_checkout_ping_is_a_503_and_then_heals(function_client, settings_env):
    settings_env(DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0")
    reset_engine()
    try:
        engine = get_engine()
        with engine.connect():
            pass  # one pooled connection, to be cut between its ping and the transaction's start

        def cut_after_ping(dbapi_connection, record, proxy):
            drop_every_connection()

        sa.event.listen(engine.pool, "checkout", cut_after_ping, once=True)
        _assert_503(function_client("create_session").post("/"))
        assert function_client("create_session").post("/").status_code == 201
    finally:
        reset_engine()


def test_a_search_on_a_connection_cut_while_idle_runs_again_on_a_new_one():
    from shared.knowledge import lookup

    assert lookup.find_answers("How do I return an item?", []).entries  # a pooled connection, now idle
    drop_every_connection()
    found = lookup.find_answers("How do I return an item?", [])  # checked out without a ping: found dead
    assert found.entries and "return" in found.entries[0].question.lower()
