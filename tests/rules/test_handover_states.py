"""Conversation states: every (state, event) pair is either in the table or refused; the database agrees."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from shared.core import errors
from shared.db.engine import get_engine, transaction
from shared.db.migrate import alembic_config
from shared.handover.states import EVENTS, STATES, TRANSITIONS, agent_actions, next_state, widget_status
from shared.services import _handover
from tests.factories import new_operator, new_session

EXPECTED = {
    "bot": {"handover": "waiting", "take_over": "assigned", "assign": "assigned", "resolve": "resolved",
            "customer_wrote": "bot"},
    "waiting": {"handover": "waiting", "take_over": "assigned", "assign": "assigned", "hand_back": "bot",
                "resolve": "resolved", "customer_wrote": "waiting"},
    "assigned": {"handover": "assigned", "take_over": "assigned", "assign": "assigned", "hand_back": "bot",
                 "resolve": "resolved", "customer_wrote": "assigned"},
    "resolved": {"handover": "waiting", "take_over": "assigned", "assign": "assigned", "reopen": "waiting",
                 "customer_wrote": "bot"},
}  # fmt: skip


@pytest.mark.parametrize("state, event", list(itertools.product(STATES, EVENTS)))
def test_every_state_and_event_pair_is_allowed_or_refused(state, event):
    expected = EXPECTED[state].get(event)
    if expected is None:
        with pytest.raises(errors.Conflict):
            next_state(state, event)
    else:
        assert next_state(state, event) == expected


def test_the_table_holds_exactly_the_expected_pairs():
    assert {(s, e): t for s, events in EXPECTED.items() for e, t in events.items()} == TRANSITIONS


@pytest.mark.parametrize("state", STATES)
def test_an_operators_actions_are_the_tables_agent_events_but_taking_over_their_own(state):
    allowed = [e for e in ("take_over", "hand_back", "resolve", "reopen", "assign") if e in EXPECTED[state]]
    assert agent_actions(state, owned_by_me=False) == allowed
    assert agent_actions(state, owned_by_me=True) == [e for e in allowed if e != "take_over"]


def test_writing_to_a_resolved_conversation_never_queues_it_again():
    assert next_state("resolved", "customer_wrote") == "bot"


@pytest.mark.parametrize("state, status", [("bot", "open"), ("waiting", "escalated"), ("assigned", "escalated"),
                                           ("resolved", "open")])  # fmt: skip
def test_the_widget_status_is_escalated_while_a_person_is_involved(state, status):
    assert widget_status(state) == status


def test_a_transition_is_stored_with_its_reason_and_history(db):
    session = new_session()
    with transaction() as conn:
        assert _handover.transition(conn, session.id, "handover", reason="asked for a person", kind="person") == (
            "bot",
            "waiting",
        )
    with transaction() as conn, pytest.raises(errors.Conflict):
        _handover.transition(conn, session.id, "reopen")
    row = db.execute(
        sa.text("SELECT state, handover_reason, waiting_since FROM chat_sessions WHERE id = :s"), {"s": session.id}
    ).one()
    assert (row.state, row.handover_reason) == ("waiting", "asked for a person") and row.waiting_since
    events = db.execute(
        sa.text("SELECT from_state, to_state, event FROM conversation_events WHERE session_id = :s"), {"s": session.id}
    ).all()
    assert [tuple(e) for e in events] == [("bot", "waiting", "handover")]


def test_the_database_refuses_a_state_outside_the_table(db):
    session = new_session()
    with pytest.raises(sa.exc.DBAPIError, match="chat_sessions_state_valid"):
        db.execute(sa.text("UPDATE chat_sessions SET state = 'closed' WHERE id = :s"), {"s": session.id})


def _ask_for_a_person(function_client, session):
    body = {"session_id": str(session.id), "content": "I want to talk to a person"}
    assert function_client("post_message").post("/", json=body, headers=session.auth).status_code == 200


def test_a_second_handover_starts_a_new_first_response_measurement(function_client, db):
    agent = new_operator()
    api = function_client("operator_api")
    started = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _ask_for_a_person(function_client, session)
    api.post(f"/conversations/{session.id}/messages", json={"content": "Hello!"}, headers=agent.auth)
    api.post(f"/conversations/{session.id}/actions", json={"action": "hand_back"}, headers=agent.auth)
    first_reply = db.execute(
        sa.text("SELECT max(created_at) FROM messages WHERE session_id = :s AND sender = 'agent'"), {"s": session.id}
    ).scalar_one()
    time.sleep(0.05)
    _ask_for_a_person(function_client, session)
    time.sleep(0.2)
    api.post(f"/conversations/{session.id}/messages", json={"content": "Back again!"}, headers=agent.auth)
    db.rollback()
    measured = db.execute(
        sa.text("SELECT first_human_reply_at, handover_started_at FROM chat_sessions WHERE id = :s"), {"s": session.id}
    ).one()
    assert measured.first_human_reply_at > first_reply
    assert measured.first_human_reply_at >= measured.handover_started_at > first_reply
    found = api.get(f"/metrics?from={started.isoformat().replace('+00:00', 'Z')}", headers=agent.auth).json
    assert 0.2 <= found["median_first_response_seconds"] < 30


def test_a_conversation_handed_back_after_a_reply_keeps_its_first_response(function_client):
    agent = new_operator()
    api = function_client("operator_api")
    started = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _ask_for_a_person(function_client, session)
    api.post(f"/conversations/{session.id}/messages", json={"content": "Hello!"}, headers=agent.auth)
    api.post(f"/conversations/{session.id}/actions", json={"action": "hand_back"}, headers=agent.auth)
    found = api.get(f"/metrics?from={started.isoformat().replace('+00:00', 'Z')}", headers=agent.auth).json
    assert found["median_first_response_seconds"] is not None


def test_the_migration_measures_existing_conversations_from_their_latest_handover(scratch_database):
    command.upgrade(alembic_config(), "0011")
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with get_engine().begin() as conn:
        session_id = conn.execute(
            sa.text("""
                INSERT INTO chat_sessions (id, token_hash, state, waiting_since, first_human_reply_at)
                VALUES (gen_random_uuid(), 'h', 'assigned', :second, :first_reply) RETURNING id
            """),
            {"second": t0 + timedelta(minutes=30), "first_reply": t0 + timedelta(minutes=5)},
        ).scalar_one()
        for minutes, (before, after, event) in (
            (0, ("bot", "waiting", "handover")),
            (10, ("assigned", "bot", "hand_back")),
            (30, ("bot", "waiting", "handover")),
            (42, ("waiting", "assigned", "take_over")),
        ):
            conn.execute(
                sa.text("""
                    INSERT INTO conversation_events (session_id, from_state, to_state, event, created_at)
                    VALUES (:s, :f, :t, :e, :at)
                """),
                {"s": session_id, "f": before, "t": after, "e": event, "at": t0 + timedelta(minutes=minutes)},
            )
        for minutes, internal in ((5, False), (40, True), (42, False), (50, False)):
            conn.execute(
                sa.text("""
                    INSERT INTO messages (session_id, sender, content, internal, created_at)
                    VALUES (:s, 'agent', 'reply', :internal, :at)
                """),
                {"s": session_id, "internal": internal, "at": t0 + timedelta(minutes=minutes)},
            )
    command.upgrade(alembic_config(), "0012")
    with get_engine().connect() as conn:
        row = conn.execute(sa.text("SELECT handover_started_at, first_human_reply_at FROM chat_sessions")).one()
    assert (row.handover_started_at, row.first_human_reply_at) == (
        t0 + timedelta(minutes=30),
        t0 + timedelta(minutes=42),
    )
