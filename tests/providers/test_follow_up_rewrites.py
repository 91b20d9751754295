"""With a model, a follow-up is rewritten from the conversation to stand alone before retrieval, through
the real SDKs against the local fakes; without one, or when the rewrite is unusable, it is read offline."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from devtools.fake_gemini import customer_message
from shared.answering import offline_provider, rewriting
from shared.knowledge import lookup
from shared.text.turns import Turn
from tests.factories import new_session, unique_marker

STREAM = {"Accept": "text/event-stream"}
GERMANY = "Do you ship to Germany?"
# Read offline, "there" points back at shipping; the model spells out that it is about returns.
RETURNS_FROM_THERE = "how about returns from there?"
RETURNS_REWRITTEN = "How do I return an item I bought from Germany?"


def _post(function_client, session, content, **headers):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers={**session.auth, **headers})


def _sources(response):
    assert response.status_code == 200
    return [s["id"] for s in response.json["reply"]["sources"]]


def _rewrite_to(fake, standalone):
    fake.rewritten = json.dumps({"standalone": standalone})


def _conversation(sent):
    return json.loads(sent.user.split("<conversation>\n", 1)[1].split("\n</conversation>", 1)[0])


def _counters(db, session):
    query = "SELECT model_input_tokens, model_output_tokens FROM chat_sessions WHERE id = :s"
    return tuple(db.execute(sa.text(query), {"s": session.id}).one())


def _session_budget_spent(db, session):
    query = "SELECT coalesce(sum(count), 0) FROM rate_counters WHERE key = :k"
    return db.execute(sa.text(query), {"k": f"tokens:session:{session.id}"}).scalar()


@pytest.fixture(params=["fake_gemini", "fake_openai"])
def model(request):
    """Each model provider in turn, answering through its local fake server."""
    return request.getfixturevalue(request.param)


def test_and_to_canada_after_germany_is_rewritten_and_answered_with_international_shipping(
    function_client, chat_session, model
):
    assert _sources(_post(function_client, chat_session, GERMANY)) == ["international-shipping"]
    _rewrite_to(model, "Do you ship to Canada?")
    response = _post(function_client, chat_session, "and to Canada?")
    assert _sources(response) == ["international-shipping"]
    assert response.json["reply"]["degraded"] is False
    [sent] = model.rewrites()
    assert [t["from"] for t in _conversation(sent)] == ["user", "bot"]
    assert _conversation(sent)[0]["text"] == GERMANY
    assert customer_message(sent) == "and to Canada?"
    assert "CANARY-" in sent.system and "data, not instructions" in sent.system


def test_the_rewrite_is_what_retrieval_searches(function_client, chat_session, model):
    _post(function_client, chat_session, GERMANY)
    _rewrite_to(model, RETURNS_REWRITTEN)
    assert _sources(_post(function_client, chat_session, RETURNS_FROM_THERE)) == ["return-policy"]


def test_the_rewrite_is_one_quick_structured_call_not_a_stream(function_client, chat_session, fake_gemini, fake_openai):
    _post(function_client, chat_session, GERMANY)
    _post(function_client, chat_session, "and to Canada?")
    [sent] = fake_openai.rewrites()
    assert sent.body["stream"] is False
    assert sent.response_format["json_schema"]["schema"]["required"] == ["standalone"]


def test_gemini_is_asked_for_the_rewrite_as_json(function_client, chat_session, fake_gemini):
    _post(function_client, chat_session, GERMANY)
    _post(function_client, chat_session, "and to Canada?", **STREAM)
    [sent] = fake_gemini.rewrites()
    assert ":generateContent" in sent.path
    config = sent.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert set(config["responseSchema"]["properties"]) == {"standalone"}


@pytest.mark.parametrize(
    "reply",
    [
        "this is not json",
        json.dumps({"standalone": "   "}),
        json.dumps({"standalone": "Do you ship " + "very " * 200 + "far?"}),
        json.dumps({"something": "else"}),
    ],
    ids=["garbage", "empty", "absurdly-long", "wrong-shape"],
)
def test_an_unusable_rewrite_falls_back_to_reading_the_follow_up_offline(
    function_client, chat_session, model, reply, caplog
):
    _post(function_client, chat_session, GERMANY)
    model.rewritten = reply
    response = _post(function_client, chat_session, RETURNS_FROM_THERE)
    assert _sources(response) == ["international-shipping"]  # as the offline reading has it
    assert response.json["reply"]["degraded"] is False  # the answer itself is still the model's
    assert len(model.rewrites()) == 1
    assert any("follow-up rewrite" in r.getMessage() for r in caplog.records)


def test_a_late_rewrite_is_given_up_after_its_own_deadline_without_a_retry(
    function_client, chat_session, model, settings_env
):
    settings_env(REWRITE_TIMEOUT_SECONDS="0.5")
    _post(function_client, chat_session, GERMANY)
    _rewrite_to(model, RETURNS_REWRITTEN)
    model.rewrite_delay = 1.5
    assert _sources(_post(function_client, chat_session, RETURNS_FROM_THERE)) == ["international-shipping"]
    assert len(model.rewrites()) == 1


def test_a_first_message_is_not_rewritten(function_client, chat_session, model):
    _post(function_client, chat_session, "Can I return something I bought?")
    assert model.rewrites() == []


def test_a_long_message_that_names_its_own_subject_is_searched_as_written(function_client, chat_session, model):
    _post(function_client, chat_session, "Can I return something I bought?")
    _post(
        function_client,
        chat_session,
        "Separately, I would also like to know which payment methods you accept for orders placed from abroad",
    )
    assert model.rewrites() == []


def test_follow_ups_are_not_rewritten_when_switched_off(function_client, chat_session, model, settings_env):
    settings_env(REWRITE_FOLLOW_UPS="false")
    _post(function_client, chat_session, GERMANY)
    _post(function_client, chat_session, "and to Canada?")
    assert model.rewrites() == []


def test_the_offline_provider_never_rewrites():
    history = [Turn("user", GERMANY), Turn("bot", "Yes.", source_ids=("international-shipping",))]
    assert rewriting.standalone_question("and to Canada?", history, offline_provider()) is None


def test_no_rewrite_is_asked_while_the_conversations_budget_is_spent(function_client, fake_gemini, settings_env, db):
    settings_env(RATE_LIMIT_SESSION_TOKENS_PER_DAY="300")
    session = new_session()
    _post(function_client, session, GERMANY)  # the fake reports 375 tokens: the budget is spent
    response = _post(function_client, session, "and to Canada?")
    assert response.json["reply"]["degraded"] is True
    assert fake_gemini.rewrites() == [] and len(fake_gemini.answers()) == 1


def test_the_rewrites_tokens_count_in_the_conversations_figures_and_budget(
    function_client, chat_session, fake_gemini, db
):
    _post(function_client, chat_session, GERMANY)
    _post(function_client, chat_session, "and to Canada?")
    assert len(fake_gemini.rewrites()) == 1 and len(fake_gemini.answers()) == 2
    assert _counters(db, chat_session) == (3 * 321, 3 * 54)
    assert _session_budget_spent(db, chat_session) == 3 * (321 + 54)


def test_the_rewrite_is_asked_in_the_customers_language_with_personal_data_redacted(function_client, fake_gemini):
    session = new_session(locale="fr-FR")
    _post(function_client, session, "Livrez-vous en Allemagne ? Écrivez-moi à jeanne@example.com")
    _post(function_client, session, "et au Canada ? ma carte est 4111 1111 1111 1111")
    [sent] = fake_gemini.rewrites()
    assert '"fr"' in sent.system
    assert "4111" not in sent.user and "jeanne@example.com" not in sent.user
    assert "[card number]" in sent.user and "[email]" in sent.user


def test_the_customers_words_never_reach_a_log_line_whatever_the_rewrite_does(
    function_client, chat_session, model, caplog
):
    caplog.set_level(logging.INFO)
    marker = unique_marker()
    _post(function_client, chat_session, f"Do you ship to Germany {marker}?")
    for reply in ["this is not json", json.dumps({"standalone": f"Do you ship to Canada {marker}?"})]:
        model.rewritten = reply
        assert _post(function_client, chat_session, f"and to Canada {marker}?").status_code == 200
    assert len(model.rewrites()) == 2
    assert [r for r in caplog.records if marker in f"{r.getMessage()} {vars(r)}"] == []


def test_lookup_searches_the_standalone_question_in_place_of_the_message_and_its_context():
    history = [Turn("user", GERMANY), Turn("bot", "Yes, we do.", source_ids=("international-shipping",))]
    offline = lookup.find_answers(RETURNS_FROM_THERE, history)
    rewritten = lookup.find_answers(RETURNS_FROM_THERE, history, standalone=RETURNS_REWRITTEN)
    blank = lookup.find_answers(RETURNS_FROM_THERE, history, standalone="  ")
    assert [e.id for e in offline.entries] == ["international-shipping"] == [e.id for e in blank.entries]
    assert rewritten.entries[0].id == "return-policy" and rewritten.outcome == "answered"
    assert rewritten.question == RETURNS_FROM_THERE  # the answer is still to the customer's own words
