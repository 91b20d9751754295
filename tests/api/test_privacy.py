"""A customer's data: exported whole with their session token or by an admin, erased everywhere, both audited."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.factories import NewSession, new_operator, new_session, unique_marker

# Every column that can hold text, of every table: where a customer's words could be copied to.
TEXT_TYPES = ("text", "character varying", "character", "jsonb", "json", "ARRAY", "tsvector")


def _columns(db) -> list[tuple[str, str]]:
    rows = db.execute(
        sa.text("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(:types)
            ORDER BY 1, 2
        """),
        {"types": list(TEXT_TYPES)},
    ).all()
    return [(row.table_name, row.column_name) for row in rows]


def _found_in(db, canary: str) -> set[str]:
    """Every `table.column` in which `canary` appears, in any row."""
    found = set()
    for table, column in _columns(db):
        query = f'SELECT 1 FROM "{table}" WHERE strpos(lower(CAST("{column}" AS text)), :canary) > 0 LIMIT 1'
        if db.execute(sa.text(query), {"canary": canary.lower()}).first() is not None:
            found.add(f"{table}.{column}")
    return found


def _post(function_client, name: str, session: NewSession, **body):
    return function_client(name).post("/", json={"session_id": str(session.id), **body}, headers=session.auth)


def _api(function_client, method: str, path: str, operator, headers=None, **kwargs):
    return getattr(function_client("operator_api"), method)(
        path, headers={**operator.auth, **(headers or {})}, **kwargs
    )


def _leave_the_canary_everywhere(
    function_client, fake_gemini, follow_up_handovers, customer: NewSession, canary: str
) -> None:
    """Write `canary` through every path by which a customer's words are kept or copied."""
    admin = new_operator("admin")
    question = f"my parcel {canary} never came, where is it"
    fake_gemini.answer_text = f"Order {canary} can be tracked from the link in your confirmation e-mail."
    reply = _post(function_client, "post_message", customer, content=question).json["reply"]
    assert canary in reply["content"]  # the bot's reply quotes it
    disliked = {"message_id": reply["id"], "rating": "down", "comment": f"no help with {canary}"}
    assert _post(function_client, "post_feedback", customer, **disliked).status_code == 204

    groups = _api(function_client, "get", "/kb/gaps", admin).json["groups"]
    ids = next(g["message_ids"] for g in groups if question in g["examples"])
    promoted = {"message_ids": ids, "entry_id": "order-tracking"}
    assert _api(function_client, "post", "/kb/gaps/approve", admin, json=promoted).status_code == 200

    _post(function_client, "post_message", customer, content=f"I want to talk to a person about {canary}")
    assert _post(function_client, "post_contact", customer, email=f"c{canary}@example.com").status_code == 204
    follow_up_handovers(customer.id)
    assert _post(function_client, "summarize_session", customer).status_code == 200

    path = f"/conversations/{customer.id}"
    _api(function_client, "post", f"{path}/actions", admin, json={"action": "take_over"})
    answer = {"content": f"Parcel {canary} left our warehouse today."}
    assert _api(function_client, "post", f"{path}/messages", admin, json=answer).status_code == 201
    note = {"content": f"internal: checked {canary} with the carrier", "internal": True}
    assert _api(function_client, "post", f"{path}/messages", admin, json=note).status_code == 201
    # The answer kept for the key is the whole conversation, the customer's words included.
    keyed = {"Idempotency-Key": str(uuid.uuid4())}
    resolved = _api(function_client, "post", f"{path}/actions", admin, json={"action": "resolve"}, headers=keyed)
    assert resolved.status_code == 200
    assert _post(function_client, "post_csat", customer, rating=2, comment=f"slow about {canary}").status_code == 204


def test_erase_my_data_leaves_the_customers_words_in_no_column_of_any_table(
    function_client, db, fake_gemini, follow_up_handovers, restore_knowledge_base
):
    customer, canary = new_session(), unique_marker()
    _leave_the_canary_everywhere(function_client, fake_gemini, follow_up_handovers, customer, canary)
    before = _found_in(db, canary)
    # The paths really copied it: the test would prove nothing otherwise.
    assert {
        "messages.content",
        "message_feedback.comment",
        "csat_ratings.comment",
        "chat_sessions.contact_email",
        "customer_summaries.content",
        "operator_idempotency.body",
        "kb_cases.query",
        "kb_entries.examples",
        "kb_entries.search_vector",
        "kb_terms.lexeme",
        "kb_entry_versions.examples",
        "kb_texts.content",
    } <= before, before
    queued = "SELECT count(*) FROM outbox WHERE session_id = :s"
    assert db.execute(sa.text(queued), {"s": customer.id}).scalar() > 0

    assert _post(function_client, "erase_my_data", customer).status_code == 204

    assert _found_in(db, canary) == set()
    assert db.execute(sa.text(queued), {"s": customer.id}).scalar() == 0
    admin = new_operator("admin")
    gaps = _api(function_client, "get", "/kb/gaps", admin).json["groups"]
    assert not [text for group in gaps for text in group["examples"] if canary in text]
    entry = _api(function_client, "get", "/kb/entries/order-tracking", admin).json
    assert entry["entry"]["version"] == entry["versions"][0]["version"]  # an erasure is not an edit


