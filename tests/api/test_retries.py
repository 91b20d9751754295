"""Retries as exact as idempotency keys: one exchange and one model call per key, whatever the timing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from shared.answering import use_provider
from shared.db.engine import get_engine, reset_engine
from tests.factories import client_message_id, new_session
from tests.fakes import CountingProvider


class SlowProvider(CountingProvider):
    """The offline answer after a delay, like a model that takes its time."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def answer(self, request):
        time.sleep(self.seconds)
        return super().answer(request)


def _post(function_client, session, content, cid=None, **headers):
    body = {"session_id": str(session.id), "content": content}
    if cid is not None:
        body["client_message_id"] = cid
    return function_client("post_message").post("/", json=body, headers={**session.auth, **headers})


def _rows(db, session_id):
    return db.execute(
        sa.text("SELECT sender, reply_to_id FROM messages WHERE session_id = :s ORDER BY id"), {"s": session_id}
    ).all()


def test_concurrent_duplicates_all_get_the_one_stored_exchange(function_client, db):
    session, cid, provider = new_session(), client_message_id(), SlowProvider(0.2)
    with use_provider(provider), ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: _post(function_client, session, "Do you ship abroad?", cid), range(20)))
    assert [r.status_code for r in responses] == [200] * 20
    assert len({r.get_data() for r in responses}) == 1
    assert provider.calls == 1
    assert [r.sender for r in _rows(db, session.id)] == ["user", "bot"]


@pytest.fixture
def outside() -> Iterator[sa.Engine]:
    """Connections of the test's own, outside the pool the requests share."""
    engine = sa.create_engine(get_engine().url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def connection_per_request(settings_env) -> Iterator[None]:
    settings_env(DB_POOL_SIZE="10")
    reset_engine()
    yield
    reset_engine()


def _wait_for_lock_waiters(engine: sa.Engine, count: int) -> None:
    """Until `count` backends wait for a lock (each look is its own transaction: the statistics are cached per one)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
            if waiting.scalar() >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"{count} requests never queued on the session's lock")


@pytest.mark.usefixtures("connection_per_request")
def test_copies_queued_behind_the_sessions_lock_get_the_stored_exchange_never_a_500(function_client, db, outside):
    # Every copy reads the conversation before the first one's message exists, then waits for the lock.
    session, cid, copies = new_session(), client_message_id(), 6
    with outside.connect() as holder, ThreadPoolExecutor(max_workers=copies) as pool:
        holder.execute(sa.text("SELECT 1 FROM chat_sessions WHERE id = :s FOR UPDATE"), {"s": session.id})
        posts = [pool.submit(_post, function_client, session, "Do you ship abroad?", cid) for _ in range(copies)]
        _wait_for_lock_waiters(outside, copies)
        holder.rollback()
        responses = [post.result() for post in posts]
    assert [r.status_code for r in responses] == [200] * copies
    assert len({r.get_data() for r in responses}) == 1
    assert [r.sender for r in _rows(db, session.id)] == ["user", "bot"]


def test_a_retry_while_the_first_is_answering_waits_for_that_answer(function_client, db):
    session, cid, provider = new_session(), client_message_id(), SlowProvider(1.0)
    results = {}
    with use_provider(provider):
        first = threading.Thread(target=lambda: results.setdefault("first", _post(function_client, session, "Hi", cid)))
        first.start()
        time.sleep(0.3)
        retry = _post(function_client, session, "Hi", cid)
        first.join()
    assert retry.status_code == 200
    assert retry.json == results["first"].json
    assert provider.calls == 1


def test_a_retry_that_cannot_wait_long_enough_gets_a_retryable_409(function_client, settings_env, db):
    settings_env(IDEMPOTENCY_WAIT_SECONDS="0.3")
    session, cid, provider = new_session(), client_message_id(), SlowProvider(1.5)
    results = {}
    with use_provider(provider):
        first = threading.Thread(target=lambda: results.setdefault("first", _post(function_client, session, "Hi", cid)))
        first.start()
        time.sleep(0.3)
        early = _post(function_client, session, "Hi", cid)
        first.join()
        late = _post(function_client, session, "Hi", cid)
    assert early.status_code == 409
    assert early.json["error"]["code"] == "in_progress"
    assert 1 <= int(early.headers["Retry-After"]) <= 5
    assert late.status_code == 200 and late.json == results["first"].json
    assert provider.calls == 1


def test_the_same_key_with_different_content_is_a_422(function_client, chat_session, db):
    cid = client_message_id()
    assert _post(function_client, chat_session, "Where is my order?", cid).status_code == 200
    response = _post(function_client, chat_session, "Cancel my order", cid)
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "client_message_id"
    assert len(_rows(db, chat_session.id)) == 2


def test_the_idempotency_key_header_means_the_same_as_client_message_id(function_client, chat_session, db):
    key = {"Idempotency-Key": client_message_id()}
    provider = CountingProvider()
    with use_provider(provider):
        first = _post(function_client, chat_session, "Do you accept PayPal?", **key)
        again = _post(function_client, chat_session, "Do you accept PayPal?", **key)
    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert first.json["user_message"]["client_message_id"] == key["Idempotency-Key"]
    assert provider.calls == 1


def test_an_idempotency_key_that_contradicts_the_body_is_a_422(function_client, chat_session):
    response = _post(function_client, chat_session, "Hi", "body-key", **{"Idempotency-Key": "header-key"})
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "Idempotency-Key"


def test_a_message_whose_first_attempt_died_is_answered_by_its_retry(function_client, chat_session, db):
    cid = client_message_id()
    db.execute(
        sa.text(
            "INSERT INTO messages (session_id, sender, content, client_message_id, answer_lease_until) "
            "VALUES (:s, 'user', 'How do I reset my password?', :cid, now() - interval '1 second')"
        ),
        {"s": chat_session.id, "cid": cid},
    )
    provider = CountingProvider()
    with use_provider(provider):
        response = _post(function_client, chat_session, "How do I reset my password?", cid)
    assert response.status_code == 200
    assert response.json["reply"]["sources"][0]["id"] == "password-reset"
    assert provider.calls == 1
    assert [r.sender for r in _rows(db, chat_session.id)] == ["user", "bot"]
