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
