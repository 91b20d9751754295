"""Review after an edit: the bot replies that used an older version of an entry, and the regression cases."""

from __future__ import annotations

import sqlalchemy as sa

from shared.db.engine import connection, transaction
from shared.knowledge import entries, regression
from shared.schemas.knowledge import (
    BrokenCase,
    CaseList,
    CasePublic,
    CheckRequest,
    CheckResult,
    MessageIds,
    ReviewItem,
    ReviewList,
)
from shared.services import _model_usage as model_usage

MAX_LISTED = 200

# An entry's pin is stale once the entry has a newer version; a passage's, once its document's
# content hash differs from the one pinned, or the document is retired or gone (0023).
_TO_REVIEW = sa.text("""
    WITH stale AS (
        SELECT r.message_id, r.entry_id, r.version AS used_version, e.version AS current_version,
               CAST(NULL AS text) AS document, CAST(NULL AS text) AS document_change
        FROM reply_sources r
        JOIN kb_entries e ON e.id = r.entry_id AND r.version < e.version
        WHERE r.reviewed_at IS NULL
        UNION ALL
        SELECT r.message_id, r.entry_id, 0, 0, d.location,
               CASE WHEN d.id IS NULL THEN 'removed' WHEN d.status = 'retired' THEN 'retired' ELSE 'changed' END
        FROM reply_sources r
        LEFT JOIN documents d ON d.id = r.document_id
        WHERE r.reviewed_at IS NULL AND r.document_id IS NOT NULL
          AND (d.id IS NULL OR d.status = 'retired' OR d.content_hash IS DISTINCT FROM r.content_hash)
    )
    SELECT s.message_id, CAST(m.session_id AS text) AS session_id, s.entry_id, s.used_version, s.current_version,
           s.document, s.document_change, u.content AS question, m.content AS reply, m.created_at
    FROM stale s
    JOIN messages m ON m.id = s.message_id
    LEFT JOIN messages u ON u.id = m.reply_to_id
    ORDER BY m.created_at DESC, s.message_id DESC
    LIMIT :limit
""")


def replies_to_review() -> ReviewList:
    """Replies whose entry has a newer version than the one they used, or whose help-center document changed
    (or was retired or removed) since, newest first."""
    with connection() as conn:
        rows = conn.execute(_TO_REVIEW, {"limit": MAX_LISTED}).all()
    return ReviewList(replies=[ReviewItem.model_validate(row._asdict()) for row in rows])


def mark_reviewed(request: MessageIds, *, reviewer: str) -> None:
    """Take these replies off the review list."""
    with transaction() as conn:
        marked = conn.execute(
            sa.text("""
                UPDATE reply_sources SET reviewed_at = now(), reviewed_by = :reviewer
                WHERE message_id = ANY(:ids) AND reviewed_at IS NULL
            """),
            {"ids": request.message_ids, "reviewer": reviewer},
        ).rowcount
        entries.audit(conn, actor=reviewer, action="replies_reviewed", details={"replies": marked})


def list_cases() -> CaseList:
    """The regression set, oldest first."""
    with connection() as conn:
        rows = conn.execute(
            sa.text("SELECT id, query, expected, lang, created_by, created_at FROM kb_cases ORDER BY id")
        ).all()
    return CaseList(
        cases=[CasePublic.model_validate({**row._asdict(), "expected": list(row.expected)}) for row in rows]
    )


def check(request: CheckRequest) -> CheckResult:
    """Which cases the draft would break, found by running the set against it; nothing is published."""
    entry = request.to_entry(request.entry_id)
    ran, broken = regression.check_draft(entry)
    model_usage.flush()  # the check's embedding calls belong to the deployment
    return CheckResult(
        cases=ran,
        broken=[
            BrokenCase(query=o.case.query, expected=list(o.case.expected), answered=list(o.answered)) for o in broken
        ],
    )
