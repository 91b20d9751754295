"""Gaps list what the bot only suggested or did not know, and propose the entry it offered or none."""

from __future__ import annotations

from shared.db import conversations, user_messages
from shared.db.engine import transaction
from tests.factories import new_operator, new_session, unique_marker


def _replied(question: str, details: dict) -> None:
    """A reply with this outcome, stored as the customer path stores it."""
    session = new_session()
    with transaction() as conn:
        asked = user_messages.insert_user_message(
            conn, session_id=session.id, content=question, client_message_id=None, lease_seconds=10
        )
        reply = conversations.ReplyToStore("Did you mean ...?", [], [], {"decision": "not_covered", **details})
        conversations.store_reply(conn, session_id=session.id, reply_to_id=asked.id, reply=reply)


def _gap(function_client, question: str) -> dict:
    groups = function_client("operator_api").get("/kb/gaps", headers=new_operator().auth).json["groups"]
    return next(g for g in groups if question in g["examples"])


def test_a_suggested_reply_is_a_gap_that_proposes_the_entry_it_offered(function_client):
    question = f"the thing with my parcel {unique_marker()}"
    _replied(question, {"outcome": "suggested", "outcome_reason": "weak_match", "about": ["order-tracking"]})
    gap = _gap(function_client, question)
    assert gap["reasons"]["suggested"] == 1
    assert gap["suggestion"]["id"] == "order-tracking"


def test_a_reply_that_did_not_know_is_a_gap_that_proposes_no_entry(function_client):
    question = f"do you sell parcel tape {unique_marker()}"
    _replied(question, {"outcome": "unknown", "outcome_reason": "no_match", "about": []})
    gap = _gap(function_client, question)
    assert gap["reasons"]["unknown"] == 1
    assert gap["suggestion"] is None


def test_an_answered_reply_without_a_thumbs_down_is_no_gap(function_client):
    question = f"where is my parcel {unique_marker()}"
    _replied(question, {"decision": "answered", "outcome": "answered", "about": ["order-tracking"]})
    groups = function_client("operator_api").get("/kb/gaps", headers=new_operator().auth).json["groups"]
    assert all(question not in g["examples"] for g in groups)
