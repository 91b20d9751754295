"""The knowledge base and its regression cases leave Postgres as files a team keeps in git, and come back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from devtools.evaluate import REGRESSION_SET
from shared import cli
from shared.knowledge import conversation_eval, export
from shared.knowledge.sync import sync_entries
from shared.schemas.faq import load_knowledge_base
from tests.factories import new_operator

PROJECT_FILE = Path(__file__).resolve().parents[2] / "knowledge_base.json"


def test_the_exported_knowledge_base_is_the_imported_file(db):
    assert export.knowledge_base() == json.loads(PROJECT_FILE.read_text(encoding="utf-8"))


def test_an_export_imports_back_with_nothing_changed(db, tmp_path):
    path = tmp_path / "kb.json"
    assert cli.main(["kb", "export", str(path)]) == 0
    report = sync_entries(load_knowledge_base(path))
    assert (report.inserted, report.updated, report.removed, report.conflicts) == (0, 0, 0, [])


def test_a_console_edit_reaches_the_export(function_client, restore_knowledge_base):
    admin = new_operator("admin")
    api = function_client("operator_api")
    entry = api.get("/kb/entries/newsletter", headers=admin.auth).json["entry"]
    draft = {k: entry[k] for k in ("question", "keywords", "examples", "url", "translations")}
    body = {**draft, "answer": "Unsubscribe from any email's footer.", "base_version": entry["version"]}
    assert api.put("/kb/entries/newsletter", json=body, headers=admin.auth).status_code == 200
    exported = {faq["id"]: faq for faq in export.knowledge_base()["faqs"]}
    assert exported["newsletter"]["answer"] == "Unsubscribe from any email's footer."


def test_cases_export_one_json_object_a_line_in_the_evaluation_format(db, tmp_path):
    path = tmp_path / "cases.jsonl"
    assert cli.main(["kb", "export", "--cases", str(path)]) == 0
    cases = conversation_eval.load_cases(path)
    assert all(isinstance(case.expected, tuple) for case in cases)


def test_every_case_of_the_repository_regression_set_is_answered_rightly(db):
    cases = conversation_eval.load_cases(REGRESSION_SET)
    assert len(cases) >= 10
    failed = [(o.case.query, o.case.expected, o.answered) for o in conversation_eval.run(cases) if not o.right]
    assert failed == []
