"""Gaps become entries and regression cases; drafts are checked against the cases; old-version replies are reviewed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import ask_bot, new_operator, new_session, unique_marker

PERSONAL = ("jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111")


def _api(function_client, method, path, operator, **kwargs):
    return getattr(function_client("operator_api"), method)(path, headers=operator.auth, **kwargs)


def _disliked(function_client, content):
    """Ask, then give the reply a thumbs-down: a gap whatever the bot answered."""
    session = new_session()
    body = {"session_id": str(session.id), "content": content}
    reply = function_client("post_message").post("/", json=body, headers=session.auth).json["reply"]
    rating = {"session_id": str(session.id), "message_id": reply["id"], "rating": "down"}
    assert function_client("post_feedback").post("/", json=rating, headers=session.auth).status_code == 204
    return reply


def _group_with(groups, text):
    return next(g for g in groups if text in g["examples"])


def test_unanswered_questions_are_grouped_as_one_gap_with_a_count(function_client):
    agent, marker = new_operator(), unique_marker()
    asked = [
        f"Can you recommend a good pizza place nearby {marker}?",
        f"where can i get a good pizza around here {marker}",
        f"Any pizza restaurant you'd recommend {marker}?",
    ]
    for text in asked:
        _disliked(function_client, text)  # a gap whatever the bot answered
    groups = _api(function_client, "get", "/kb/gaps", agent).json["groups"]
    group = _group_with(groups, asked[-1])
    assert group["count"] >= 2 and group["reasons"]["thumbs_down"] >= 2
    assert group["examples"][0] == asked[-1]  # newest first


def test_an_approved_gap_becomes_an_entry_the_bot_answers_from_and_a_case(function_client, restore_knowledge_base):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Do you offer gift wrapping {marker}?"
    _disliked(function_client, question)
    group = _group_with(_api(function_client, "get", "/kb/gaps", admin).json["groups"], question)
    draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": group["message_ids"]}).json
    assert draft["question"] == question
    new_entry = {
        "id": f"gift-wrapping-{marker}",
        "question": "Do you offer gift wrapping?",
        "answer": "Yes: add gift wrapping at checkout for $4; we hide the price on the packing slip.",
        "examples": [draft["question"], *draft["examples"], "can you wrap my order as a present"],
    }
    approved = _api(
        function_client,
        "post",
        "/kb/gaps/approve",
        admin,
        json={"message_ids": group["message_ids"], "new_entry": new_entry},
    )
    assert approved.status_code == 200, approved.json
    assert approved.json["cases_added"] == len(group["message_ids"])

    assert "gift wrapping at checkout" in ask_bot(function_client, question)["content"]
    cases = _api(function_client, "get", "/kb/cases", admin).json["cases"]
    assert {"query": question, "expected": [new_entry["id"]]}.items() <= next(
        c for c in cases if c["query"] == question
    ).items()
    remaining = _api(function_client, "get", "/kb/gaps", admin).json["groups"]
    assert all(question not in g["examples"] for g in remaining)


def test_a_thumbs_down_makes_a_gap_that_can_become_an_example_of_an_entry(function_client, restore_knowledge_base):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"my parcel {marker} never came, where is it"
    _disliked(function_client, question)
    group = _group_with(_api(function_client, "get", "/kb/gaps", admin).json["groups"], question)
    assert group["reasons"]["thumbs_down"] >= 1
    body = {"message_ids": group["message_ids"], "entry_id": "order-tracking"}
    approved = _api(function_client, "post", "/kb/gaps/approve", admin, json=body).json
    assert question in approved["entry"]["examples"]


def test_a_dismissed_gap_leaves_the_list(function_client):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"what is the capital of Peru {marker}"
    ask_bot(function_client, question)
    group = _group_with(_api(function_client, "get", "/kb/gaps", admin).json["groups"], question)
    dismissed = _api(function_client, "post", "/kb/gaps/dismiss", admin, json={"message_ids": group["message_ids"]})
    assert dismissed.status_code == 204
    assert all(question not in g["examples"] for g in _api(function_client, "get", "/kb/gaps", admin).json["groups"])


def test_a_draft_that_would_break_a_case_is_shown_before_publishing(function_client, restore_knowledge_base):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"I need to recover my account login {marker}"
    _disliked(function_client, question)
    group = _group_with(_api(function_client, "get", "/kb/gaps", admin).json["groups"], question)
    body = {"message_ids": group["message_ids"], "entry_id": "password-reset"}
    assert _api(function_client, "post", "/kb/gaps/approve", admin, json=body).status_code == 200
    entry = _api(function_client, "get", "/kb/entries/password-reset", admin).json["entry"]

    unrelated = {"question": "Do you ship to the moon?", "answer": "No.", "examples": [], "keywords": []}
    checked = _api(function_client, "post", "/kb/check", admin, json={**unrelated, "entry_id": "password-reset"}).json
    assert checked["cases"] >= 1
    assert any(b["query"] == question and b["expected"] == ["password-reset"] for b in checked["broken"])
    assert _api(function_client, "get", "/kb/entries/password-reset", admin).json["entry"] == entry  # nothing published


def test_a_draft_that_reuses_a_retired_entrys_id_can_be_checked(function_client, restore_knowledge_base):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"I need to recover my account login {marker}"
    _disliked(function_client, question)
    group = _group_with(_api(function_client, "get", "/kb/gaps", admin).json["groups"], question)
    body = {"message_ids": group["message_ids"], "entry_id": "password-reset"}
    assert _api(function_client, "post", "/kb/gaps/approve", admin, json=body).status_code == 200  # a case to run
    draft = {"id": f"gift-cards-{marker}", "question": "Do you sell gift cards?", "answer": "Yes, digital ones."}
    created = _api(function_client, "post", "/kb/entries", admin, json=draft)
    retire = {"base_version": created.json["version"]}
    assert _api(function_client, "post", f"/kb/entries/{draft['id']}/retire", admin, json=retire).status_code == 200

    checked = _api(function_client, "post", "/kb/check", admin, json=draft)
    assert checked.status_code == 200, checked.json
    assert checked.json["cases"] >= 1


def test_a_harmless_draft_breaks_no_case(function_client):
    admin = new_operator("admin")
    entry = _api(function_client, "get", "/kb/entries/warranty", admin).json["entry"]
    draft = {k: entry[k] for k in ("question", "answer", "keywords", "examples", "url", "translations")}
    checked = _api(function_client, "post", "/kb/check", admin, json={**draft, "entry_id": "warranty"}).json
    assert checked["broken"] == []


def test_replies_on_an_older_version_are_listed_for_review_and_can_be_marked_reviewed(
    function_client, restore_knowledge_base
):
    admin, agent = new_operator("admin"), new_operator()
    ask_bot(function_client, "How long is the warranty?")
    entry = _api(function_client, "get", "/kb/entries/warranty", admin).json["entry"]
    edit = {k: entry[k] for k in ("question", "keywords", "examples", "url", "translations")}
    _api(
        function_client,
        "put",
        "/kb/entries/warranty",
        admin,
        json={**edit, "answer": "Two years.", "base_version": entry["version"]},
    )
    listed = _api(function_client, "get", "/kb/review", agent).json["replies"]
    mine = [r for r in listed if r["entry_id"] == "warranty" and r["question"] == "How long is the warranty?"]
    assert mine and mine[0]["used_version"] < mine[0]["current_version"]
    ids = [r["message_id"] for r in mine]
    assert _api(function_client, "post", "/kb/review", agent, json={"message_ids": ids}).status_code == 204
    again = _api(function_client, "get", "/kb/review", agent).json["replies"]
    assert not {r["message_id"] for r in again} & set(ids)


@pytest.mark.parametrize(
    "body",
    [
        {"message_ids": []},
        {"message_ids": [1], "entry_id": "a", "new_entry": {"question": "Q", "answer": "A"}},
        {"message_ids": [1]},
        {"message_ids": ["x"], "entry_id": "a"},
    ],
)
def test_a_bad_approval_is_a_422(function_client, body):
    admin = new_operator("admin")
    assert _api(function_client, "post", "/kb/gaps/approve", admin, json=body).status_code == 422


def test_approving_what_is_not_a_customer_question_is_a_422(function_client):
    admin = new_operator("admin")
    reply = ask_bot(function_client, "How long is the warranty?")
    refused = _api(
        function_client, "post", "/kb/gaps/approve", admin, json={"message_ids": [reply["id"]], "entry_id": "warranty"}
    )
    assert refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "message_ids"


def test_agents_cannot_approve_or_dismiss(function_client):
    agent = new_operator()
    assert _api(function_client, "post", "/kb/gaps/dismiss", agent, json={"message_ids": [1]}).status_code == 403


def _gap_answered_by_an_agent(function_client, admin, question, agent_reply, attributes=None):
    session = new_session(attributes=attributes)
    body = {"session_id": str(session.id), "content": question}
    reply = function_client("post_message").post("/", json=body, headers=session.auth).json["reply"]
    rating = {"session_id": str(session.id), "message_id": reply["id"], "rating": "down"}
    function_client("post_feedback").post("/", json=rating, headers=session.auth)  # a gap whatever it answered
    api = function_client("operator_api")
    api.post(f"/conversations/{session.id}/actions", json={"action": "take_over"}, headers=admin.auth)
    sent = api.post(f"/conversations/{session.id}/messages", json={"content": agent_reply}, headers=admin.auth)
    assert sent.status_code == 201
    return _group_with(api.get("/kb/gaps", headers=admin.auth).json["groups"], question)


def test_offline_a_drafted_entry_offers_what_the_agent_replied(function_client):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Can you engrave my name on the earbuds case {marker}?"
    group = _gap_answered_by_an_agent(function_client, admin, question, "Not yet, sorry: engraving is not offered.")
    draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": group["message_ids"]}).json
    assert draft["answer"] == "Not yet, sorry: engraving is not offered."


def test_with_gemini_the_draft_answer_is_written_from_the_agents_replies(function_client, fake_gemini):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Do you gift wrap orders {marker}?"
    group = _gap_answered_by_an_agent(function_client, admin, question, f"Yes, $4 at checkout {marker}.")
    draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": group["message_ids"]}).json
    assert draft["answer"] == "Yes: gift wrapping is available at checkout for a small fee."
    sent = next(r for r in fake_gemini.answers() if "You write help-center answers" in r.system)
    assert f"$4 at checkout {marker}" in sent.user and question in sent.user


def test_offline_a_draft_from_an_agents_reply_has_placeholders_for_personal_data_and_needs_review(function_client):
    admin, marker = new_operator("admin"), unique_marker()
    question = f"Can I get a replacement for a broken charger {marker}? I'm at jane.doe@example.com"
    reply = (
        "Hi Jordan, we sent a replacement for order #10482 today; your account 88123456 is credited. "
        "Questions? jordan.b@example.com or +1 415 555 0100.\n\nThanks,\nSam Carter"
    )
    group = _gap_answered_by_an_agent(function_client, admin, question, reply, attributes={"name": "Jordan Blake"})
    draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": group["message_ids"]}).json
    for personal in ("Jordan", "10482", "88123456", "jordan.b@example.com", "415 555", "Sam Carter", "jane.doe"):
        assert personal not in draft["answer"] + draft["question"]
    assert draft["answer"].startswith("Hi [name], we sent a replacement for order #[order number] today")
    assert draft["needs_review"] is True


def test_a_draft_uses_only_the_agent_replies_of_the_groups_own_conversations(function_client):
    admin, marker = new_operator("admin"), unique_marker()
    _gap_answered_by_an_agent(function_client, admin, f"Do you sell spare ear tips {marker}?", "Hi Jordan, yes.")
    question = f"Do you sell spare ear tips in size XL {marker}?"
    _disliked(function_client, question)
    mine = next(
        g["message_ids"]
        for g in _api(function_client, "get", "/kb/gaps", admin).json["groups"]
        for text in g["examples"]
        if text == question
    )
    alone = [i for i in mine if _content_of(i) == question]
    draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": alone}).json
    assert draft["answer"] == "" and draft["needs_review"] is False


def _content_of(message_id):
    from shared.db.engine import connection

    with connection() as conn:
        return conn.execute(sa.text("SELECT content FROM messages WHERE id = :id"), {"id": message_id}).scalar()


def test_personal_data_in_approved_questions_never_reaches_cases_examples_or_versions(
    function_client, db, restore_knowledge_base
):
    admin, marker = new_operator("admin"), unique_marker()
    as_example = f"my parcel {marker} never came, mail {PERSONAL[0]} or call {PERSONAL[1]}, card {PERSONAL[2]}"
    as_entry = f"Do you gift wrap {marker}? I'm {PERSONAL[0]}, phone {PERSONAL[1]}, paid with {PERSONAL[2]}"
    for question, target in ((as_example, {"entry_id": "order-tracking"}), (as_entry, None)):
        session = new_session()
        body = {"session_id": str(session.id), "content": question}
        reply = function_client("post_message").post("/", json=body, headers=session.auth).json["reply"]
        rating = {"session_id": str(session.id), "message_id": reply["id"], "rating": "down"}
        function_client("post_feedback").post("/", json=rating, headers=session.auth)
        ids = [i for g in _api(function_client, "get", "/kb/gaps", admin).json["groups"] for i in g["message_ids"]]
        ids = [i for i in ids if _content_of(i) == question]
        if target is None:
            draft = _api(function_client, "post", "/kb/gaps/draft", admin, json={"message_ids": ids}).json
            new_entry = {"id": f"gift-{marker}", "question": question, "answer": "Yes.", "examples": [question]}
            assert all(p not in draft["question"] for p in PERSONAL)
            target = {"new_entry": new_entry}
        approved = _api(function_client, "post", "/kb/gaps/approve", admin, json={"message_ids": ids, **target})
        assert approved.status_code == 200, approved.json
        assert (
            function_client("delete_session")
            .post("/", json={"session_id": str(session.id)}, headers=session.auth)
            .status_code
            == 204
        )
    kept = (
        db.execute(
            sa.text("""
            SELECT query FROM kb_cases WHERE query LIKE :m
            UNION ALL SELECT array_to_string(examples, ' ') || question FROM kb_entries
            WHERE id IN ('order-tracking', :e)
            UNION ALL SELECT array_to_string(examples, ' ') || question FROM kb_entry_versions
            WHERE entry_id IN ('order-tracking', :e)
        """),
            {"m": f"%{marker}%", "e": f"gift-{marker}"},
        )
        .scalars()
        .all()
    )
    assert sum(marker in text for text in kept) >= 4
    assert not [text for text in kept for personal in PERSONAL if personal in text]
