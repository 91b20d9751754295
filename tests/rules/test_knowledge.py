"""The knowledge base: file format, idempotent sync, and finding the right entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared.core.settings import PROJECT_ROOT
from shared.db.engine import connection
from shared.knowledge.retrieval import search
from shared.knowledge.sync import sync_file
from shared.schemas.faq import KnowledgeBaseError, load_knowledge_base


@pytest.fixture
def restore_knowledge_base():
    yield
    sync_file()


def _write(tmp_path: Path, faqs: list[dict]) -> Path:
    path = tmp_path / "kb.json"
    path.write_text(json.dumps({"faqs": faqs}))
    return path


def test_shipped_knowledge_base_loads_with_unique_ids():
    entries = load_knowledge_base(PROJECT_ROOT / "knowledge_base.json")
    assert len(entries) >= 11
    assert len({e.entry_id for e in entries}) == len(entries)


def test_entries_without_id_get_a_slug_of_their_question(tmp_path):
    [entry] = load_knowledge_base(
        _write(tmp_path, [{"question": "Can I pay later?", "keywords": [], "answer": "Yes."}])
    )
    assert entry.entry_id == "can-i-pay-later"


def test_duplicate_ids_are_refused(tmp_path):
    faq = {"id": "a", "question": "Q", "keywords": [], "answer": "A"}
    with pytest.raises(KnowledgeBaseError, match="duplicate"):
        load_knowledge_base(_write(tmp_path, [faq, faq]))


def test_sync_inserts_updates_removes_and_is_idempotent(tmp_path, db, restore_knowledge_base):
    original = json.loads((PROJECT_ROOT / "knowledge_base.json").read_text())["faqs"]
    changed = [dict(original[0], answer="Changed answer."), *original[2:]]
    changed.append({"id": "gift-cards", "question": "Do you sell gift cards?", "keywords": ["gift"], "answer": "Yes."})
    report = sync_file(_write(tmp_path, changed))
    assert (report.inserted, report.updated, report.removed) == (1, 1, 1)  # moving an entry is not a change
    again = sync_file(_write(tmp_path, changed))
    assert (again.inserted, again.updated, again.removed, again.unchanged) == (0, 0, 0, len(changed))
    answer = db.execute(sa.text("SELECT answer FROM kb_entries WHERE id = :id"), {"id": original[0]["id"]}).scalar()
    assert answer == "Changed answer."
    assert (
        db.execute(sa.text("SELECT count(*) FROM kb_entries WHERE id = :id"), {"id": original[1]["id"]}).scalar() == 0
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("What is your return policy?", "return-policy"),
        ("can I send it back", "return-policy"),
        ("where is my package", "order-tracking"),
        ("I forgot my pasword", "password-reset"),
        ("is it compatable with iphone", "compatibility"),
        ("do you take paypal", "payment-methods"),
        ("my headphones stopped working", "warranty"),
        ("unsubscribe me from emails", "newsletter"),
        ("I need 500 units for my company", "bulk-orders"),
        ("delete my personal data", "privacy"),
        ("when are you open", "support-hours"),
        ("do you deliver overseas", "international-shipping"),
    ],
)
def test_search_finds_the_right_entry(query, expected):
    with connection() as conn:
        results = search(conn, query)
    assert results[0].id == expected


def test_search_finds_nothing_confident_for_unrelated_questions():
    from shared.core.settings import get_settings

    with connection() as conn:
        results = search(conn, "what's the meaning of life")
    assert all(r.score < get_settings().retrieval_min_score for r in results)


def test_a_sync_with_nothing_changed_still_builds_missing_term_weights(db):
    # As after migrating a database whose knowledge base was synced before term weights existed.
    db.execute(sa.text("DELETE FROM kb_terms"))
    db.execute(sa.text("DELETE FROM kb_lexemes"))
    db.commit()
    report = sync_file()
    assert report.inserted == report.updated == report.removed == 0
    assert db.execute(sa.text("SELECT count(*) FROM kb_terms")).scalar() > 0
    with connection() as conn:
        assert search(conn, "What is your return policy?")[0].id == "return-policy"
