"""The regression set: labelled customer questions that must keep finding their entries.

Cases come from gaps an admin approved (each question with the entry that answers it) and
live in `kb_cases`. Before an edit is published, the whole set runs against the edited
knowledge base inside a transaction that is rolled back: the answer for every case is what
the bot would give if the edit were live, and nothing is published by looking.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from shared.db.engine import connection, rehearsal
from shared.embeddings import get_embedder
from shared.knowledge import editing, entries, vectors
from shared.knowledge.conversation_eval import Case, Outcome, run
from shared.knowledge.lexical import refresh_lexical_index
from shared.schemas.faq import FaqEntry
from shared.text.language import language_of


def stored_cases(conn: sa.Connection) -> list[Case]:
    """Every case in the database, oldest first (kind "regression")."""
    rows = conn.execute(sa.text("SELECT query, expected, lang FROM kb_cases ORDER BY id")).all()
    return [Case(row.query, tuple(row.expected), row.lang, "regression") for row in rows]


def add_cases(
    conn: sa.Connection, questions: Iterable[tuple[int | None, str]], expected: list[str], *, author: str
) -> int:
    """Record each (source message id, question) as a case answered by `expected`; returns how many were new."""
    added = 0
    for message_id, query in questions:
        inserted = conn.execute(
            sa.text("""
                INSERT INTO kb_cases (query, expected, lang, source_message_id, created_by)
                VALUES (:query, :expected, :lang, :message_id, :author)
                ON CONFLICT (source_message_id) DO NOTHING
            """),
            {
                "query": query,
                "expected": expected,
                "lang": language_of(query),
                "message_id": message_id,
                "author": author,
            },
        ).rowcount
        added += inserted
    return added


def check_draft(draft: FaqEntry) -> tuple[int, list[Outcome]]:
    """Run every stored case against the knowledge base with `draft` saved; nothing is kept.

    Returns how many cases ran and the ones that would answer wrongly while they answer rightly now.
    """
    with connection() as conn:
        cases = stored_cases(conn)
    if not cases:
        return 0, []
    right_now = {o.case for o in run(cases) if o.right}
    with rehearsal() as conn:
        current = entries.live(conn, draft.entry_id, lock=True)
        editing.write_next_version(conn, draft, current, author="check", changed=[])
        refresh_lexical_index(conn)
        embedder = get_embedder()
        if embedder is not None:
            vectors.refresh_entries_in(conn, embedder, [draft.entry_id])
        outcomes = run(cases, conn)
    return len(cases), [o for o in outcomes if not o.right and o.case in right_now]
