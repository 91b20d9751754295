"""Summaries: stored on the session, replaced when asked again, refused when there is nothing to summarise."""

from __future__ import annotations

from shared.answering import use_provider
from tests.fakes import FailingProvider


def _summarize(function_client, session):
    return function_client("summarize_session").post("/", json={"session_id": str(session.id)}, headers=session.auth)


def _post(function_client, session, content):
    return function_client("post_message").post(
        "/", json={"session_id": str(session.id), "content": content}, headers=session.auth
    )


def test_summarizing_an_empty_session_is_a_409(function_client, chat_session):
    response = _summarize(function_client, chat_session)
    assert response.status_code == 409
    assert "nothing to summarise" in response.json["error"]["message"]


def test_summary_names_the_issue_the_answers_and_the_escalation(function_client, chat_session):
    _post(function_client, chat_session, "My package arrived damaged")
    _post(function_client, chat_session, "I need to speak to a human")
    response = _summarize(function_client, chat_session)
    assert response.status_code == 200
    summary = response.json["summary"]
    assert "My package arrived damaged" in summary
    assert "What should I do if my item arrived damaged or wrong?" in summary
    assert "human agent" in summary
    messages = function_client("get_messages").get(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert messages.json["session"]["summary"] == summary


def test_summarizing_again_replaces_the_summary(function_client, chat_session):
    _post(function_client, chat_session, "Do you accept PayPal?")
    first = _summarize(function_client, chat_session).json
    _post(function_client, chat_session, "And how do I unsubscribe from the newsletter?")
    second = _summarize(function_client, chat_session).json
    assert second["summary"] != first["summary"]
    assert second["updated_at"] >= first["updated_at"]
    stored = function_client("get_messages").get(f"/?session_id={chat_session.id}", headers=chat_session.auth)
    assert stored.json["session"]["summary"] == second["summary"]


def test_summary_falls_back_to_extractive_when_the_model_fails(function_client, chat_session):
    _post(function_client, chat_session, "How long does shipping take?")
    with use_provider(FailingProvider()):
        response = _summarize(function_client, chat_session)
    assert response.status_code == 200
    assert "How long does shipping take?" in response.json["summary"]


class ErasingProvider(FailingProvider):
    """The customer erases the conversation while its summary is being written."""

    def __init__(self, session_id) -> None:
        self.session_id = session_id

    def summarize(self, request):
        import sqlalchemy as sa

        from shared.db.engine import get_engine

        with get_engine().connect() as conn:
            conn.execute(sa.text("DELETE FROM chat_sessions WHERE id = :id"), {"id": self.session_id})
        return super().summarize(request)


def test_summarizing_while_the_session_is_erased_is_a_401_not_a_500(function_client, chat_session):
    _post(function_client, chat_session, "Where is my parcel?")
    with use_provider(ErasingProvider(chat_session.id)):
        response = _summarize(function_client, chat_session)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_summary_of_a_long_conversation_keeps_its_start_and_its_newest_messages(function_client, chat_session, db):
    import sqlalchemy as sa

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
        response = _summarize(function_client, chat_session)
    assert response.status_code == 200
    summary = response.json["summary"]
    assert "First: my blender broke" in summary and "Newest: any update on the refund?" in summary
    transcript = captured[0]
    assert transcript[0].content == "First: my blender broke"
    assert transcript[-1].content == "message 899"
    assert any("left out" in turn.content for turn in transcript if turn.sender == "system")
    assert len(transcript) < 300
