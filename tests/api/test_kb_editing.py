"""Editing the knowledge base from the console: versions, audit, concurrent edits, re-indexing, import conflicts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.knowledge.sync import sync_file
from tests.factories import ask_bot, new_operator

PASSWORD_QUESTION = "How do I reset my password?"


def _api(function_client, method, path, operator, **kwargs):
    return getattr(function_client("operator_api"), method)(path, headers=operator.auth, **kwargs)


def _entry(function_client, admin, entry_id):
    return _api(function_client, "get", f"/kb/entries/{entry_id}", admin).json["entry"]


def _edit(entry, **changes):
    fields = ("question", "answer", "keywords", "examples", "url", "translations")
    return {**{k: entry[k] for k in fields}, "base_version": entry["version"], **changes}


def test_an_edit_is_a_new_version_and_the_next_customer_gets_the_new_answer(
    function_client, db, restore_knowledge_base
):
    admin = new_operator("admin")
    before = _entry(function_client, admin, "password-reset")
    draft = _edit(before, answer="Use the 'Forgot password' link on the sign-in page; the link lasts 2 hours.")
    saved = _api(function_client, "put", "/kb/entries/password-reset", admin, json=draft)
    assert saved.status_code == 200, saved.json
    assert saved.json["version"] == before["version"] + 1 and saved.json["changed"] == ["answer"]

    reply = ask_bot(function_client, PASSWORD_QUESTION)
    assert "link lasts 2 hours" in reply["content"]

    detail = _api(function_client, "get", "/kb/entries/password-reset", admin).json
    newest = detail["versions"][0]
    assert newest["author"] == admin.email and newest["changed"] == ["answer"]
    audit = db.execute(
        sa.text("SELECT actor, action, version FROM kb_audit WHERE entry_id = 'password-reset' ORDER BY id DESC")
    ).first()
    assert tuple(audit) == (admin.email, "edited", saved.json["version"])


def test_a_save_from_a_stale_version_is_a_conflict_and_overwrites_nothing(function_client, restore_knowledge_base):
    admin, other = new_operator("admin"), new_operator("admin")
    opened = _entry(function_client, admin, "warranty")
    first = _api(function_client, "put", "/kb/entries/warranty", other, json=_edit(opened, answer="Two years."))
    assert first.status_code == 200
    second = _api(function_client, "put", "/kb/entries/warranty", admin, json=_edit(opened, answer="Three years."))
    assert second.status_code == 409 and second.json["error"]["code"] == "conflict"
    assert _entry(function_client, admin, "warranty")["answer"] == "Two years."


def test_only_admins_change_the_knowledge_base(function_client):
    agent = new_operator("agent")
    entry = _entry(function_client, agent, "warranty")
    refused = _api(function_client, "put", "/kb/entries/warranty", agent, json=_edit(entry, answer="Forever."))
    assert refused.status_code == 403
    created = {"question": "Do you sell gift cards?", "answer": "Yes."}
    assert _api(function_client, "post", "/kb/entries", agent, json=created).status_code == 403


def test_a_new_entry_answers_at_once_and_a_retired_one_stops(function_client, restore_knowledge_base):
    admin = new_operator("admin")
    draft = {
        "question": "Do you sell gift cards?",
        "answer": "Yes: digital gift cards from $10 to $500, delivered by email.",
        "examples": ["can I buy a gift voucher", "gift card for a friend"],
        "keywords": ["gift card", "voucher"],
    }
    created = _api(function_client, "post", "/kb/entries", admin, json=draft)
    assert created.status_code == 201 and created.json["entry"]["id"] == "do-you-sell-gift-cards"
    assert "digital gift cards" in ask_bot(function_client, "Can I buy a gift card for my brother?")["content"]

    again = _api(function_client, "post", "/kb/entries", admin, json=draft)
    assert again.status_code == 409

    retire = {"base_version": created.json["version"]}
    retired = _api(function_client, "post", "/kb/entries/do-you-sell-gift-cards/retire", admin, json=retire)
    assert retired.status_code == 200 and retired.json["entry"] is None
    assert "digital gift cards" not in ask_bot(function_client, "Can I buy a gift card for my brother?")["content"]
    assert _api(function_client, "get", "/kb/entries/do-you-sell-gift-cards", admin).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"answer": "No question"}, "question"),
        ({"question": "Q?", "answer": "A", "examples": ["x" * 501]}, "examples.0"),
        ({"question": "Q?", "answer": "A", "url": "not a url"}, "url"),
        (
            {"question": "Q?", "answer": "A", "translations": {"ja": {"question": "Q", "answer": "A"}}},
            "translations.ja",
        ),
        ({"question": "Q?", "answer": "A", "base_version": 3}, "base_version"),
        ({"question": "Q?", "answer": "A", "surprise": 1}, "surprise"),
        ({"question": "Q?", "answer": "\u200b\u2060"}, "answer"),
        ({"question": "\u3164", "answer": "A"}, "question"),
    ],
)
def test_a_bad_entry_is_a_422_naming_the_field(function_client, body, field):
    admin = new_operator("admin")
    refused = _api(function_client, "post", "/kb/entries", admin, json=body)
    assert refused.status_code == 422
    assert any(d["field"].startswith(field) for d in refused.json["error"]["details"]), refused.json


def test_replies_that_used_an_older_version_are_counted_for_review(function_client, restore_knowledge_base):
    admin = new_operator("admin")
    reply = ask_bot(function_client, PASSWORD_QUESTION)
    assert [s["id"] for s in reply["sources"]] == ["password-reset"]
    entry = _entry(function_client, admin, "password-reset")
    _api(function_client, "put", "/kb/entries/password-reset", admin, json=_edit(entry, answer="New steps."))
    assert _entry(function_client, admin, "password-reset")["replies_to_review"] == entry["replies_to_review"] + 1


def test_try_it_shows_ranked_entries_with_their_scores_and_the_decision(function_client):
    agent = new_operator("agent")
    tried = _api(function_client, "post", "/kb/try", agent, json={"question": "how can i change my password"}).json
    assert tried["decision"] == "answer" and tried["answered_with"][0] == "password-reset"
    best = tried["candidates"][0]
    assert best["id"] == "password-reset" and best["fits"] and best["score"] >= tried["threshold"]
    assert set(best["features"]) == {"lexical", "dense", "centroid", "learned"}
    assert tried["outcome"] == "answered" and tried["reason"] in {"clear_match", "evidence_agrees"}
    unknown = _api(function_client, "post", "/kb/try", agent, json={"question": "what is the capital of Peru"}).json
    assert unknown["decision"] == "not_covered" and unknown["answered_with"] == []
    assert unknown["outcome"] in {"suggested", "unknown"} and unknown["reason"]


def test_an_import_reports_entries_edited_in_the_console_and_keeps_them(
    function_client, tmp_path, restore_knowledge_base
):
    admin = new_operator("admin")
    entry = _entry(function_client, admin, "newsletter")
    _api(function_client, "put", "/kb/entries/newsletter", admin, json=_edit(entry, answer="Edited in the console."))
    report = sync_file()
    assert [(c.entry_id, c.reason) for c in report.conflicts] == [
        ("newsletter", "edited in the console since the last import")
    ]
    assert _entry(function_client, admin, "newsletter")["answer"] == "Edited in the console."
    forced = sync_file(force=True)
    assert forced.conflicts == [] and forced.updated == 1
    assert _entry(function_client, admin, "newsletter")["answer"] != "Edited in the console."
