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

_TO_REVIEW = sa.text("""
    SELECT r.message_id, CAST(m.session_id AS text) AS session_id, r.entry_id, r.version AS used_version,
           e.version AS current_version, u.content AS question, m.content AS reply, m.created_at
    FROM reply_sources r
    JOIN kb_entries e ON e.id = r.entry_id AND r.version < e.version
    JOIN messages m ON m.id = r.message_id
    LEFT JOIN messages u ON u.id = m.reply_to_id
    WHERE r.reviewed_at IS NULL
    ORDER BY m.created_at DESC, r.message_id DESC
    LIMIT :limit
""")


def replies_to_review() -> ReviewList:
    """Replies whose entry has a newer version than the one they used, newest first."""
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
