"""Summaries: the agents' one (at a handover, refreshed from the console) and the customer's own, kept apart."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from shared.answering import use_provider
from shared.core import errors
from shared.db.engine import get_engine
from shared.db.operators import OperatorRow
from shared.services import summaries
from tests.factories import new_operator, new_session
from tests.fakes import FailingProvider


def _summarize(function_client, session):
    return function_client("summarize_session").post("/", json={"session_id": str(session.id)}, headers=session.auth)


def _post(function_client, session, content):
    return function_client("post_message").post(
        "/", json={"session_id": str(session.id), "content": content}, headers=session.auth
    )


def _agent_says(function_client, agent, session, content, *, internal=False):
    sent = function_client("operator_api").post(
        f"/conversations/{session.id}/messages", json={"content": content, "internal": internal}, headers=agent.auth
    )
    assert sent.status_code == 201


def _session_view(function_client, session):
    return function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth).json["session"]


def _handover_reason(session_id) -> str:
    with get_engine().connect() as conn:
        return conn.execute(
            sa.text("SELECT handover_reason FROM chat_sessions WHERE id = :s"), {"s": session_id}
        ).scalar_one()


def _agents_summary(session_id) -> str | None:
    with get_engine().connect() as conn:
        return conn.execute(
            sa.text("SELECT content FROM session_summaries WHERE session_id = :s"), {"s": session_id}
        ).scalar()


def _operator() -> OperatorRow:
    with get_engine().connect() as conn:
        row = conn.execute(
            sa.text("SELECT id, email, display_name, role, active, created_at FROM operators WHERE id = :id"),
            {"id": new_operator().id},
        ).one()
    return OperatorRow(*row)


def test_summarizing_an_empty_session_is_a_409(function_client, chat_session):
    response = _summarize(function_client, chat_session)
    assert response.status_code == 409
    assert "nothing to summarise" in response.json["error"]["message"]


def test_the_customer_never_receives_the_summary_written_for_agents(function_client, fake_gemini, follow_up_handovers):
    session = new_session()
    _post(function_client, session, "Can I return something I bought?")
    _post(function_client, session, "I want to talk to a person")
    assert _agents_summary(session.id) is None  # written after the customer's request, not in it
    assert follow_up_handovers(session.id)["handovers"] == 1
    written_for_agents = _agents_summary(session.id)
    assert written_for_agents and "Sentiment" in written_for_agents
    assert _session_view(function_client, session)["summary"] is None
    own = _summarize(function_client, session).json["summary"]
    for for_agents_only in ("Sentiment", "Next steps", "neutral", "Check that the return label", "asked for a person"):
        assert for_agents_only not in own
    assert _session_view(function_client, session)["summary"] == own
    assert _agents_summary(session.id) == written_for_agents


def test_the_customers_summary_recalls_their_question_the_answers_and_where_it_stands(function_client, chat_session):
    _post(function_client, chat_session, "My package arrived damaged")
    _post(function_client, chat_session, "I need to speak to a human")
    response = _summarize(function_client, chat_session)
    assert response.status_code == 200
    summary = response.json["summary"]
    assert "My package arrived damaged" in summary
    assert "What should I do if my item arrived damaged or wrong?" in summary
    assert "A member of our team will reply here." in summary


def test_the_customers_summary_holds_the_teams_answer_and_nothing_only_agents_see(function_client, follow_up_handovers):
    agent, session = new_operator(), new_session()
    _post(function_client, session, "hi!")
    _post(function_client, session, "My blender arrived with a cracked jug")
    _post(function_client, session, "I want to talk to a person")
    follow_up_handovers(session.id)
    _agent_says(function_client, agent, session, "Customer sounds upset, offer the voucher if they push", internal=True)
    _agent_says(
        function_client, agent, session, "Hi, I'm Dana. A new jug ships today and you can keep the cracked one."
    )
    own = _summarize(function_client, session).json["summary"]
    assert own.startswith("You asked: “My blender arrived with a cracked jug”")
    assert "A new jug ships today and you can keep the cracked one." in own
    assert own.endswith("Your question was answered. You can keep asking here if you need anything else.")
    for agents_only in ("voucher", "upset", _handover_reason(session.id), "Sentiment", "Next steps", "Issue:"):
        assert agents_only not in own
    assert "Resolved:" in (_agents_summary(session.id) or "")


def test_the_customers_summary_says_their_question_was_answered_when_it_was(function_client, chat_session):
    _post(function_client, chat_session, "Do you accept PayPal?")
    _post(function_client, chat_session, "great, thanks!")
    summary = _summarize(function_client, chat_session).json["summary"]
    assert summary.endswith("Your question was answered. You can keep asking here if you need anything else.")
    assert "great, thanks" not in summary


def test_the_customers_summary_cuts_a_long_message_at_a_word_end(function_client, chat_session):
    words = [f"detail{n}" for n in range(60)]
    _post(function_client, chat_session, "My parcel never arrived " + " ".join(words))
    asked = _summarize(function_client, chat_session).json["summary"].splitlines()[0]
    assert asked.endswith("…”")
    whole_words = {"My", "parcel", "never", "arrived", *words}
    assert set(asked.removeprefix("You asked: “").removesuffix("…”").split()) <= whole_words


def test_the_customers_summary_speaks_their_language(function_client):
    session = new_session(locale="fr-FR")
    _post(function_client, session, "Je veux parler à un humain")
    summary = _summarize(function_client, session).json["summary"]
    assert summary.startswith("Votre question : « Je veux parler à un humain »")
    assert "Un membre de notre équipe vous répondra ici." in summary


def test_summarizing_again_replaces_the_customers_summary(function_client, chat_session):
    _post(function_client, chat_session, "Do you accept PayPal?")
    first = _summarize(function_client, chat_session).json
    _post(function_client, chat_session, "And how do I unsubscribe from the newsletter?")
    second = _summarize(function_client, chat_session).json
    assert second["summary"] != first["summary"]
    assert second["updated_at"] >= first["updated_at"]
    assert _session_view(function_client, chat_session)["summary"] == second["summary"]


def test_an_agent_refreshes_the_agents_summary_from_the_current_messages(
    function_client, fake_gemini, follow_up_handovers
):
    session = new_session()
    _post(function_client, session, "I want to talk to a person")
    follow_up_handovers(session.id)
    before = _agents_summary(session.id)
    _post(function_client, session, "Also, where is my parcel?")
    fake_gemini.requests.clear()
    refreshed = summaries.refresh_for_agents(session.id, operator=_operator())
    assert refreshed.conversation_id == session.id and not refreshed.degraded
    assert "Sentiment" in refreshed.summary and _agents_summary(session.id) == refreshed.summary
    sent = [r for r in fake_gemini.requests if "summarise customer-support conversations" in r.system]
    assert len(sent) == 1 and "Also, where is my parcel?" in sent[0].user
    assert before is not None


def test_refreshing_an_unknown_or_empty_conversation_is_refused(chat_session):
    operator = _operator()
    with pytest.raises(errors.NotFound):
        summaries.refresh_for_agents(uuid.UUID(int=1), operator=operator)
    with pytest.raises(errors.Conflict):
        summaries.refresh_for_agents(chat_session.id, operator=operator)


def test_the_agents_summary_falls_back_to_extractive_when_the_model_fails(function_client, chat_session):
    _post(function_client, chat_session, "How long does shipping take?")
    refreshed = summaries.refresh_for_agents(chat_session.id, operator=_operator(), provider=FailingProvider())
    assert refreshed.degraded
    assert "How long does shipping take?" in refreshed.summary


def test_a_spent_token_budget_writes_the_agents_summary_without_the_model(function_client, fake_gemini, settings_env):
    session = new_session()
    _post(function_client, session, "Can I return something I bought?")
    settings_env(RATE_LIMIT_SESSION_TOKENS_PER_DAY="100")
    fake_gemini.requests.clear()
    refreshed = summaries.refresh_for_agents(session.id, operator=_operator())
    assert refreshed.degraded and "Can I return something I bought?" in refreshed.summary
    assert not [r for r in fake_gemini.requests if "summarise customer-support conversations" in r.system]


class ErasingProvider(FailingProvider):
    """The customer erases the conversation while its summary is being written."""

    def __init__(self, session_id) -> None:
        self.session_id = session_id

    def summarize(self, request):
        with get_engine().connect() as conn:
            conn.execute(sa.text("DELETE FROM chat_sessions WHERE id = :id"), {"id": self.session_id})
        return super().summarize(request)


def test_refreshing_while_the_session_is_erased_is_not_found(function_client, chat_session):
    _post(function_client, chat_session, "Where is my parcel?")
    with pytest.raises(errors.NotFound):
        summaries.refresh_for_agents(chat_session.id, operator=_operator(), provider=ErasingProvider(chat_session.id))


def test_summary_of_a_long_conversation_keeps_its_start_and_its_newest_messages(chat_session, db):
    db.execute(
        sa.text("""
            INSERT INTO messages (session_id, sender, content)
            SELECT :s, CASE WHEN mod(i, 2) = 0 THEN 'user' ELSE 'bot' END,
                   CASE WHEN i = 0 THEN 'First: my blender broke' WHEN i = 898 THEN 'Newest: any update on the refund?'
                        ELSE 'message ' || i END
            FROM generate_series(0, 899) AS i
        """),
        {"s": chat_session.id},
    )
    captured = []

    class Capturing(FailingProvider):
        def summarize(self, request):
            captured.append(request.transcript)
            return super().summarize(request)

    with use_provider(Capturing()):
        refreshed = summaries.refresh_for_agents(chat_session.id, operator=_operator())
    assert "First: my blender broke" in refreshed.summary and "Newest: any update on the refund?" in refreshed.summary
    transcript = captured[0]
    assert transcript[0].content == "First: my blender broke"
    assert transcript[-1].content == "message 899"
    assert any("left out" in turn.content for turn in transcript if turn.sender == "system")
    assert len(transcript) < 300
