"""Abuse limits kept in Postgres: per client address, per session, token budgets; exact under concurrency."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import flask
import pytest
import sqlalchemy as sa

from shared.answering import use_provider
from shared.db.engine import transaction
from shared.db.limits import Rule, take
from shared.embeddings import use_embedder
from shared.services import _limits as limits
from shared.web.http import client_ip
from tests.factories import new_session
from tests.fakes import CountingProvider, HashingEmbedder

QUESTIONS = ["Can I return something I bought?", "Do you ship abroad?", "Do you accept PayPal?", "Reset my password"]


class QueryRecordingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)


def _address() -> str:
    return f"203.0.113.{secrets.randbelow(250) + 1}-{secrets.token_hex(3)}"


def _create(function_client, address: str):
    return function_client("create_session").post("/", environ_base={"REMOTE_ADDR": address})


def _post(function_client, session, content="How do I track my order?"):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def test_session_creation_is_limited_per_client_address_with_retry_after(function_client, settings_env):
    settings_env(RATE_LIMIT_SESSIONS_PER_MINUTE="3")
    address, other = _address(), _address()
    statuses = [_create(function_client, address).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = _create(function_client, address)
    assert refused.json["error"]["code"] == "rate_limited"
    # The two-window estimate: 3 counted early in a window still weigh 2 a third into the next one,
    # so the honest wait is up to 80 s (this asked for <= 60 and failed in a minute's first 20 s).
    assert 1 <= int(refused.headers["Retry-After"]) <= 80
    assert "wait" in refused.json["error"]["message"]
    assert _create(function_client, other).status_code == 201


def test_daily_session_limit_applies_too(function_client, settings_env):
    settings_env(RATE_LIMIT_SESSIONS_PER_MINUTE="100", RATE_LIMIT_SESSIONS_PER_DAY="2")
    address = _address()
    assert [_create(function_client, address).status_code for _ in range(3)] == [201, 201, 429]
    assert int(_create(function_client, address).headers["Retry-After"]) > 60


def test_messages_are_limited_per_session_without_any_model_or_embedding_call(function_client, settings_env):
    settings_env(RATE_LIMIT_MESSAGES_PER_MINUTE="2")
    session, provider, embedder = new_session(), CountingProvider(), QueryRecordingEmbedder()
    with use_provider(provider), use_embedder(embedder):
        admitted = [_post(function_client, session, question).status_code for question in QUESTIONS[:2]]
        calls = provider.calls
        refused = [_post(function_client, session, question).status_code for question in QUESTIONS[2:]]
    assert (admitted, refused) == ([200, 200], [429, 429])
    assert provider.calls == calls
    # A short second message is also searched with the first (a possible follow-up): still only admitted text.
    assert set(QUESTIONS[:2]) <= set(embedder.queries)
    assert not any(refused_text in query for query in embedder.queries for refused_text in QUESTIONS[2:])
    assert _post(function_client, new_session()).status_code == 200


def test_a_refused_message_is_not_stored(function_client, settings_env, db):
    settings_env(RATE_LIMIT_MESSAGES_PER_MINUTE="1")
    session = new_session()
    _post(function_client, session, "first")
    assert _post(function_client, session, "second").status_code == 429
    rows = db.execute(
        sa.text("SELECT content FROM messages WHERE session_id = :s AND sender = 'user'"), {"s": session.id}
    )
    assert [r.content for r in rows] == ["first"]


def _stored(db, session):
    return db.execute(
        sa.text("SELECT sender, content, details FROM messages WHERE session_id = :s ORDER BY id"), {"s": session.id}
    ).all()


def _assert_answered_without_the_model(response, db, session, question, caplog):
    assert response.status_code == 200
    reply = response.json["reply"]
    assert reply["degraded"] is True
    assert reply["sources"][0]["id"] == "password-reset"
    *_, user, bot = _stored(db, session)
    assert (user.sender, user.content) == ("user", question)
    assert bot.details["degraded"] is True and bot.details["degraded_reason"] == "budget"
    counted = db.execute(sa.text("SELECT degraded_replies FROM chat_sessions WHERE id = :s"), {"s": session.id})
    assert counted.scalar() == {"budget": 1}  # what the metrics count degraded replies by
    said = [r for r in caplog.records if r.name == "support.chat" and "budget" in r.getMessage()]
    assert said and all(question not in f"{r.getMessage()} {vars(r)}" for r in caplog.records)


QUESTION = "I forgot my password, how can I get back into my account?"


def test_a_spent_session_budget_answers_from_the_knowledge_base_not_the_model(
    function_client, fake_gemini, settings_env, db, caplog
):
    settings_env(RATE_LIMIT_SESSION_TOKENS_PER_DAY="500")
    session = new_session()
    assert _post(function_client, session).status_code == 200  # the fake reports 375 tokens
    assert _post(function_client, session, "And returns?").status_code == 200  # 375 < 500: still the model
    calls = len(fake_gemini.answers())
    response = _post(function_client, session, QUESTION)
    _assert_answered_without_the_model(response, db, session, QUESTION, caplog)
    assert len(fake_gemini.answers()) == calls
    assert _post(function_client, new_session()).json["reply"]["degraded"] is False  # another session's budget


@pytest.fixture
def deployment_budget(settings_env, db):
    def spend(tokens: int) -> None:
        settings_env(RATE_LIMIT_TOKENS_PER_DAY=str(tokens))

    db.execute(sa.text("DELETE FROM rate_counters WHERE key = 'tokens:all'"))
    yield spend
    db.execute(sa.text("DELETE FROM rate_counters WHERE key = 'tokens:all'"))


@pytest.mark.parametrize("stream", [False, True])
def test_a_spent_deployment_budget_answers_every_session_from_the_knowledge_base(
    function_client, fake_gemini, deployment_budget, db, caplog, stream
):
    deployment_budget(700)
    assert _post(function_client, new_session()).status_code == 200
    assert _post(function_client, new_session()).status_code == 200
    calls, session = len(fake_gemini.answers()), new_session()
    if stream:
        body = {"session_id": str(session.id), "content": QUESTION}
        headers = {**session.auth, "Accept": "text/event-stream"}
        events = function_client("post_message").post("/", json=body, headers=headers).get_data(as_text=True)
        assert '"degraded": true' in events and "password-reset" in events
        assert _stored(db, session)[-1].details["degraded_reason"] == "budget"
    else:
        _assert_answered_without_the_model(_post(function_client, session, QUESTION), db, session, QUESTION, caplog)
    assert len(fake_gemini.answers()) == calls


def test_a_spent_budget_never_stops_a_customer_writing_to_an_agent(function_client, deployment_budget, db):
    deployment_budget(1)
    session = new_session()
    with transaction() as conn:
        limits.charge_tokens(conn, session.id, {"input_tokens": 50, "output_tokens": 5})
    db.execute(sa.text("UPDATE chat_sessions SET state = 'assigned' WHERE id = :s"), {"s": session.id})
    response = _post(function_client, session, "Thanks, here is my order number")
    assert response.status_code == 200 and response.json["reply"] is None
    assert [r.content for r in _stored(db, session)] == ["Thanks, here is my order number"]


def test_abuse_limits_still_refuse_when_a_budget_is_spent(function_client, deployment_budget, settings_env):
    deployment_budget(1)
    settings_env(RATE_LIMIT_MESSAGES_PER_MINUTE="1")
    session = new_session()
    with transaction() as conn:
        limits.charge_tokens(conn, session.id, {"input_tokens": 50})
    assert _post(function_client, session, QUESTION).status_code == 200
    refused = _post(function_client, session, QUESTION + " Please?")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


@pytest.mark.parametrize("parallel, limit", [(12, 5), (8, 1)])
def test_a_limit_admits_exactly_its_count_under_concurrency(parallel, limit):
    key = f"test:{secrets.token_hex(4)}"

    def attempt(_: int) -> int:
        with transaction() as conn:
            return take(conn, [Rule(key, limit, 86_400)])  # a day: no window boundary mid-test

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        waits = list(pool.map(attempt, range(parallel)))
    assert waits.count(0) == limit


def test_parallel_session_creations_from_one_address_admit_exactly_the_limit(function_client, settings_env):
    settings_env(RATE_LIMIT_SESSIONS_PER_MINUTE="4")
    address = _address()
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: _create(function_client, address).status_code, range(10)))
    assert sorted(statuses) == [201] * 4 + [429] * 6


def _takes(rule: Rule, moments: list[float]) -> list[int]:
    waits = []
    for moment in moments:
        with transaction() as conn:
            waits.append(take(conn, [rule], at=moment))
    return waits


BOUNDARY = 1_800_000_000.0  # a whole minute, day and hour since the epoch


def test_a_burst_across_a_minute_boundary_stays_within_the_limit():
    # The probe's burst: 20 sessions in 1.7 s, half before the minute ends and half after, limit 10.
    rule = Rule(f"test:{secrets.token_hex(4)}", 10, 60)
    moments = [BOUNDARY - 0.85 + i * 1.7 / 19 for i in range(20)]
    assert _takes(rule, moments).count(0) == 10


def test_what_a_key_counted_fades_out_over_the_next_window():
    rule = Rule(f"test:{secrets.token_hex(4)}", 10, 60)
    assert _takes(rule, [BOUNDARY - 1] * 10).count(0) == 10
    # Half-way through the next window half of those still count; a full window later none do.
    assert _takes(rule, [BOUNDARY + 30] * 6).count(0) == 5
    assert _takes(rule, [BOUNDARY + 120] * 11).count(0) == 10


def test_the_wait_a_refusal_names_is_when_the_next_unit_fits():
    rule = Rule(f"test:{secrets.token_hex(4)}", 4, 60)
    _takes(rule, [BOUNDARY + 50] * 4)
    [wait] = _takes(rule, [BOUNDARY + 55])
    assert wait == 1 * 60 / 4 + 5  # the next window, once a quarter of the four has faded
    assert _takes(rule, [BOUNDARY + 55 + wait - 1, BOUNDARY + 55 + wait]) == [1, 0]


def test_a_refused_rule_counts_nothing_on_the_others():
    minute, day = Rule(f"test:{secrets.token_hex(4)}:m", 1, 60), Rule(f"test:{secrets.token_hex(4)}:d", 5, 86_400)
    with transaction() as conn:
        assert take(conn, [minute, day]) == 0
        assert take(conn, [minute, day]) > 0
        assert limits.limits.full(conn, [day]) == {}
    with transaction() as conn:
        count = conn.execute(sa.text("SELECT count FROM rate_counters WHERE key = :k"), {"k": day.key}).scalar()
    assert count == 1


def _request(remote: str, forwarded: str | None) -> flask.Request:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    environ = {"REMOTE_ADDR": remote, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}}
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(environ_base=environ)
    return flask.Request(builder.get_environ())


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no trusted proxy: the peer is the client, whatever the header says
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client forged the first entry
        (1, "198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 35.191.0.1", "198.51.100.7"),  # behind a load balancer
        (2, "198.51.100.7", "198.51.100.7"),
        (1, None, "10.0.0.9"),
    ],
)
def test_client_address_believes_only_entries_appended_by_trusted_proxies(hops, forwarded, expected):
    assert client_ip(_request("10.0.0.9", forwarded), hops) == expected


def test_the_migration_keeps_each_keys_newest_window_and_the_one_before(scratch_database):
    from alembic import command

    from shared.db.engine import get_engine
    from shared.db.migrate import alembic_config

    command.upgrade(alembic_config(), "0012")
    windows = [  # key, window start (minutes ago), count
        ("sessions:a", 2, 3),
        ("sessions:a", 1, 4),
        ("sessions:a", 0, 5),
        ("sessions:b", 3, 7),  # not adjacent to b's newest: it no longer counts
        ("sessions:b", 0, 1),
    ]
    with get_engine().begin() as conn:
        for key, ago, count in windows:
            conn.execute(
                sa.text(
                    "INSERT INTO rate_counters (key, window_start, count, expires_at) VALUES "
                    "(:k, date_trunc('minute', now()) - make_interval(mins => :ago), :c, "
                    "date_trunc('minute', now()) - make_interval(mins => :ago - 1))"
                ),
                {"k": key, "ago": ago, "c": count},
            )
    command.upgrade(alembic_config(), "head")
    with get_engine().connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT key, count, previous, expires_at - window_start AS span FROM rate_counters "
                "WHERE key LIKE 'sessions:%' ORDER BY key"
            )
        ).all()
    assert [(r.key, r.count, r.previous, r.span.total_seconds()) for r in rows] == [
        ("sessions:a", 5, 4, 120),
        ("sessions:b", 1, 0, 120),
    ]
    command.downgrade(alembic_config(), "0012")


def test_by_default_one_address_can_spend_at_most_a_tenth_of_the_deployments_daily_budget():
    from shared.core.settings import Settings

    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    one_address = defaults["rate_limit_sessions_per_day"] * defaults["rate_limit_session_tokens_per_day"]
    assert 0 < one_address <= defaults["rate_limit_tokens_per_day"] / 10
