"""The console's metrics over a range: conversations, handovers, response times, CSAT, feedback, tokens."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command

from shared.db import conversations, user_messages
from shared.db.engine import get_engine, transaction
from shared.db.migrate import alembic_config
from tests.factories import new_operator, new_session


def _post(function_client, session, content):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def _metrics(function_client, operator, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return function_client("operator_api").get(f"/metrics?{params}", headers=operator.auth)


def test_metrics_count_what_happened_in_the_range(function_client, db):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    bot_only, handed, disliked = new_session(), new_session(), new_session()
    _post(function_client, bot_only, "Can I return something I bought?")
    _post(function_client, handed, "I want to talk to a person")
    reply = _post(function_client, disliked, "What's the weather in Paris?").json["reply"]
    function_client("post_feedback").post(
        "/", json={"session_id": str(disliked.id), "message_id": reply["id"], "rating": "down"}, headers=disliked.auth
    )
    api = function_client("operator_api")
    api.post(f"/conversations/{handed.id}/messages", json={"content": "Hello!"}, headers=agent.auth)
    api.post(f"/conversations/{handed.id}/actions", json={"action": "resolve"}, headers=agent.auth)
    function_client("post_csat").post("/", json={"session_id": str(handed.id), "rating": 4}, headers=handed.auth)
    end = datetime.now(UTC) + timedelta(seconds=1)
    start, end = _moved_to_a_range_of_their_own([bot_only, handed, disliked], start, end)
    found = _metrics(function_client, agent, **{"from": start.isoformat().replace("+00:00", "Z"),
                                                "to": end.isoformat().replace("+00:00", "Z")}).json  # fmt: skip
    assert found["conversations"] == 3
    assert found["involvement_rate"] == round(1 / 3, 4)
    assert (found["resolution_rate"], found["automation_rate"]) == (1.0, round(1 / 3, 4))
    assert found["handover_rate"] == round(1 / 3, 4)
    assert found["handovers_by_reason"] == {"person": 1}
    assert found["median_first_response_seconds"] >= 0 and found["median_resolution_seconds"] >= 0
    assert (found["csat_average"], found["csat_responses"], found["csat_response_rate"]) == (4.0, 1, 1.0)
    assert (found["thumbs_up"], found["thumbs_down"]) == (0, 1)
    assert found["unanswered_questions"] == 1
    assert found["estimated_cost_usd"] == 0.0


def _moved_to_a_range_of_their_own(
    sessions, start: datetime, end: datetime, elsewhere: datetime | None = None
) -> tuple[datetime, datetime]:
    """Shift these conversations' times into a past range no other test writes in; returns that range."""
    elsewhere = elsewhere or datetime(2001, 1, 1, tzinfo=UTC) + timedelta(
        days=secrets.randbelow(3650), hours=secrets.randbelow(24)
    )
    shift = start - elsewhere
    params = {"shift": shift, "ids": [s.id for s in sessions]}
    with transaction() as conn:
        for table, columns in _TIMES.items():
            moved = ", ".join(f"{c} = {c} - CAST(:shift AS interval)" for c in columns)
            conn.execute(sa.text(f"UPDATE {table} SET {moved} WHERE session_id = ANY(:ids)"), params)
        moved = ", ".join(f"{c} = {c} - CAST(:shift AS interval)" for c in _SESSION_TIMES)
        conn.execute(sa.text(f"UPDATE chat_sessions SET {moved} WHERE id = ANY(:ids)"), params)
    return start - shift, end - shift


_SESSION_TIMES = (
    "created_at", "last_activity_at", "first_user_message_at", "waiting_since", "handover_started_at",
    "first_human_reply_at", "resolved_at", "last_answer_at", "customer_last_at", "confirmed_at", "returned_at",
)  # fmt: skip
_TIMES = {"csat_ratings": ("created_at",), "message_feedback": ("updated_at",)}


def test_model_tokens_and_their_cost_are_summed(function_client, fake_gemini, db):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _post(function_client, session, "Can I return something I bought?")
    # In a range of its own: the previous test's conversations (a summary's tokens) stay out of it.
    start, end = _moved_to_a_range_of_their_own([session], start, datetime.now(UTC) + timedelta(seconds=1))
    found = _metrics(function_client, agent, **{"from": start.isoformat().replace("+00:00", "Z"),
                                                "to": end.isoformat().replace("+00:00", "Z")}).json  # fmt: skip
    outside = found["model_tokens_outside_conversations"]
    assert found["model_input_tokens"] + found["model_output_tokens"] - outside == 321 + 54
    if not outside:
        assert found["estimated_cost_usd"] == round((321 * 0.30 + 54 * 2.50) / 1e6, 4)


