"""Posting messages: answers from the knowledge base, idempotency, order, handover, nothing lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from shared.answering import use_provider
from shared.schemas.public import MessageCreate
from shared.services import chat
from tests.factories import NewSession, client_message_id, new_session
from tests.fakes import CountingProvider, FailingProvider


def _post(function_client, session: NewSession, content: str, **extra):
    body = {"session_id": str(session.id), "content": content, **extra}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def test_post_message_answers_from_the_knowledge_base(function_client, chat_session):
    response = _post(function_client, chat_session, "I want to send my order back")
    assert response.status_code == 200
    body = response.json
    assert body["user_message"]["content"] == "I want to send my order back"
    assert "30 days" in body["reply"]["content"]
    assert body["reply"]["sender"] == "bot"
    assert body["reply"]["sources"][0]["id"] == "return-policy"
    assert 2 <= len(body["reply"]["suggested_actions"]) <= 3
    assert "What is your return policy?" not in body["reply"]["suggested_actions"]
    assert body["session"] == {"status": "open", "state": "bot", "agent": None, "offer_contact": False}


def test_post_message_says_honestly_when_nothing_fits_and_offers_a_human(function_client, chat_session):
    body = _post(function_client, chat_session, "What's the weather in Paris?").json
    assert body["reply"]["sources"] == []
    assert "couldn't find" in body["reply"]["content"]
    assert body["reply"]["suggested_actions"][0] == "Talk to a human"


def test_post_message_stores_the_retrieval_decision_with_the_reply(function_client, chat_session, db):
    body = _post(function_client, chat_session, "What's the weather in Paris?").json
    details = db.execute(sa.text("SELECT details FROM messages WHERE id = :id"), {"id": body["reply"]["id"]}).scalar()
    assert details["decision"] == "not_covered"
    assert details["provider"] == "offline"


def _details(db, message_id):
    return db.execute(sa.text("SELECT details FROM messages WHERE id = :id"), {"id": message_id}).scalar()


def test_post_message_stores_the_outcome_its_reason_and_the_entry_it_was_about(function_client, chat_session, db):
    answered = _post(function_client, chat_session, "How do I reset my password?").json["reply"]
    details = _details(db, answered["id"])
    assert (details["outcome"], details["about"]) == ("answered", ["password-reset"])
    assert details["outcome_reason"] in {"clear_match", "evidence_agrees"}
    unknown = _details(
        db, _post(function_client, chat_session, "Who painted the Sistine Chapel ceiling?").json["reply"]["id"]
    )
    assert unknown["outcome"] in {"suggested", "unknown"} and unknown["decision"] == "not_covered"


def test_a_follow_up_is_answered_from_the_previous_topic_and_a_new_question_is_not(function_client, chat_session):
    assert _post(function_client, chat_session, "What warranty do your products have?").json["reply"]["sources"]
    follow_up = _post(function_client, chat_session, "and how do I claim it?").json["reply"]
    assert [s["id"] for s in follow_up["sources"]] == ["warranty"]
    unrelated = _post(function_client, chat_session, "Who painted the Sistine Chapel ceiling?").json["reply"]
    assert unrelated["sources"] == []


def test_a_short_question_the_previous_answer_explains_continues_its_topic(function_client, chat_session):
    assert _post(function_client, chat_session, "How do I reset my password?").json["reply"]["sources"]
    follow_up = _post(function_client, chat_session, "how long is the link good for?").json["reply"]
    assert [s["id"] for s in follow_up["sources"]] == ["password-reset"]


def test_saying_the_answer_helped_gets_a_glad_reply_not_the_answer_again(function_client, chat_session, db):
    assert _post(function_client, chat_session, "How do I reset my password?").json["reply"]["sources"]
    thanks = _post(function_client, chat_session, "thanks, that worked!").json["reply"]
    assert thanks["content"] == "Glad that helped! Is there anything else I can do for you?"
    assert thanks["sources"] == []
    details = _details(db, thanks["id"])
    assert details["decision"] == "acknowledged" and "outcome" not in details


def test_thanks_in_french_are_answered_in_french(function_client, chat_session):
    _post(function_client, chat_session, "Comment réinitialiser mon mot de passe ?")
    assert _post(function_client, chat_session, "merci, ça marche !").json["reply"]["content"].startswith("Ravi")


def test_thanks_that_take_it_back_are_read_as_a_question(function_client, chat_session):
    _post(function_client, chat_session, "How do I reset my password?")
    reply = _post(function_client, chat_session, "thanks but it still doesn't work").json["reply"]
    assert not reply["content"].startswith("Glad")


def test_retry_with_same_client_message_id_returns_the_same_reply_once(function_client, chat_session, db):
    provider = CountingProvider()
    cid = client_message_id()
    with use_provider(provider):
        first = _post(function_client, chat_session, "How do I track my order?", client_message_id=cid)
        second = _post(function_client, chat_session, "How do I track my order?", client_message_id=cid)
    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert provider.calls == 1
    count = db.execute(sa.text("SELECT count(*) FROM messages WHERE session_id = :s"), {"s": chat_session.id})
    assert count.scalar() == 2


def test_concurrent_posts_to_one_session_keep_a_consistent_order(function_client, chat_session, db):
    texts = [f"question {i}: do you ship abroad?" for i in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda t: _post(function_client, chat_session, t), texts))
    assert {r.status_code for r in results} == {200}
    rows = db.execute(
        sa.text("SELECT id, sender, content, reply_to_id FROM messages WHERE session_id = :s ORDER BY id"),
        {"s": chat_session.id},
    ).all()
    users = [r for r in rows if r.sender == "user"]
    replies = [r for r in rows if r.sender == "bot"]
    assert sorted(u.content for u in users) == sorted(texts)
    assert sorted(r.reply_to_id for r in replies) == sorted(u.id for u in users)
    assert all(r.id > r.reply_to_id for r in replies)


def test_model_failure_still_stores_the_message_and_a_graceful_reply(function_client, chat_session, db):
    with use_provider(FailingProvider()):
        response = _post(function_client, chat_session, "What warranty do you offer?")
    assert response.status_code == 200
    reply = response.json["reply"]
    assert "one-year" in reply["content"]
    rows = db.execute(
        sa.text("SELECT sender, content, details FROM messages WHERE session_id = :s ORDER BY id"),
        {"s": chat_session.id},
    ).all()
    assert [r.sender for r in rows] == ["user", "bot"]
    assert rows[0].content == "What warranty do you offer?"
    assert rows[1].details["degraded"] is True


def test_user_message_is_committed_before_the_model_is_asked(chat_session, db):
    seen_by_another_connection: list[str] = []

    class Inspecting(CountingProvider):
        def answer(self, request):
            rows = db.execute(sa.text("SELECT content FROM messages WHERE session_id = :s"), {"s": chat_session.id})
            seen_by_another_connection.extend(r.content for r in rows)
            return super().answer(request)

    chat.post_message(
        MessageCreate(session_id=chat_session.id, content="reset my password"),
        token=chat_session.token,
        provider=Inspecting(),
    )
    assert seen_by_another_connection == ["reset my password"]


def test_asking_for_a_person_hands_the_session_over(function_client, chat_session, db):
    body = _post(function_client, chat_session, "I want to talk to a real person").json
    assert body["session"]["status"] == "escalated"
    assert body["session"]["state"] == "waiting"
    assert "team" in body["reply"]["content"]
    session = db.execute(
        sa.text("SELECT state, handover_reason, handover_kind, waiting_since FROM chat_sessions WHERE id = :s"),
        {"s": chat_session.id},
    ).one()
    assert session.state == "waiting"
    assert session.handover_reason and session.handover_kind == "person"
    assert session.waiting_since is not None
    [event] = db.execute(
        sa.text("SELECT from_state, to_state, event, reason FROM conversation_events WHERE session_id = :s"),
        {"s": chat_session.id},
    ).all()
    assert (event.from_state, event.to_state, event.event) == ("bot", "waiting", "handover")
    assert event.reason == session.handover_reason


def test_a_handed_over_session_keeps_answering_and_its_status_stays_escalated(function_client, chat_session):
    _post(function_client, chat_session, "agent please")
    body = _post(function_client, chat_session, "how do I reset my password?").json
    assert body["session"]["status"] == "escalated"
    assert body["reply"]["sources"][0]["id"] == "password-reset"


def test_writing_to_a_resolved_conversation_reopens_it_to_the_bot_not_the_queue(function_client, db):
    session = new_session()
    _post(function_client, session, "agent please")
    db.execute(sa.text("UPDATE chat_sessions SET state = 'resolved' WHERE id = :s"), {"s": session.id})
    body = _post(function_client, session, "how do I reset my password?").json
    assert body["session"]["state"] == "bot"
    assert body["reply"]["sources"][0]["id"] == "password-reset"
    events = db.execute(
        sa.text("SELECT event, to_state FROM conversation_events WHERE session_id = :s ORDER BY id"), {"s": session.id}
    ).all()
    assert [(e.event, e.to_state) for e in events][-1] == ("customer_wrote", "bot")


def test_two_unanswered_questions_in_a_row_hand_over(function_client, chat_session, db):
    first = _post(function_client, chat_session, "What's the weather in Paris?").json
    assert first["session"]["state"] == "bot"
    second = _post(function_client, chat_session, "Who won the football last night?").json
    assert second["session"]["state"] == "waiting"
    assert "team" in second["reply"]["content"]
    kind = db.execute(sa.text("SELECT handover_kind FROM chat_sessions WHERE id = :s"), {"s": chat_session.id})
    assert kind.scalar() == "unanswered"


def test_while_an_agent_owns_the_conversation_the_bot_stays_silent(function_client, chat_session, db):
    provider = CountingProvider()
    db.execute(sa.text("UPDATE chat_sessions SET state = 'assigned' WHERE id = :s"), {"s": chat_session.id})
    with use_provider(provider):
        response = _post(function_client, chat_session, "Are you still there?")
    assert response.status_code == 200
    assert response.json["reply"] is None
    assert response.json["session"]["state"] == "assigned"
    assert provider.calls == 0
    rows = db.execute(sa.text("SELECT sender FROM messages WHERE session_id = :s"), {"s": chat_session.id}).all()
    assert [r.sender for r in rows] == ["user"]


def _handover(db, session: NewSession):
    return db.execute(
        sa.text("SELECT state, handover_reason, handover_kind FROM chat_sessions WHERE id = :s"), {"s": session.id}
    ).one()


def test_a_mildly_frustrated_question_the_help_center_answers_is_answered_with_the_offer_of_a_person(
    function_client, chat_session, db
):
    body = _post(function_client, chat_session, "A bit annoyed, asking again: how do I reset my password?").json
    assert body["reply"]["sources"][0]["id"] == "password-reset"
    assert body["reply"]["suggested_actions"][0] == "Talk to a human"
    assert len(body["reply"]["suggested_actions"]) <= 3
    assert body["session"]["state"] == "bot"
    assert _handover(db, chat_session).handover_kind is None


def test_a_mildly_frustrated_question_nothing_answers_hands_over_as_frustration(function_client, chat_session, db):
    body = _post(function_client, chat_session, "Bit annoyed, I asked this before: who won the football?").json
    assert body["session"]["state"] == "waiting"
    assert "team" in body["reply"]["content"]
    assert _handover(db, chat_session).handover_kind == "frustration"


def test_a_safety_report_hands_over_at_once_and_says_what_to_do_meanwhile(function_client, chat_session, db):
    body = _post(function_client, chat_session, "The power bank swelled up overnight, how do I reset my password?").json
    assert body["session"]["state"] == "waiting"
    assert body["reply"]["sources"] == []
    assert "unplug" in body["reply"]["content"]
    session = _handover(db, chat_session)
    assert session.handover_kind == "safety"
    assert "top priority" in session.handover_reason


def test_a_chargeback_threat_hands_over_as_legal(function_client, chat_session, db):
    body = _post(function_client, chat_session, "Refund me by Monday or my bank reverses the payment").json
    assert body["session"]["state"] == "waiting"
    assert _handover(db, chat_session).handover_kind == "legal"
