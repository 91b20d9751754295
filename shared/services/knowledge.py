"""The knowledge base in the console: list, read, save and retire entries, and try a question as the bot would."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from shared.core import errors
from shared.core.settings import get_settings
from shared.db.engine import connection
from shared.embeddings import describe_retrieval
from shared.knowledge import editing, lookup
from shared.knowledge.retrieval import ScoredEntry
from shared.schemas.knowledge import (
    Candidate,
    EntryDetail,
    EntryDraft,
    EntryList,
    EntryPublic,
    NearPassage,
    PassageCandidate,
    SaveResult,
    TryRequest,
    TryResult,
    VersionPublic,
)
from shared.services import _model_usage as model_usage

_ENTRY_COLUMNS = """
    e.id, e.question, e.answer, e.keywords, e.examples, e.url, e.translations, e.version, e.updated_at,
    (SELECT count(*) FROM reply_sources r
     WHERE r.entry_id = e.id AND r.version < e.version AND r.reviewed_at IS NULL) AS replies_to_review
"""


def list_entries() -> EntryList:
    """Every live entry in knowledge-base order."""
    with connection() as conn:
        rows = conn.execute(sa.text(f"SELECT {_ENTRY_COLUMNS} FROM kb_entries e ORDER BY e.position, e.id")).all()
    return EntryList(entries=[_entry(row) for row in rows])


def entry_detail(entry_id: str) -> EntryDetail:
    """One live entry with its versions, newest first."""
    with connection() as conn:
        found = _live(conn, entry_id)
        versions = conn.execute(
            sa.text("""
                SELECT version, author, changed, retired, question, answer, examples, created_at
                FROM kb_entry_versions WHERE entry_id = :id ORDER BY version DESC LIMIT 100
            """),
            {"id": entry_id},
        ).all()
    return EntryDetail(entry=found, versions=[VersionPublic.model_validate(v._asdict()) for v in versions])


def save_entry(draft: EntryDraft, *, author: str, entry_id: str | None = None) -> SaveResult:
    """Create an entry (no `entry_id`) or save a new version of one; 409 when `base_version` is stale."""
    if entry_id is None and draft.base_version is not None:
        raise errors.ValidationFailed(
            "Send base_version only to edit an entry.", details=[_field("base_version", "only for editing")]
        )
    if entry_id is not None and draft.base_version is None:
        raise errors.ValidationFailed(
            "Send the version you edited as base_version.", details=[_field("base_version", "required to edit")]
        )
    entry = draft.to_entry(entry_id)
    saved = editing.save(entry, author=author, base_version=draft.base_version)
    with connection() as conn:
        model_usage.charge(conn)  # a remote embedder's, re-indexing the entry
        live = _live(conn, saved.entry_id)
    return SaveResult(entry=live, version=saved.version, changed=saved.changed, reindex_ms=_ms(saved.reindex_seconds))


def retire_entry(entry_id: str, *, base_version: int, author: str) -> SaveResult:
    """Retire an entry: the bot stops answering from it; its history stays."""
    saved = editing.retire(entry_id, author=author, base_version=base_version)
    model_usage.flush()  # a remote embedder's, recalibrating
    return SaveResult(entry=None, version=saved.version, changed=saved.changed, reindex_ms=_ms(saved.reindex_seconds))


def try_question(request: TryRequest) -> TryResult:
    """What the bot would do with `request.question`: ranked entries and help-center passages with their scores,
    the threshold, the decision."""
    settings = get_settings()
    decided, found, pages = lookup.explain(request.question, [], locale=request.locale)
    model_usage.flush()  # a remote embedder's, for the question
    threshold = decided.top_threshold if decided.top_threshold is not None else settings.retrieval_min_score
    return TryResult(
        mode=describe_retrieval(),
        language=decided.language,
        threshold=round(threshold, 4),
        decision="answer" if decided.entries else "not_covered",
        outcome=decided.outcome,
        reason=decided.reason,
        offered=[entry.id for entry in decided.offered],
        unknown_words=list(found[0].unknown_words) if found else [],
        answered_with=[entry.id for entry in decided.entries],
        parts=decided.parts,
        candidates=[
            Candidate(
                id=entry.id,
                question=entry.question,
                score=round(entry.score, 4),
                features={name: round(value, 4) for name, value in entry.features.items()},
                fits=entry.fits(settings),
            )
            for entry in found
        ],
        passages=[_passage(page) for page in pages],
    )


def _passage(page: ScoredEntry) -> PassageCandidate:
    settings = get_settings()
    return PassageCandidate(
        **near_passage(page).model_dump(),
        features={name: round(value, 4) for name, value in page.features.items()},
        fits=page.fits(settings),
    )


def near_passage(page: ScoredEntry) -> NearPassage:
    """A ranked passage as the console shows it: where it sits, its link, its score and own threshold."""
    return NearPassage(
        id=page.id,
        question=page.question,
        title=page.title,
        section=page.section,
        url=page.url,
        document=page.document,
        score=round(page.score, 4),
        threshold=round(page.threshold(get_settings()), 4),
    )


def live_entry(entry_id: str) -> EntryPublic:
    """The live entry as the console shows it; 404 when there is none."""
    with connection() as conn:
        return _live(conn, entry_id)


def _live(conn: sa.Connection, entry_id: str) -> EntryPublic:
    row = conn.execute(sa.text(f"SELECT {_ENTRY_COLUMNS} FROM kb_entries e WHERE e.id = :id"), {"id": entry_id}).first()
    if row is None:
        raise errors.NotFound(f"There is no live entry {entry_id!r}.")
    return _entry(row)


def _entry(row: Any) -> EntryPublic:
    return EntryPublic.model_validate({**row._asdict(), "translations": row.translations or {}})


def _field(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
