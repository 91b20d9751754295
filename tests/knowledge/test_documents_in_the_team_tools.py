"""The team's knowledge tools know the help center's documents: Try it, export, regression cases, gaps, review."""

from __future__ import annotations

import json

import sqlalchemy as sa

from shared import cli
from shared.db.engine import connection
from shared.knowledge import conversation_eval, passages
from shared.knowledge.conversation_eval import Case
from shared.knowledge.documents.sync import remove_source, sync_sources
from shared.knowledge.sync import sync_file
from tests.factories import new_operator, new_session, unique_marker
from tests.knowledge.test_passage_answers import BIKES, bicycle_site  # noqa: F401 (a fixture)

CHAIN_QUESTION = "How often should I put lubricant on the chain of my Trailmaster?"


def _api(function_client, method, path, operator, **kwargs):
    return getattr(function_client("operator_api"), method)(path, headers=operator.auth, **kwargs)


def test_try_it_shows_the_passages_ranked_with_their_scores_and_says_a_passage_answered(
    function_client,
    bicycle_site,  # noqa: F811
):
    tried = _api(function_client, "post", "/kb/try", new_operator("agent"), json={"question": CHAIN_QUESTION}).json
    assert tried["decision"] == "answer" and tried["reason"] == "passage_match"
    best = tried["passages"][0]
    assert tried["answered_with"] == [best["id"]] and best["id"].startswith("passage:")
    assert best["question"] == "Bicycle care guide › Chain lubrication"
    assert (best["title"], best["section"]) == ("Bicycle care guide", "Chain lubrication")
    assert best["url"] == f"{bicycle_site}#chain" and best["document"] == bicycle_site
    assert best["fits"] and best["score"] >= best["threshold"] > 0
    assert "lexical" in best["features"]


def test_try_it_lists_no_passages_while_no_document_has_any(function_client):
    question = {"question": "how can i change my password"}
    tried = _api(function_client, "post", "/kb/try", new_operator("agent"), json=question).json
    assert tried["passages"] == [] and tried["answered_with"][0] == "password-reset"


def test_the_export_lists_where_the_documents_came_from(bicycle_site, tmp_path):  # noqa: F811
    path = tmp_path / "kb.json"
    assert cli.main(["kb", "export", str(path)]) == 0
    [source] = json.loads(path.read_text(encoding="utf-8"))["sources"]
    assert list(source) == ["location", "kind", "added_at", "last_synced_at", "status"]
    assert (source["location"], source["kind"], source["status"]) == (bicycle_site, "page", "synced")
    assert source["added_at"] and source["last_synced_at"]


def test_an_import_adds_no_source_and_reports_those_it_lacks(bicycle_site, tmp_path):  # noqa: F811
    path = tmp_path / "kb.json"
    assert cli.main(["kb", "export", str(path)]) == 0
    assert sync_file(path).sources_not_added == []
    elsewhere = "https://help.elsewhere.example/sitemap.xml"
    exported = json.loads(path.read_text(encoding="utf-8"))
    exported["sources"].append({**exported["sources"][0], "location": elsewhere, "kind": "sitemap"})
    path.write_text(json.dumps(exported), encoding="utf-8")
    report = sync_file(path)
    assert report.sources_not_added == [elsewhere]
    assert (report.inserted, report.updated, report.removed, report.conflicts) == (0, 0, 0, [])
    with connection() as conn:
        stored = conn.execute(sa.text("SELECT location FROM knowledge_sources")).scalars().all()
    assert elsewhere not in stored


def test_a_case_expecting_a_document_passes_when_the_reply_cites_that_section_or_any_of_it(
    bicycle_site,  # noqa: F811
):
    right, whole_page, wrong_section, entry = conversation_eval.run(
        [
            Case(CHAIN_QUESTION, (f"doc:{bicycle_site}#chain",)),
            Case(CHAIN_QUESTION, (f"doc:{bicycle_site}",)),
            Case(CHAIN_QUESTION, (f"doc:{bicycle_site}#winter-storage",)),
            Case(CHAIN_QUESTION, ("warranty",)),
        ]
    )
    assert right.answered[0] == f"doc:{bicycle_site}#chain"
    assert right.right and whole_page.right
    assert not wrong_section.right and wrong_section.confidently_wrong
    assert not entry.right


