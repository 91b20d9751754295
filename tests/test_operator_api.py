"""The operator API: sign-in, roles, the inbox and the whole handover, through the real function."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import NewSession, new_operator, new_session


def _api(function_client, method: str, path: str, operator=None, **kwargs):
    headers = {**(operator.auth if operator else {}), **kwargs.pop("headers", {})}
    return getattr(function_client("operator_api"), method)(path, headers=headers, **kwargs)


def _customer_post(function_client, session: NewSession, content: str):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def _customer_view(function_client, session: NewSession):
    return function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth).json


def test_the_whole_handover_from_customer_to_agent_and_back(function_client, db):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "I want to speak to someone")
    waiting = _api(function_client, "get", "/conversations?state=waiting&limit=200", agent).json
    item = next(c for c in waiting["conversations"] if c["id"] == str(customer.id))
    assert item["state"] == "waiting" and item["reason_kind"] == "person" and item["unread"] == 1
    assert waiting["counts"]["waiting"] >= 1

    taken = _api(function_client, "post", f"/conversations/{customer.id}/actions", agent, json={"action": "take_over"})
    assert taken.status_code == 200 and taken.json["state"] == "assigned" and taken.json["assignee"] == agent.name
    seen = _customer_view(function_client, customer)
    assert seen["session"]["state"] == "assigned" and seen["session"]["agent"] == agent.name

    sent = _api(
        function_client, "post", f"/conversations/{customer.id}/messages", agent, json={"content": "Hi, I'm here!"}
    )
    assert sent.status_code == 201
    note = {"content": "VIP customer, be nice", "internal": True}
    _api(function_client, "post", f"/conversations/{customer.id}/messages", agent, json=note)
    messages = _customer_view(function_client, customer)["messages"]
    assert messages[-1]["sender"] == "agent" and messages[-1]["author"] == agent.name
    assert all("VIP" not in m["content"] for m in messages)

    silent = _customer_post(function_client, customer, "Thanks! My order is 12345")
    assert silent.json["reply"] is None

    detail = _api(function_client, "get", f"/conversations/{customer.id}", agent).json
    assert [m["sender"] for m in detail["messages"]][-3:] == ["agent", "agent", "user"]
    assert detail["messages"][-2]["internal"] is True
    assert [h["to_state"] for h in detail["history"]] == ["waiting", "assigned"]

    resolved = _api(function_client, "post", f"/conversations/{customer.id}/actions", agent, json={"action": "resolve"})
    assert resolved.json["state"] == "resolved"
    again = _customer_post(function_client, customer, "How do I reset my password?")
    assert again.json["session"]["state"] == "bot" and again.json["reply"]["sources"]


def test_an_agents_first_reply_takes_over_a_waiting_conversation(function_client):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "talk to a human please")
    _api(function_client, "post", f"/conversations/{customer.id}/messages", agent, json={"content": "Hello!"})
    detail = _api(function_client, "get", f"/conversations/{customer.id}", agent).json
    assert detail["state"] == "assigned" and detail["assignee"] == agent.name


def test_an_action_the_state_does_not_allow_is_a_409(function_client):
    agent, customer = new_operator(), new_session()
    response = _api(function_client, "post", f"/conversations/{customer.id}/actions", agent, json={"action": "reopen"})
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


def test_assigning_to_a_colleague(function_client):
    agent, colleague, customer = new_operator(), new_operator(), new_session()
    body = {"action": "assign", "operator_id": str(colleague.id)}
    response = _api(function_client, "post", f"/conversations/{customer.id}/actions", agent, json=body)
    assert response.json["assignee"] == colleague.name
    mine = _api(function_client, "get", "/conversations?state=assigned&assigned=me", colleague).json
    assert str(customer.id) in [c["id"] for c in mine["conversations"]]


def test_without_an_operator_token_every_route_but_sign_in_is_a_401(function_client):
    for method, path in [("get", "/me"), ("get", "/conversations"), ("post", "/sign-out"), ("get", "/operators")]:
        response = _api(function_client, method, path)
        assert response.status_code == 401, path


def test_a_customers_session_token_is_not_an_operator_token_and_the_reverse(function_client):
    customer, agent = new_session(), new_operator()
    assert _api(function_client, "get", "/me", headers=customer.auth).status_code == 401
    as_customer = function_client("get_messages").get(f"/?session_id={customer.id}", headers=agent.auth)
    assert as_customer.status_code == 401


def test_agents_may_not_add_operators_but_admins_may(function_client):
    agent, admin = new_operator("agent"), new_operator("admin")
    body = {"email": "newcomer@team.example", "role": "agent"}
    assert _api(function_client, "post", "/operators", agent, json=body).status_code == 403
    added = _api(function_client, "post", "/operators", admin, json=body)
    assert added.status_code == 201 and added.json["display_name"] == "Newcomer"


def test_unknown_paths_methods_and_ids_are_clear_errors(function_client):
    agent = new_operator()
    assert _api(function_client, "get", "/nowhere", agent).status_code == 404
    wrong = _api(function_client, "post", "/me", agent)
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]
    assert _api(function_client, "get", "/conversations/not-a-uuid", agent).status_code == 422
    missing = _api(function_client, "get", "/conversations/00000000-0000-0000-0000-000000000000", agent)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_the_inbox_finds_conversations_by_what_was_written(function_client):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "my zebra-striped headphones broke, I want a person")
    found = _api(function_client, "get", "/conversations?state=all&q=ZEBRA-striped", agent).json["conversations"]
    assert [c["id"] for c in found] == [str(customer.id)]


def test_the_operators_origin_list_is_its_own(function_client, settings_env):
    settings_env(ALLOWED_ORIGINS="https://shop.example", CONSOLE_ORIGINS="https://support.shop.example")
    agent = new_operator()
    shop = _api(function_client, "get", "/me", agent, headers={"Origin": "https://shop.example"})
    assert shop.status_code == 403
    console = _api(function_client, "get", "/me", agent, headers={"Origin": "https://support.shop.example"})
    assert console.status_code == 200


def test_reading_a_conversation_clears_its_unread_count(function_client):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "agent please")

    def unread() -> int:
        items = _api(function_client, "get", "/conversations?state=waiting&limit=200", agent).json["conversations"]
        return next(c["unread"] for c in items if c["id"] == str(customer.id))

    assert unread() == 1
    _api(function_client, "get", f"/conversations/{customer.id}", agent)
    assert unread() == 0


def test_a_removed_operators_tokens_stop_working(function_client, db):
    from shared.services import operators

    agent = new_operator()
    assert _api(function_client, "get", "/me", agent).status_code == 200
    operators.remove_operator(agent.email)
    assert _api(function_client, "get", "/me", agent).status_code == 401
    revoked = db.execute(sa.text("SELECT count(*) FROM operator_tokens WHERE operator_id = :o AND revoked_at IS NULL"),
                         {"o": agent.id}).scalar()  # fmt: skip
    assert revoked == 0


def test_sign_out_ends_the_token(function_client):
    agent = new_operator()
    assert _api(function_client, "post", "/sign-out", agent).status_code == 204
    assert _api(function_client, "get", "/me", agent).status_code == 401


def _conversations_mentioning(db, word: str, state: str, count: int) -> set[str]:
    """`count` conversations in `state` whose customer wrote `word`, all with the same times (ties on purpose)."""
    ids = set()
    for _ in range(count):
        session = new_session()
        db.execute(
            sa.text("INSERT INTO messages (session_id, sender, content) VALUES (:s, 'user', :w)"),
            {"s": session.id, "w": f"question about {word}"},
        )
        db.execute(
            sa.text(
                "UPDATE chat_sessions SET state = :state, waiting_since = '2026-01-02T03:04:05Z', "
                "last_activity_at = '2026-01-02T03:04:05Z' WHERE id = :s"
            ),
            {"s": session.id, "state": state},
        )
        ids.add(str(session.id))
    db.commit()
    return ids


def _every_page(function_client, operator, query: str) -> list[str]:
    seen, cursor = [], ""
    while True:
        page = _api(function_client, "get", f"/conversations?{query}&limit=2{cursor}", operator).json
        seen += [c["id"] for c in page["conversations"]]
        if page["next_cursor"] is None:
            return seen
        cursor = f"&cursor={page['next_cursor']}"


def test_paging_visits_every_conversation_once_even_when_their_times_tie(function_client, db):
    agent = new_operator()
    for state in ("waiting", "resolved"):
        word = f"paging{state}{new_session().id.hex[:6]}"
        expected = _conversations_mentioning(db, word, state, 5)
        seen = _every_page(function_client, agent, f"state={state}&q={word}")
        assert len(seen) == 5 and set(seen) == expected


def test_a_cursor_the_inbox_did_not_give_out_is_a_422(function_client):
    for cursor in ("bm90LWEtY3Vyc29y", "!!", "A" * 121):
        response = _api(function_client, "get", f"/conversations?cursor={cursor}", new_operator())
        assert response.status_code == 422 and response.json["error"]["details"][0]["field"] == "cursor"