def test_tokens_of_no_conversation_count_in_the_cost(function_client, db):
    from shared.db import model_usage
    from shared.db.engine import transaction

    agent = new_operator()
    before = _metrics(function_client, agent).json
    with transaction() as conn:
        counts = {"input_tokens": 1000, "output_tokens": 200, "thinking_tokens": 0, "calls": 1}
        model_usage.add_to_deployment(conn, counts)
    after = _metrics(function_client, agent).json
    assert after["model_tokens_outside_conversations"] - before["model_tokens_outside_conversations"] == 1200
    assert after["model_input_tokens"] - before["model_input_tokens"] == 1000
    assert after["estimated_cost_usd"] > before["estimated_cost_usd"]


def test_metrics_default_to_the_last_week_and_refuse_a_backwards_range(function_client):
    agent = new_operator()
    default = _metrics(function_client, agent).json
    span = datetime.fromisoformat(default["to"]) - datetime.fromisoformat(default["from"])
    assert span == timedelta(days=7)
    backwards = _metrics(function_client, agent, **{"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})
    assert backwards.status_code == 422
    assert _metrics(function_client, agent, **{"from": "yesterday"}).status_code == 422


def test_a_time_without_a_zone_or_a_date_alone_is_read_as_utc(function_client):
    agent = new_operator()
    naive = _metrics(function_client, agent, **{"from": "2026-11-01T00:00:00", "to": "2026-11-08T12:00:00"})
    assert naive.status_code == 200
    assert (naive.json["from"], naive.json["to"]) == ("2026-11-01T00:00:00Z", "2026-11-08T12:00:00Z")
    dates = _metrics(function_client, agent, **{"from": "2026-11-01", "to": "2026-11-08"})
    assert dates.status_code == 200
    assert (dates.json["from"], dates.json["to"]) == ("2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z")


def test_times_out_of_reach_are_refused_with_a_422_not_a_500(function_client):
    agent = new_operator()
    for query in (
        {"to": "0001-01-03T00:00:00Z"},
        {"from": "0001-01-01T00:00:00Z", "to": "0001-01-03T00:00:00Z"},
        {"from": "9999-12-30T00:00:00Z"},
        {"to": "9999-12-31T23:59:59Z"},
        {"from": "2026-13-01"},
    ):
        answer = _metrics(function_client, agent, **query)
        assert answer.status_code == 422, query
        assert answer.json["error"]["code"] == "validation_failed"


def _budget_degraded_reply(session) -> None:
    """A reply answered from the knowledge base because a budget was spent, stored as the customer path stores it."""
    with transaction() as conn:
        asked = user_messages.insert_user_message(
            conn, session_id=session.id, content="Where is my order?", client_message_id=None, lease_seconds=10
        )
        reply = conversations.ReplyToStore(
            "From our help center: ...", [], [], {"degraded": True, "degraded_reason": "budget"}
        )
        conversations.store_reply(conn, session_id=session.id, reply_to_id=asked.id, reply=reply)


def test_degraded_replies_are_counted_by_reason(function_client, fake_gemini):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    fake_gemini.mode = "malformed"
    _post(function_client, new_session(), "Can I return something I bought?")
    _post(function_client, new_session(), "How long does shipping take?")
    fake_gemini.mode = "leaky"
    _post(function_client, new_session(), "Can I return something I bought?")
    fake_gemini.mode = "normal"
    _post(function_client, new_session(), "Can I return something I bought?")
    _budget_degraded_reply(new_session())
    found = _metrics(function_client, agent, **{"from": start.isoformat().replace("+00:00", "Z")}).json
    assert found["degraded_replies_by_reason"] == {"model": 2, "guarded": 1, "budget": 1}
    assert found["degraded_replies"] == 4


def test_existing_degraded_replies_are_counted_by_the_migration(scratch_database):
    command.upgrade(alembic_config(), "0011")
    replies = [
        {"degraded": True},
        {"degraded": True, "guarded": True},
        {"degraded": True, "degraded_reason": "budget"},
        {"degraded": True, "degraded_reason": "budget"},
        {"degraded": False},
    ]
    with get_engine().begin() as conn:
        session_id = conn.execute(
            sa.text("INSERT INTO chat_sessions (id, token_hash) VALUES (gen_random_uuid(), 'h') RETURNING id")
        ).scalar_one()
        for details in replies:
            conn.execute(
                sa.text("INSERT INTO messages (session_id, sender, content, details) VALUES (:s, 'bot', 'r', :d)"),
                {"s": session_id, "d": json.dumps(details)},
            )
    command.upgrade(alembic_config(), "0012")
    with get_engine().connect() as conn:
        counted = conn.execute(sa.text("SELECT degraded_replies FROM chat_sessions")).scalar_one()
    assert counted == {"model": 1, "guarded": 1, "budget": 2}
