"""Outcomes as the industry measures them: involvement, resolution, automation, returns, topics."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.test_metrics import _metrics, _moved_to_a_range_of_their_own, _post
from tests.factories import new_operator, new_session
from tests.knowledge.test_documents_in_the_team_tools import CHAIN_QUESTION
from tests.knowledge.test_passage_answers import bicycle_site  # noqa: F401 (a fixture)


def _utc(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _found(function_client, agent, sessions, start, elsewhere=None):
    end = datetime.now(UTC) + timedelta(seconds=1)
    start, end = _moved_to_a_range_of_their_own(sessions, start, end, elsewhere)
    return _metrics(function_client, agent, **{"from": _utc(start), "to": _utc(end)}).json


def test_medians_stay_once_the_customer_writes_after_resolution(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    handed = new_session()
    _post(function_client, handed, "I want to talk to a person")
    api = function_client("operator_api")
    api.post(f"/conversations/{handed.id}/messages", json={"content": "Hello!"}, headers=agent.auth)
    api.post(f"/conversations/{handed.id}/actions", json={"action": "resolve"}, headers=agent.auth)
    _post(function_client, handed, "One more thing: can I return it?")
    _post(function_client, handed, "I want to talk to a person again")
    found = _found(function_client, agent, [handed], start)
    assert found["median_resolution_seconds"] is not None
    assert found["median_first_response_seconds"] is not None


def _thumbs_up(function_client, session, reply):
    body = {"session_id": str(session.id), "message_id": reply["id"], "rating": "up"}
    function_client("post_feedback").post("/", json=body, headers=session.auth)


def test_a_thumbs_up_confirms_and_a_return_on_the_same_subject_takes_it_back(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    kept, taken_back = new_session(), new_session()
    for session in (kept, taken_back):
        _thumbs_up(
            function_client, session, _post(function_client, session, "Can I return something I bought?").json["reply"]
        )
    _post(function_client, kept, "How long does shipping take?")
    _post(function_client, taken_back, "Can I return something I bought? It still does not work")
    found = _found(function_client, agent, [kept, taken_back], start)
    assert (found["confirmed_resolutions"], found["resolutions_taken_back"]) == (1, 1)
    assert found["assumed_resolutions"] == 0  # confirmed ones are not assumed as well
    assert (found["involvement_rate"], found["resolution_rate"], found["automation_rate"]) == (1.0, 0.5, 0.5)
    assert found["reopen_rate"] == 0.5
    assert found["durable_resolution_rate"] == 1.0


def test_a_wrong_answer_still_open_is_not_resolved_by_the_bot(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    left_alone, wrote_back = new_session(), new_session()
    _post(function_client, left_alone, "Can I return something I bought?")
    _post(function_client, wrote_back, "Can I return something I bought?")
    _post(function_client, wrote_back, "What's the weather in Paris?")
    found = _found(function_client, agent, [left_alone, wrote_back], start)
    assert (found["assumed_resolutions"], found["confirmed_resolutions"]) == (1, 0)
    assert found["resolution_rate"] == 0.5
    assert found["unanswered_questions"] == 1


def test_no_resolution_is_assumed_before_a_day_has_passed(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _post(function_client, session, "Can I return something I bought?")
    # Hours ago, not days: a range no other test's conversation is in while the run is shorter than that.
    hours_ago = timedelta(hours=2, seconds=secrets.randbelow(20 * 3600))
    found = _found(function_client, agent, [session], start, elsewhere=start - hours_ago)
    assert found["involvement_rate"] == 1.0
    assert (found["assumed_resolutions"], found["resolution_rate"]) == (0, 0.0)


def test_outcomes_by_day_topics_and_csat_by_who_handled_it(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    answered, human = new_session(), new_session()
    _post(function_client, answered, "Can I return something I bought?")
    _post(function_client, answered, "What's the weather in Paris?")
    _post(function_client, human, "I want to talk to a person")
    api = function_client("operator_api")
    for session in (answered, human):
        api.post(f"/conversations/{session.id}/actions", json={"action": "resolve"}, headers=agent.auth)
    function_client("post_csat").post("/", json={"session_id": str(answered.id), "rating": 5}, headers=answered.auth)
    function_client("post_csat").post("/", json={"session_id": str(human.id), "rating": 2}, headers=human.auth)
    found = _found(function_client, agent, [answered, human], start)
    [day] = found["outcomes_by_day"]
    assert (day["answered"], day["suggested"] + day["unknown"]) == (1, 1)
    assert (found["csat_bot_only_average"], found["csat_human_average"]) == (5.0, 2.0)
    topics = {topic["entry_id"]: topic for topic in found["topics"]}
    assert topics[None]["conversations"] == 1 and topics[None]["csat_average"] == 2.0
    [entry] = [topic for key, topic in topics.items() if key is not None]
    assert (entry["conversations"], entry["resolution_rate"], entry["csat_average"]) == (1, 1.0, 5.0)
    assert entry["question"]


QUESTION = "Can I return something I bought?"


@pytest.mark.parametrize(
    "thanks",
    ["thanks, that worked", "Perfect, solved!", "Merci, ça marche !", "¡Gracias, funcionó!",
     "Danke, hat funktioniert", "Grazie, ha funzionato", "Obrigado, funcionou!", "Bedankt, het werkt!"],
)  # fmt: skip
def test_a_customer_saying_the_answer_helped_confirms_the_bots_resolution(function_client, thanks):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _post(function_client, session, QUESTION)
    _post(function_client, session, thanks)
    found = _found(function_client, agent, [session], start)
    assert (found["confirmed_resolutions"], found["assumed_resolutions"]) == (1, 0)
    assert (found["resolutions_taken_back"], found["reopen_rate"]) == (0, 0.0)  # saying so is no return


@pytest.mark.parametrize(
    "words", ["thanks but it still doesn't work", "no thanks", "thanks", "merci, mais ça ne marche pas"]
)
def test_thanks_that_take_it_back_or_say_nothing_more_confirm_nothing(function_client, words):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _post(function_client, session, QUESTION)
    _post(function_client, session, words)
    found = _found(function_client, agent, [session], start)
    assert found["confirmed_resolutions"] == 0


def test_saying_it_helped_confirms_only_after_an_answer_of_the_bot_alone(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    first, unknown, handed = new_session(), new_session(), new_session()
    _post(function_client, first, "thanks, that worked")
    _post(function_client, unknown, "What's the weather in Paris?")
    _post(function_client, handed, QUESTION)
    _post(function_client, handed, "I want to talk to a person")
    for session in (first, unknown, handed):
        _post(function_client, session, "thanks, that worked")
    found = _found(function_client, agent, [first, unknown, handed], start)
    assert found["confirmed_resolutions"] == 0


def test_a_return_after_saying_it_helped_takes_the_resolution_back(function_client):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    _post(function_client, session, QUESTION)
    _post(function_client, session, "thanks, that worked")
    _post(function_client, session, f"{QUESTION} It still does not work")
    found = _found(function_client, agent, [session], start)
    assert (found["confirmed_resolutions"], found["resolutions_taken_back"]) == (0, 1)


def test_a_topic_a_help_center_passage_answered_is_named_by_its_page_and_section(
    function_client,
    bicycle_site,  # noqa: F811
):
    agent = new_operator()
    start = datetime.now(UTC) - timedelta(seconds=1)
    session = new_session()
    reply = _post(function_client, session, CHAIN_QUESTION).json["reply"]
    assert reply["sources"][0]["id"].startswith("passage:")
    found = _found(function_client, agent, [session], start)
    [topic] = found["topics"]
    assert topic["entry_id"] == reply["sources"][0]["id"]
    # The passage cited holds the guide's first sections, each named.
    assert topic["question"].startswith("Bicycle care guide › ") and "Chain lubrication" in topic["question"]