def test_erasure_is_audited_with_counts_and_without_the_customers_words(function_client, db):
    customer, canary = new_session(), unique_marker()
    _post(function_client, "post_message", customer, content=f"hello {canary}")
    assert _post(function_client, "erase_my_data", customer).status_code == 204
    audit = (
        db.execute(sa.text("SELECT * FROM privacy_audit WHERE :s = ANY(session_ids)"), {"s": customer.id})
        .mappings()
        .one()
    )
    assert audit["action"] == "erase" and audit["actor"] == "customer" and audit["operator_id"] is None
    assert audit["counts"]["conversations"] == 1 and audit["counts"]["messages"] >= 2
    assert all(isinstance(count, int) for count in audit["counts"].values())


def test_a_second_erasure_with_the_same_token_is_a_401_as_the_conversation_is_gone(function_client):
    customer = new_session()
    assert _post(function_client, "erase_my_data", customer).status_code == 204
    again = _post(function_client, "erase_my_data", customer)
    assert again.status_code == 401
    read = function_client("get_messages").get(f"/?session_id={customer.id}", headers=customer.auth)
    assert read.status_code == 401


def test_erase_my_data_accepts_the_delete_method_with_a_query(function_client):
    customer = new_session()
    erased = function_client("erase_my_data").delete(f"/?session_id={customer.id}", headers=customer.auth)
    assert erased.status_code == 204


def test_export_my_data_holds_the_conversation_as_the_customer_saw_it_and_nothing_of_another(function_client):
    customer, other = new_session(attributes={"plan": "gold"}), new_session()
    mine, theirs = unique_marker(), unique_marker()
    reply = _post(function_client, "post_message", customer, content=f"my parcel {mine}").json["reply"]
    _post(function_client, "post_feedback", customer, message_id=reply["id"], rating="down", comment="meh")
    _post(function_client, "post_contact", customer, email="jane@example.com")
    _post(function_client, "post_message", other, content=f"my parcel {theirs}")
    agent = new_operator()
    note = {"content": f"internal note {mine}", "internal": True}
    _api(function_client, "post", f"/conversations/{customer.id}/messages", agent, json=note)

    exported = _post(function_client, "export_my_data", customer)
    assert exported.status_code == 200
    body, text = exported.json, exported.get_data(as_text=True)
    assert body["scope"] == "conversation" and len(body["conversations"]) == 1
    conversation = body["conversations"][0]
    assert conversation["id"] == str(customer.id)
    assert conversation["contact_email"] == "jane@example.com" and conversation["attributes"]["plan"] == "gold"
    first = conversation["messages"][0]
    assert first["sender"] == "user" and first["content"] == f"my parcel {mine}" and first["created_at"]
    assert conversation["messages"][1]["feedback"] == {"rating": "down", "comment": "meh"}
    assert theirs not in text and str(other.id) not in text
    assert "internal note" not in text and agent.email not in text


def test_export_my_data_answers_a_get_with_a_query(function_client):
    customer = new_session()
    exported = function_client("export_my_data").get(f"/?session_id={customer.id}", headers=customer.auth)
    assert exported.status_code == 200 and exported.json["conversations"][0]["messages"] == []


@pytest.mark.parametrize("name", ["export_my_data", "erase_my_data"])
def test_a_wrong_token_or_unknown_session_is_a_401_and_erases_nothing(function_client, db, name):
    customer, stranger = new_session(), new_session()
    wrong = function_client(name).post("/", json={"session_id": str(customer.id)}, headers=stranger.auth)
    unknown = _post(function_client, name, NewSession(uuid.uuid4(), customer.token))
    missing = function_client(name).post("/", json={"session_id": str(customer.id)})
    assert wrong.status_code == unknown.status_code == missing.status_code == 401
    assert db.execute(sa.text("SELECT count(*) FROM chat_sessions WHERE id = :s"), {"s": customer.id}).scalar() == 1


def test_only_an_admin_may_export_or_erase_a_conversation_from_the_console(function_client, db):
    customer, agent, admin = new_session(), new_operator(), new_operator("admin")
    _post(function_client, "post_message", customer, content="hello there")
    path = f"/conversations/{customer.id}"
    assert _api(function_client, "get", f"{path}/export", agent).status_code == 403
    assert _api(function_client, "delete", path, agent).status_code == 403

    exported = _api(function_client, "get", f"{path}/export", admin)
    assert exported.status_code == 200 and exported.json["conversations"][0]["messages"][0]["content"] == "hello there"
    assert _api(function_client, "delete", path, admin).status_code == 204
    assert _api(function_client, "delete", path, admin).status_code == 404
    assert _api(function_client, "get", f"{path}/export", admin).status_code == 404
    audited = db.execute(
        sa.text("SELECT action, actor, operator_id FROM privacy_audit WHERE :s = ANY(session_ids) ORDER BY id"),
        {"s": customer.id},
    ).all()
    assert [tuple(row) for row in audited] == [("export", "operator", admin.id), ("erase", "operator", admin.id)]
