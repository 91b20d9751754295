"""Every model call is counted where it belongs, and none is sent personal data: answers, summaries,
drafts, gap grouping and embeddings, through the real SDKs against the local fakes."""

from __future__ import annotations

import json
import math

import pytest
import sqlalchemy as sa

from devtools.fake_gemini import thinking_budget
from shared.embeddings import use_embedder
from shared.embeddings.gemini import GeminiEmbedder
from shared.services import summaries
from tests.factories import new_operator, new_session, unique_marker

PLANTED = {
    "email": "jane.doe@example.com",
    "phone": "+44 20 7946 0958",
    "card": "4111 1111 1111 1111",
    "iban": "GB82 WEST 1234 5698 7654 32",
}


def _post(function_client, session, content):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def _counters(db, session):
    query = "SELECT model_input_tokens, model_output_tokens FROM chat_sessions WHERE id = :s"
    return tuple(db.execute(sa.text(query), {"s": session.id}).one())


def _deployment(db):
    hourly = "SELECT coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(calls), 0) FROM model_usage_hourly"
    budget = db.execute(sa.text("SELECT coalesce(sum(count), 0) FROM rate_counters WHERE key = 'tokens:all'"))
    return (*db.execute(sa.text(hourly)).one(), budget.scalar())


def test_a_thinking_model_thinks_within_its_budget_and_its_thoughts_are_counted(
    function_client, chat_session, fake_gemini, db
):
    fake_gemini.thinking = True
    reply = _post(function_client, chat_session, "Can I return something I bought?").json["reply"]
    assert reply["degraded"] is False and reply["content"].startswith("Good question!")
    sent = fake_gemini.answers()[-1]
    config = sent.body["generationConfig"]
    assert thinking_budget(sent) == 256 and len(config["thinkingConfig"]) == 1  # a budget, never also a level
    assert config["maxOutputTokens"] == 1024 + 256
    usage = db.execute(sa.text("SELECT details->'usage' FROM messages WHERE id = :id"), {"id": reply["id"]}).scalar()
    assert usage["thinking_tokens"] == 200 and usage["output_tokens"] == 54 + 200
    assert _counters(db, chat_session) == (321, 254)


def test_the_agents_summary_counts_in_its_conversations_figures(function_client, chat_session, fake_gemini, db):
    _post(function_client, chat_session, "I want to return my order")
    before = _counters(db, chat_session)
    summaries.summarize_for_team(chat_session.id)
    assert _counters(db, chat_session) == (before[0] + 321, before[1] + 54)


def test_the_embedding_of_a_customers_question_counts_in_their_conversation(
    function_client, chat_session, fake_gemini, db
):
    with use_embedder(GeminiEmbedder()):
        assert _post(function_client, chat_session, "Can I return something I bought?").status_code == 200
    embedded = [r for r in fake_gemini.requests if ":batchEmbedContents" in r.path]
    texts = [p["text"] for r in embedded for q in r.body["requests"] for p in q["content"]["parts"]]
    assert texts
    assert _counters(db, chat_session) == (321 + sum(math.ceil(len(t) / 4) for t in texts), 54)


def test_drafts_and_gap_grouping_count_in_the_deployment_figures(function_client, fake_gemini, db):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Do you engrave gift cards {marker}?"
    group = _gap_answered_by_an_agent(function_client, admin, question, "Yes, for free.")
    api = function_client("operator_api")
    before = _deployment(db)
    with use_embedder(GeminiEmbedder()):
        assert api.get("/kb/gaps", headers=admin.auth).status_code == 200
    grouped = _deployment(db)
    embedded = [r for r in fake_gemini.requests if ":batchEmbedContents" in r.path]
    assert embedded and grouped[1] >= before[1] + len(embedded)
    assert grouped[0] > before[0] and grouped[2] - before[2] == grouped[0] - before[0]

    drafted = api.post("/kb/gaps/draft", json={"message_ids": group}, headers=admin.auth)
    assert drafted.status_code == 200
    after = _deployment(db)
    assert after[0] == grouped[0] + 321 + 54 and after[1] == grouped[1] + 1 and after[2] == grouped[2] + 375


def _gap_answered_by_an_agent(function_client, agent, question, agent_reply):
    """A disliked question a person then answered; returns its message ids."""
    session = new_session()
    reply = _post(function_client, session, question).json["reply"]
    rating = {"session_id": str(session.id), "message_id": reply["id"], "rating": "down"}
    assert function_client("post_feedback").post("/", json=rating, headers=session.auth).status_code == 204
    api = function_client("operator_api")
    api.post(f"/conversations/{session.id}/actions", json={"action": "take_over"}, headers=agent.auth)
    api.post(f"/conversations/{session.id}/messages", json={"content": agent_reply}, headers=agent.auth)
    return [reply["reply_to"]]


@pytest.mark.parametrize("answering", ["fake_gemini", "fake_openai"])
def test_no_planted_personal_data_reaches_any_model_on_any_path(function_client, fake_gemini, request, answering):
    answerer = request.getfixturevalue(answering)
    admin, marker = new_operator("admin"), unique_marker()
    personal = f"mail {PLANTED['email']} or call {PLANTED['phone']}; card {PLANTED['card']}, IBAN {PLANTED['iban']}"
    question = f"Where is my parcel {marker}? {personal}"
    with use_embedder(GeminiEmbedder()):
        session = new_session()
        assert _post(function_client, session, question).status_code == 200  # the answer and the query's vector
        assert _post(function_client, session, f"and the invoice? {personal}").status_code == 200
        summaries.summarize_for_team(session.id)
        ids = _gap_answered_by_an_agent(function_client, admin, question, f"Sorry! I wrote to you: {personal}")
        api = function_client("operator_api")
        assert api.get("/kb/gaps", headers=admin.auth).status_code == 200  # grouping embeds the questions
        assert api.post("/kb/gaps/draft", json={"message_ids": ids}, headers=admin.auth).status_code == 200
    sent = [body for r in [*fake_gemini.requests, *answerer.requests] for body in _this_tests(r, marker)]
    kinds = {r.path.rsplit(":", 1)[-1] for r in fake_gemini.requests}
    assert "batchEmbedContents" in kinds and len(sent) >= 5
    assert [(name, value) for name, value in PLANTED.items() for body in sent if value in body] == []
    assert not [body for body in sent if "7946" in body or "4111" in body or "jane.doe" in body]


def _this_tests(recorded, marker: str) -> list[str]:
    """What a request sent, as text: an embedding batch split into its texts, of which only this test's
    (grouping the gaps embeds every open one, other tests' planted fragments such as "card 4111" too)."""
    if not recorded.path.endswith(":batchEmbedContents"):
        return [json.dumps(recorded.body)]
    texts = [json.dumps(item) for item in recorded.body.get("requests", [])]
    return [text for text in texts if marker in text or "invoice" in text]
