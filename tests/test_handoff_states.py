"""Conversation states: every (state, event) pair is either in the table or refused; the database agrees."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from shared import errors
from shared.db.engine import transaction
from shared.handoff.states import EVENTS, STATES, TRANSITIONS, next_state, widget_status
from shared.services import handoff
from tests.factories import new_session

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


def test_writing_to_a_resolved_conversation_never_queues_it_again():
    assert next_state("resolved", "customer_wrote") == "bot"


@pytest.mark.parametrize("state, status", [("bot", "open"), ("waiting", "escalated"), ("assigned", "escalated"),
                                           ("resolved", "open")])  # fmt: skip
def test_the_widget_status_is_escalated_while_a_person_is_involved(state, status):
    assert widget_status(state) == status


def test_a_transition_is_stored_with_its_reason_and_history(db):
    session = new_session()
    with transaction() as conn:
        assert handoff.transition(conn, session.id, "handover", reason="asked for a person", kind="person") == (
            "bot",
            "waiting",
        )
    with transaction() as conn, pytest.raises(errors.Conflict):
        handoff.transition(conn, session.id, "reopen")
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
