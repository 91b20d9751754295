"""The inbox's views and search: every conversation has a place, whatever its state, through the real function."""

from __future__ import annotations

import secrets

from tests.factories import NewOperator, NewSession, new_operator, new_session


def _api(function_client, path: str, operator: NewOperator, **kwargs):
    return function_client("operator_api").get(path, headers=operator.auth, **kwargs)


def _post(function_client, target: str, path: str, headers: dict[str, str], body: dict):
    response = function_client(target).post(path, json=body, headers=headers)
    assert response.status_code < 300, response.json
    return response.json


def _say(function_client, session: NewSession, content: str) -> dict:
    body = {"session_id": str(session.id), "content": content}
    return _post(function_client, "post_message", "/", session.auth, body)


def _listed(function_client, operator: NewOperator, query: str) -> list[str]:
    page = _api(function_client, f"/conversations?{query}&limit=200", operator).json
    return [item["id"] for item in page["conversations"]]


def _resolved_and_rated(function_client, agent: NewOperator, marker: str) -> NewSession:
    """A conversation an agent took over and resolved, which the customer rated 5/5."""
    customer = new_session()
    _say(function_client, customer, f"My {marker} order never came, I want to talk to a person")
    for action in ("take_over", "resolve"):
        _post(function_client, "operator_api", f"/conversations/{customer.id}/actions", agent.auth, {"action": action})
    _post(function_client, "post_csat", "/", customer.auth, {"session_id": str(customer.id), "rating": 5})
    return customer


def test_the_all_view_lists_conversations_the_bot_handled_alone(function_client):
    agent, customer = new_operator(), new_session()
    assert _say(function_client, customer, "How do I reset my password?")["session"]["state"] == "bot"
    assert str(customer.id) in _listed(function_client, agent, "view=all")
    assert str(customer.id) not in _listed(function_client, agent, "view=open")


def test_a_session_the_customer_never_wrote_in_is_in_no_view(function_client):
    agent, silent = new_operator(), new_session()
    assert str(silent.id) not in _listed(function_client, agent, "view=all")


def test_the_view_wins_over_the_state(function_client):
    agent, customer = new_operator(), new_session()
    _say(function_client, customer, "Do you ship to Canada?")
    assert str(customer.id) in _listed(function_client, agent, "state=waiting&view=all")


def test_a_resolved_rated_conversation_stays_findable_after_the_customer_writes_again(function_client):
    agent, marker = new_operator(), f"kiwi{secrets.randbelow(10**8)}"
    customer = _resolved_and_rated(function_client, agent, marker)
    assert _say(function_client, customer, "One more question: do you ship to Canada?")["session"]["state"] == "bot"
    assert str(customer.id) in _listed(function_client, agent, "view=all")
    assert _listed(function_client, agent, f"view=all&q={marker}") == [str(customer.id)]
    item = _api(function_client, f"/conversations?view=all&q={marker}", agent).json["conversations"][0]
    assert item["state"] == "bot" and item["csat"] == 5


def test_search_finds_a_conversation_by_the_start_of_its_id_as_the_console_shows_it(function_client):
    agent, customer = new_operator(), new_session()
    _say(function_client, customer, "Hello there")
    full = str(customer.id)
    assert full in _listed(function_client, agent, f"view=all&q={full[:6]}")
    assert _listed(function_client, agent, f"view=all&q={full.upper()}") == [full]
    assert _listed(function_client, agent, f"view=all&q={full[:13]}") == [full]  # dashes included


def test_search_by_id_still_applies_the_views_filter(function_client):
    agent, customer = new_operator(), new_session()
    _say(function_client, customer, "Hello there")
    assert _listed(function_client, agent, f"view=waiting&q={customer.id}") == []


def test_a_short_hex_word_is_searched_as_text_not_as_an_id(function_client):
    agent, customer = new_operator(), new_session()
    _say(function_client, customer, "Hello there")
    assert str(customer.id) not in _listed(function_client, agent, f"view=all&q={customer.id.hex[:5]}")


def _paged(function_client, operator: NewOperator, query: str, limit: int) -> list[str]:
    """Every conversation id of a view, page after page as the console follows `next_cursor`."""
    seen: list[str] = []
    cursor = ""
    while True:
        page = _api(function_client, f"/conversations?{query}&limit={limit}{cursor}", operator).json
        seen += [item["id"] for item in page["conversations"]]
        if page["next_cursor"] is None:
            return seen
        cursor = f"&cursor={page['next_cursor']}"


def test_the_all_view_pages_through_every_match_once(function_client):
    agent, marker = new_operator(), f"lynx{secrets.randbelow(10**8)}"
    expected = set()
    for _ in range(5):
        customer = new_session()
        _say(function_client, customer, f"Where is my {marker} parcel?")
        expected.add(str(customer.id))
    seen = _paged(function_client, agent, f"view=all&q={marker}", limit=2)
    assert len(seen) == 5 and set(seen) == expected


def test_a_safety_report_waits_first_whatever_waited_longer_and_pages_stay_whole(function_client):
    agent, marker = new_operator(), f"heron{secrets.randbelow(10**8)}"
    older, safety = new_session(), new_session()
    _say(function_client, older, f"I want to talk to a person about my {marker} order")
    reply = _say(function_client, safety, f"My {marker} charger started smoking and the battery is swollen")
    assert reply["session"]["state"] == "waiting"
    seen = _paged(function_client, agent, f"view=waiting&q={marker}", limit=1)
    assert seen == [str(safety.id), str(older.id)]


def test_the_transcript_says_whether_a_bot_reply_answered_suggested_or_did_not_know(function_client):
    agent, customer = new_operator(), new_session()
    _say(function_client, customer, "How do I reset my password?")
    _say(function_client, customer, "Who painted the Sistine Chapel ceiling?")
    messages = _api(function_client, f"/conversations/{customer.id}", agent).json["messages"]
    outcomes = [m["outcome"] for m in messages if m["sender"] == "bot"]
    assert outcomes[0] == "answered" and outcomes[1] in {"suggested", "unknown"}
    assert all(m["outcome"] is None for m in messages if m["sender"] == "user")
