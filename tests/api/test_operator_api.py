"""The operator API: sign-in, roles, the inbox and the whole handover, through the real function."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa

from shared.core import errors
from shared.db import idempotency as idempotency_db
from shared.db.engine import connection
from shared.services import idempotency as idempotency_service
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


def test_a_conversation_lists_the_actions_its_state_allows_the_signed_in_operator(function_client):
    agent, colleague, customer = new_operator(), new_operator(), new_session()
    path = f"/conversations/{customer.id}"
    assert _api(function_client, "get", path, agent).json["actions"] == ["take_over", "resolve", "assign"]
    _customer_post(function_client, customer, "I want to speak to someone")
    waiting = ["take_over", "hand_back", "resolve", "assign"]
    assert _api(function_client, "get", path, agent).json["actions"] == waiting
    taken = _api(function_client, "post", f"{path}/actions", agent, json={"action": "take_over"}).json
    assert taken["actions"] == ["hand_back", "resolve", "assign"]  # taking over one's own is no action
    assert _api(function_client, "get", path, colleague).json["actions"] == waiting
    resolved = _api(function_client, "post", f"{path}/actions", agent, json={"action": "resolve"}).json
    assert resolved["actions"] == ["take_over", "reopen", "assign"]


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


# Idempotency: the console sends an Idempotency-Key with each reply, note, action and summary.


def _count(db, sql: str, **params) -> int:
    return int(db.execute(sa.text(sql), params).scalar_one())


def _agent_messages(db, session_id) -> int:
    return _count(db, "SELECT count(*) FROM messages WHERE session_id = :s AND sender = 'agent'", s=session_id)


def test_a_double_submitted_reply_is_sent_once_and_both_get_the_first_answer(function_client, db):
    agent, customer = new_operator(), new_session()
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    path = f"/conversations/{customer.id}/messages"
    first = _api(function_client, "post", path, agent, json={"content": "On it!"}, headers=keyed)
    again = _api(function_client, "post", path, agent, json={"content": "On it!"}, headers=keyed)
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert _agent_messages(db, customer.id) == 1


def test_two_copies_arriving_at_once_act_once(local_run, db):
    agent, customer = new_operator(), new_session()
    headers = {**agent.auth, "Idempotency-Key": str(uuid.uuid4())}
    url = f"{local_run}/operator_api/conversations/{customer.id}/messages"
    start = threading.Barrier(4)

    def submit(_: int) -> httpx.Response:
        start.wait()
        return httpx.post(url, json={"content": "Looking into it", "internal": True}, headers=headers, timeout=30)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(submit, range(4)))
    assert {a.status_code for a in answers} == {201} and len({a.text for a in answers}) == 1
    assert _agent_messages(db, customer.id) == 1


def test_an_action_retried_with_its_key_is_not_done_twice(function_client, db):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "a person please")
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    path = f"/conversations/{customer.id}/actions"
    first = _api(function_client, "post", path, agent, json={"action": "take_over"}, headers=keyed)
    _api(function_client, "post", path, agent, json={"action": "hand_back"})
    retried = _api(function_client, "post", path, agent, json={"action": "take_over"}, headers=keyed)
    assert retried.status_code == 200 and retried.json == first.json
    events = "SELECT count(*) FROM conversation_events WHERE session_id = :s AND event = 'take_over'"
    assert _count(db, events, s=customer.id) == 1


def test_the_same_key_with_a_different_body_is_a_422(function_client, db):
    agent, customer = new_operator(), new_session()
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    path = f"/conversations/{customer.id}/messages"
    assert _api(function_client, "post", path, agent, json={"content": "Yes"}, headers=keyed).status_code == 201
    other = _api(function_client, "post", path, agent, json={"content": "No"}, headers=keyed)
    assert other.status_code == 422 and other.json["error"]["details"][0]["field"] == "Idempotency-Key"
    assert _agent_messages(db, customer.id) == 1


def test_keys_are_each_operators_own(function_client, db):
    first, second, customer = new_operator(), new_operator(), new_session()
    keyed = {"Idempotency-Key": "shared-key"}
    for operator in (first, second):
        path = f"/conversations/{customer.id}/messages"
        assert _api(function_client, "post", path, operator, json={"content": "Hi"}, headers=keyed).status_code == 201
    assert _agent_messages(db, customer.id) == 2


def test_a_request_that_failed_gives_its_key_back(function_client, db):
    agent, customer = new_operator(), new_session()
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    path = f"/conversations/{customer.id}/actions"
    refused = _api(function_client, "post", path, agent, json={"action": "reopen"}, headers=keyed)
    assert refused.status_code == 409
    _customer_post(function_client, customer, "a person please")
    taken = _api(function_client, "post", path, agent, json={"action": "take_over"}, headers=keyed)
    assert taken.status_code == 200 and taken.json["state"] == "assigned"


def test_a_key_expires_after_a_day(function_client, db):
    agent, customer = new_operator(), new_session()
    key = str(uuid.uuid4())
    path = f"/conversations/{customer.id}/messages"
    send = {"json": {"content": "Hello"}, "headers": {"Idempotency-Key": key}}
    _api(function_client, "post", path, agent, **send)
    db.execute(
        sa.text("UPDATE operator_idempotency SET expires_at = now() - interval '1 second' WHERE key = :k"), {"k": key}
    )
    db.commit()
    assert _api(function_client, "post", path, agent, **send).status_code == 201
    assert _agent_messages(db, customer.id) == 2


def test_a_copy_of_a_request_still_being_answered_is_a_retryable_409(function_client, settings_env):
    settings_env(IDEMPOTENCY_WAIT_SECONDS="0.2")
    agent, customer = new_operator(), new_session()
    key, body = str(uuid.uuid4()), {"content": "Hello"}
    parameters = {"conversation_id": str(customer.id)}
    request = idempotency_service.fingerprint("POST", "/conversations/{conversation_id}/messages", parameters, body)
    with connection() as conn:
        assert idempotency_db.claim(conn, operator_id=agent.id, key=key, fingerprint=request, lease=60, ttl=60)
    path = f"/conversations/{customer.id}/messages"
    waiting = _api(function_client, "post", path, agent, json=body, headers={"Idempotency-Key": key})
    assert waiting.status_code == 409 and waiting.json["error"]["code"] == "in_progress"
    assert 1 <= int(waiting.headers["Retry-After"]) <= 5


def test_an_idempotency_key_that_cannot_be_stored_is_a_422(function_client):
    agent, customer = new_operator(), new_session()
    path = f"/conversations/{customer.id}/messages"
    for key in ("x" * 65, " "):
        response = _api(function_client, "post", path, agent, json={"content": "Hi"}, headers={"Idempotency-Key": key})
        assert response.status_code == 422, key


# Per-operator rate limits.


def test_an_operator_over_the_write_limit_gets_a_429_with_retry_after_and_others_do_not(function_client, settings_env):
    settings_env(RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE="2")
    busy, other, customer = new_operator(), new_operator(), new_session()
    path = f"/conversations/{customer.id}/messages"
    statuses = [_api(function_client, "post", path, busy, json={"content": "note", "internal": True}) for _ in range(3)]
    assert [s.status_code for s in statuses] == [201, 201, 429]
    assert statuses[-1].json["error"]["code"] == "rate_limited" and int(statuses[-1].headers["Retry-After"]) >= 1
    assert _api(function_client, "post", path, other, json={"content": "note", "internal": True}).status_code == 201
    assert _api(function_client, "get", f"/conversations/{customer.id}", busy).status_code == 200


def test_a_replayed_answer_does_not_count_against_the_limit(function_client, settings_env):
    settings_env(RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE="1")
    agent, customer = new_operator(), new_session()
    send = {"json": {"content": "Hi"}, "headers": {"Idempotency-Key": str(uuid.uuid4())}}
    path = f"/conversations/{customer.id}/messages"
    assert [_api(function_client, "post", path, agent, **send).status_code for _ in range(3)] == [201, 201, 201]


def test_the_costly_routes_have_their_own_limit(function_client, settings_env):
    settings_env(RATE_LIMIT_OPERATOR_COSTLY_PER_MINUTE="1")
    agent = new_operator()
    tried = [_api(function_client, "post", "/kb/try", agent, json={"question": "Where is my order?"}) for _ in range(2)]
    assert [t.status_code for t in tried] == [200, 429]
    assert _api(function_client, "get", "/kb/gaps", agent).status_code == 429
    customer = new_session()
    path = f"/conversations/{customer.id}/messages"
    assert _api(function_client, "post", path, agent, json={"content": "note", "internal": True}).status_code == 201


# The team: roles and removal, by admins.


def test_an_admin_changes_a_role_and_it_is_audited(function_client, db):
    admin, agent = new_operator("admin"), new_operator("agent")
    changed = _api(function_client, "put", f"/operators/{agent.id}", admin, json={"role": "admin"})
    assert changed.status_code == 200 and changed.json["role"] == "admin" and changed.json["id"] == str(agent.id)
    audit = db.execute(
        sa.text("SELECT actor_id, action, details FROM operator_audit WHERE operator_id = :o"), {"o": agent.id}
    ).one()
    assert audit == (admin.id, "change_role", {"role": "admin"})


def test_agents_may_not_change_roles_or_remove_anyone(function_client):
    agent, colleague = new_operator("agent"), new_operator("agent")
    assert _api(function_client, "put", f"/operators/{colleague.id}", agent, json={"role": "admin"}).status_code == 403
    assert _api(function_client, "delete", f"/operators/{colleague.id}", agent).status_code == 403


def test_an_admin_may_not_demote_or_remove_themselves(function_client):
    admin = new_operator("admin")
    demoted = _api(function_client, "put", f"/operators/{admin.id}", admin, json={"role": "agent"})
    assert demoted.status_code == 409 and demoted.json["error"]["code"] == "conflict"
    assert _api(function_client, "delete", f"/operators/{admin.id}", admin).status_code == 409
    assert _api(function_client, "get", "/me", admin).json["role"] == "admin"


def test_the_last_admin_is_never_demoted_or_removed(function_client, db):
    admin, other = new_operator("admin"), new_operator("admin")
    # Every other admin is gone (as if removed meanwhile): `other` stays the last one.
    db.execute(sa.text("UPDATE operators SET active = false WHERE role = 'admin' AND id <> :o"), {"o": other.id})
    db.commit()
    try:
        from shared.db.operators import find
        from shared.services import operators

        with connection() as conn:
            still_admin = find(conn, operator_id=admin.id)
        assert still_admin is not None
        with pytest.raises(errors.Forbidden):
            operators.remove(other.id, by=still_admin)
        assert _api(function_client, "get", "/me", other).json["role"] == "admin"
    finally:
        db.execute(sa.text("UPDATE operators SET active = true WHERE id = :a"), {"a": admin.id})
        db.commit()


def test_removing_an_operator_ends_their_tokens_and_is_audited(function_client, db):
    admin, agent = new_operator("admin"), new_operator("agent")
    assert _api(function_client, "delete", f"/operators/{agent.id}", admin).status_code == 204
    assert _api(function_client, "get", "/me", agent).status_code == 401
    listed = _api(function_client, "get", "/operators", admin).json["operators"]
    assert next(o for o in listed if o["id"] == str(agent.id))["active"] is False
    assert _count(db, "SELECT count(*) FROM operator_audit WHERE operator_id = :o AND action = 'remove'", o=agent.id)
    assert _api(function_client, "delete", f"/operators/{agent.id}", admin).status_code == 404


def test_unknown_or_malformed_operator_ids_are_clear_errors(function_client):
    admin = new_operator("admin")
    missing = f"/operators/{uuid.uuid4()}"
    assert _api(function_client, "put", missing, admin, json={"role": "agent"}).status_code == 404
    assert _api(function_client, "delete", missing, admin).status_code == 404
    assert _api(function_client, "delete", "/operators/not-an-id", admin).status_code == 422
    assert _api(function_client, "put", f"/operators/{admin.id}", admin, json={"role": "owner"}).status_code == 422


# Refreshing the summary for agents.


def test_an_operator_refreshes_the_summary_once_per_key(function_client, db):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "My parcel 4411 never arrived, I want a person")
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    path = f"/conversations/{customer.id}/summary"
    first = _api(function_client, "post", path, agent, json={}, headers=keyed)
    assert first.status_code == 200 and first.json["conversation_id"] == str(customer.id) and first.json["summary"]
    again = _api(function_client, "post", path, agent, headers=keyed)
    assert again.status_code == 200 and again.json == first.json
    assert _api(function_client, "post", path, agent, json={"tone": "short"}).status_code == 422


def test_a_summary_of_nothing_or_of_no_conversation_is_a_clear_error(function_client):
    agent, silent = new_operator(), new_session()
    assert _api(function_client, "post", f"/conversations/{silent.id}/summary", agent).status_code == 409
    assert _api(function_client, "post", f"/conversations/{uuid.uuid4()}/summary", agent).status_code == 404


def test_the_daily_purge_deletes_expired_idempotency_keys(function_client, db):
    from shared.services import maintenance

    agent, customer = new_operator(), new_session()
    send = {"json": {"content": "Hello"}, "headers": {"Idempotency-Key": "old-key"}}
    _api(function_client, "post", f"/conversations/{customer.id}/messages", agent, **send)
    expire = "UPDATE operator_idempotency SET expires_at = now() - interval '1 second' WHERE operator_id = :o"
    db.execute(sa.text(expire), {"o": agent.id})
    db.commit()
    assert maintenance.purge_expired().deleted_idempotency_keys >= 1
    assert _count(db, "SELECT count(*) FROM operator_idempotency WHERE operator_id = :o", o=agent.id) == 0


def test_erasing_a_conversation_erases_the_answers_kept_for_its_keys(function_client, db):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "my card is 4111 1111 1111 1111, a person please")
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    _api(
        function_client,
        "post",
        f"/conversations/{customer.id}/actions",
        agent,
        json={"action": "take_over"},
        headers=keyed,
    )
    kept = "SELECT count(*) FROM operator_idempotency WHERE key = :k"
    assert _count(db, kept, k=keyed["Idempotency-Key"]) == 1
    erased = function_client("delete_session").post("/", json={"session_id": str(customer.id)}, headers=customer.auth)
    assert erased.status_code == 204
    assert _count(db, kept, k=keyed["Idempotency-Key"]) == 0


def test_a_key_sent_for_a_conversation_that_does_not_exist_is_a_404(function_client):
    agent = new_operator()
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    response = _api(
        function_client, "post", f"/conversations/{uuid.uuid4()}/messages", agent, json={"content": "Hi"}, headers=keyed
    )
    assert response.status_code == 404


def test_every_operator_write_counts_against_a_rate_limit():
    from functions.operator_api import ROUTES

    # Signing out only ends the caller's own token: nothing to protect by limiting it.
    writes = [r for r in ROUTES if r.method != "GET" and r.access != "public" and r.pattern != "/sign-out"]
    assert writes and all(route.cost is not None for route in writes), [r.pattern for r in writes if not r.cost]
    costly = {(r.method, r.pattern) for r in ROUTES if r.cost == "costly"}
    assert {("POST", "/kb/check"), ("POST", "/kb/try"), ("GET", "/kb/gaps"), ("POST", "/kb/gaps/draft")} <= costly


def test_a_retry_answers_when_the_first_request_died_holding_the_key(function_client, db):
    agent, customer = new_operator(), new_session()
    key, body = str(uuid.uuid4()), {"content": "Still there?"}
    parameters = {"conversation_id": str(customer.id)}
    request = idempotency_service.fingerprint("POST", "/conversations/{conversation_id}/messages", parameters, body)
    with connection() as conn:  # claimed by a request that then died: its claim has lapsed
        idempotency_db.claim(conn, operator_id=agent.id, key=key, fingerprint=request, lease=0, ttl=60)
    path = f"/conversations/{customer.id}/messages"
    assert _api(function_client, "post", path, agent, json=body, headers={"Idempotency-Key": key}).status_code == 201
    assert _agent_messages(db, customer.id) == 1


@pytest.mark.parametrize("content", ["\u200b", " \u2060\ufeff ", "\u3164"])
def test_a_reply_that_shows_nothing_is_refused_and_the_customer_sees_no_blank_message(function_client, content):
    agent, customer = new_operator(), new_session()
    _customer_post(function_client, customer, "I need a person please")
    refused = _api(function_client, "post", f"/conversations/{customer.id}/messages", agent, json={"content": content})
    assert refused.status_code == 422 and refused.json["error"]["details"][0]["field"] == "content"
    assert all(m["sender"] != "agent" for m in _customer_view(function_client, customer)["messages"])