def test_a_regression_line_may_expect_a_document_by_url_beside_entries(tmp_path):
    path = tmp_path / "cases.jsonl"
    lines = [
        {"query": "a", "expected": ["return-policy"], "lang": "en"},
        {"query": "b", "expected_document": "https://help.example/returns#refunds"},
        {"query": "c", "expected": ["return-policy", "doc:https://help.example/returns"]},
        {"query": "d", "expected": "warranty", "expected_document": ["https://help.example/warranty"]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert [case.expected for case in conversation_eval.load_cases(path)] == [
        ("return-policy",),
        ("doc:https://help.example/returns#refunds",),
        ("return-policy", "doc:https://help.example/returns"),
        ("warranty", "doc:https://help.example/warranty"),
    ]


def _disliked(function_client, content):
    """A customer asks `content` and gives the reply a thumbs-down: a gap, whatever it answered."""
    session = new_session()
    body = {"session_id": str(session.id), "content": content}
    reply = function_client("post_message").post("/", json=body, headers=session.auth).json["reply"]
    rating = {"session_id": str(session.id), "message_id": reply["id"], "rating": "down"}
    assert function_client("post_feedback").post("/", json=rating, headers=session.auth).status_code == 204


def test_a_gap_shows_the_help_center_passage_near_its_questions(function_client, bicycle_site):  # noqa: F811
    marker = unique_marker()
    near, far = f"{CHAIN_QUESTION} {marker}", f"What is the capital of Peru {marker}?"
    _disliked(function_client, near)
    _disliked(function_client, far)
    groups = _api(function_client, "get", "/kb/gaps", new_operator("admin")).json["groups"]
    by_question = {group["examples"][0]: group for group in groups}
    passage = by_question[near]["passage"]
    assert passage["question"] == "Bicycle care guide › Chain lubrication"
    assert passage["url"] == f"{bicycle_site}#chain" and passage["score"] > 0 and passage["threshold"] > 0
    assert by_question[far]["passage"] is None


def _listed_for_review(function_client, admin, message_id):
    replies = _api(function_client, "get", "/kb/review", admin).json["replies"]
    return next((reply for reply in replies if reply["message_id"] == message_id), None)


def test_a_reply_from_a_page_is_listed_for_review_once_its_document_changes_or_goes(
    function_client,
    chat_session,
    bicycle_site,  # noqa: F811
    tmp_path,
):
    admin = new_operator("admin")
    body = {"session_id": str(chat_session.id), "content": CHAIN_QUESTION}
    reply = function_client("post_message").post("/", json=body, headers=chat_session.auth).json["reply"]
    assert reply["sources"][0]["id"].startswith("passage:")
    assert _listed_for_review(function_client, admin, reply["id"]) is None  # unchanged since

    changed = BIKES.replace("every 300 kilometres", "every 200 kilometres")
    (tmp_path / "site" / "bicycle-care.md").write_text(changed, encoding="utf-8")
    sync_sources([bicycle_site])
    listed = _listed_for_review(function_client, admin, reply["id"])
    assert listed is not None and (listed["document_change"], listed["document"]) == ("changed", bicycle_site)
    assert listed["entry_id"] == reply["sources"][0]["id"]

    remove_source(bicycle_site)
    passages.passages_present.forget()
    assert _listed_for_review(function_client, admin, reply["id"])["document_change"] == "removed"
    marked = _api(function_client, "post", "/kb/review", admin, json={"message_ids": [reply["id"]]})
    assert marked.status_code in (200, 204) and _listed_for_review(function_client, admin, reply["id"]) is None


def test_a_document_named_by_its_path_in_a_help_center_matches_it_wherever_the_help_center_lies():
    assert conversation_eval.matches("doc:shipping-guide.md#canada", "doc:/srv/help/shipping-guide.md#canada")
    assert conversation_eval.matches("doc:setup/charger.md", "doc:/srv/help/setup/charger.md#ports")
    assert not conversation_eval.matches("doc:guide.md", "doc:/srv/help/shipping-guide.md")
    assert not conversation_eval.matches("doc:shipping-guide.md#canada", "doc:/srv/help/shipping-guide.md#japan")
    assert not conversation_eval.matches(
        "doc:https://help.example/a", "doc:https://other.example/https://help.example/a"
    )


def test_a_section_listed_as_also_right_answers_the_message_as_well_as_its_entry(tmp_path):
    path = tmp_path / "cases.jsonl"
    lines = [
        {"query": "customs to canada?", "expected": ["international-shipping"], "also_right": ["doc:ship.md#canada"]},
        {"query": "deliver to a PO box?", "expected": [], "also_right": "doc:ship.md#united-states"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    covered, uncovered = conversation_eval.load_cases(path)
    assert uncovered.also_right == ("doc:ship.md#united-states",)

    def outcome(case, answered, decision="answered"):
        return conversation_eval.Outcome(case, answered, decision, answered[:1])

    for right in (outcome(covered, ("international-shipping",)), outcome(covered, ("doc:/h/ship.md#canada",))):
        assert right.right and not right.confidently_wrong
    wrong = outcome(covered, ("doc:/h/ship.md#japan",))
    assert not wrong.right and wrong.confidently_wrong
    assert outcome(uncovered, (), "unknown").right
    assert outcome(uncovered, ("doc:/h/ship.md#united-states",)).right
    assert outcome(uncovered, ("shipping-times",)).confidently_wrong
