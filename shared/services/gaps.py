"""Gaps: the customer questions the bot could not answer, grouped, and turned into entries and cases.

A question is a gap when the bot's reply to it only suggested entries or did not know (its stored
outcome; older replies without one: found nothing), got a thumbs-down, or handed the conversation
over because two questions in a row went unanswered. It leaves the list once approved (a case
records it with its entry) or dismissed. A group proposes the entry its suggested replies offered
most, or none: retrieval's first guess for a question it could not answer is no proposal.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from shared.answering import get_provider
from shared.answering.structured import StructuredProvider
from shared.core import errors
from shared.db.engine import connection, transaction
from shared.embeddings import get_embedder
from shared.knowledge import decision, editing, entries, gaps, nearest_passages, regression
from shared.schemas.knowledge import (
    ApproveRequest,
    ApproveResult,
    EntryDraft,
    GapDraft,
    GapGroup,
    GapList,
    GapsQuery,
    MessageIds,
    NearPassage,
    Suggestion,
)
from shared.services import _model_usage as model_usage
from shared.services.knowledge import live_entry, near_passage
from shared.text.language import language_of
from shared.text.redaction import anonymize, for_model

log = logging.getLogger("support.gaps")
# The newest gaps considered for grouping; older ones wait until these are handled.
MAX_QUESTIONS = 500
EXAMPLES_SHOWN = 5
# The largest groups get their nearest help-center passage looked up (one search each).
PASSAGES_LOOKED_UP = 30

# The outcome of replies stored before outcomes were: "unknown" when they found nothing.
_GAPS = sa.text("""
    SELECT u.id AS message_id, u.session_id, u.content, u.created_at, r.outcome, r.about,
           f.message_id IS NOT NULL AS thumbs_down, r.handover_kind = 'unanswered' AS handed_over
    FROM messages b
    CROSS JOIN LATERAL (
        SELECT coalesce(b.details->>'outcome',
                        CASE WHEN b.details->>'decision' = 'not_covered' THEN 'unknown' END) AS outcome,
               b.details->'about'->>0 AS about, b.details->>'handover_kind' AS handover_kind
    ) r
    JOIN messages u ON u.id = b.reply_to_id AND u.sender = 'user'
    LEFT JOIN message_feedback f ON f.message_id = b.id AND f.rating = 'down'
    WHERE b.sender = 'bot' AND b.created_at >= :since
      AND (r.outcome IN ('suggested', 'unknown') OR r.handover_kind = 'unanswered' OR f.message_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM kb_cases c WHERE c.source_message_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM kb_gap_dismissals d WHERE d.message_id = u.id)
    ORDER BY u.created_at DESC, u.id DESC
    LIMIT :limit
""")

_QUESTIONS = sa.text("SELECT id, question FROM kb_entries WHERE id = ANY(:ids)")


def list_gaps(query: GapsQuery) -> GapList:
    """The open gaps of the last `query.days` days, grouped by topic, the largest group first."""
    since = datetime.now(UTC) - timedelta(days=query.days)
    with connection() as conn:
        rows = conn.execute(_GAPS, {"since": since, "limit": MAX_QUESTIONS}).all()
    by_id = {row.message_id: row for row in rows}
    # Grouping may embed the questions with a remote model: it gets them as any model does, redacted.
    questions = [gaps.Question(row.message_id, for_model(row.content)) for row in rows]
    grouped = gaps.group(questions, get_embedder())
    offered = list({row.about for row in rows if row.outcome == "suggested" and row.about})
    with connection() as conn:
        live = {row.id: row.question for row in conn.execute(_QUESTIONS, {"ids": offered})}
        groups = [_group([by_id[q.message_id] for q in members], live) for members in grouped]
        groups = [
            group.model_copy(update={"passage": _near_passage(conn, group)}) if i < PASSAGES_LOOKED_UP else group
            for i, group in enumerate(groups)
        ]
        model_usage.charge(conn)  # the embeddings of grouping and of the passages' search
    return GapList(groups=groups)


def _near_passage(conn: sa.Connection, group: GapGroup) -> NearPassage | None:
    """The passage nearest the group's newest question when it is near enough to be suggested (decision.NEAR)."""
    question = for_model(group.examples[0])
    page = nearest_passages.nearest(conn, question, language=language_of(question), share=decision.NEAR)
    if page is None:
        return None
    return near_passage(page)


def _group(rows: list[Any], live: dict[str, str]) -> GapGroup:
    return GapGroup(
        key=str(min(row.message_id for row in rows)),
        count=len(rows),
        examples=[row.content for row in rows[:EXAMPLES_SHOWN]],
        message_ids=[row.message_id for row in rows],
        last_seen=max(row.created_at for row in rows),
        reasons={
            "suggested": sum(row.outcome == "suggested" for row in rows),
            "unknown": sum(row.outcome == "unknown" for row in rows),
            "thumbs_down": sum(bool(row.thumbs_down) for row in rows),
            "handed_over": sum(bool(row.handed_over) for row in rows),
        },
        suggestion=_suggestion(rows, live),
    )


def _suggestion(rows: list[Any], live: dict[str, str]) -> Suggestion | None:
    """The live entry the group's suggested replies offered most (the newest on a tie); None if they offered none."""
    offered = Counter(row.about for row in rows if row.outcome == "suggested" and row.about in live)
    if not offered:
        return None
    entry_id = offered.most_common(1)[0][0]
    return Suggestion(id=entry_id, question=live[entry_id])


# Each question's first public agent reply in its own conversation, with the names it may carry.
_AGENT_REPLIES = sa.text("""
    SELECT DISTINCT ON (u.id) a.content, o.display_name AS agent, s.attributes, s.customer_name
    FROM messages u
    JOIN messages a ON a.session_id = u.session_id AND a.id > u.id AND a.sender = 'agent' AND NOT a.internal
    JOIN chat_sessions s ON s.id = u.session_id
    LEFT JOIN operators o ON o.id = a.operator_id
    WHERE u.id = ANY(:ids)
    ORDER BY u.id, a.id
""")


def draft(request: MessageIds) -> GapDraft:
    """A new entry prefilled from a group: its first question, the others as examples, what agents replied.

    Everything in it may end up in front of every customer, so personal data becomes placeholders;
    an answer built from agents' replies is marked as needing review.
    """
    questions = [anonymize(text) for text in _questions(request.message_ids).values()]
    with connection() as conn:
        rows = conn.execute(_AGENT_REPLIES, {"ids": request.message_ids}).all()
    replies = list(dict.fromkeys(anonymize(row.content, names=_names(row)) for row in rows))
    answer = _drafted_answer(questions, replies)
    model_usage.flush()
    return GapDraft(
        question=questions[0], answer=answer, examples=list(dict.fromkeys(questions[1:])), needs_review=bool(replies)
    )


def _names(row: Any) -> list[str]:
    """The names an agent's reply may mention: the agent's own, the verified customer's and any the page sent."""
    attributes = row.attributes or {}
    customer = [str(value) for key, value in attributes.items() if "name" in key.lower() and value]
    verified = [row.customer_name] if row.customer_name else []
    return [*([row.agent] if row.agent else []), *verified, *customer]


def _drafted_answer(questions: list[str], replies: list[str]) -> str:
    """With a model provider, one answer it writes from the agents' replies; else the replies themselves."""
    provider = get_provider()
    if replies and isinstance(provider, StructuredProvider):
        try:
            return anonymize(provider.draft_answer(questions, replies))
        except errors.ModelFailed:
            log.warning("drafting an answer failed; offering the agents' replies", extra={"provider": provider.name})
    return "\n\n".join(replies)


def approve(request: ApproveRequest, *, author: str) -> ApproveResult:
    """Add the questions to an entry (as examples) or create one from them, and record each as a case."""
    # Customers' words become cases and examples that outlive their conversations: no personal data in them.
    questions = {message_id: anonymize(text) for message_id, text in _questions(request.message_ids).items()}
    if request.new_entry is not None:
        entry = _anonymized(request.new_entry).to_entry()
        saved = editing.save(entry, author=author, base_version=None)
    else:
        assert request.entry_id is not None
        saved = _add_examples(request.entry_id, list(questions.values()), author=author)
    with transaction() as conn:
        added = regression.add_cases(conn, questions.items(), [saved.entry_id], author=author)
        model_usage.charge(conn)  # a remote embedder's, re-indexing the entry
        entries.audit(
            conn,
            actor=author,
            action="gap_approved",
            entry_id=saved.entry_id,
            version=saved.version,
            details={"cases_added": added, "questions": len(questions)},
        )
    return ApproveResult(entry=live_entry(saved.entry_id), cases_added=added)


def _anonymized(new_entry: EntryDraft) -> EntryDraft:
    """The entry with its question and examples (often customers' words) free of personal data."""
    examples = list(dict.fromkeys(anonymize(text) for text in new_entry.examples))
    return new_entry.model_copy(update={"question": anonymize(new_entry.question), "examples": examples})


def dismiss(request: MessageIds, *, author: str) -> None:
    """Take questions off the gaps list without acting on them."""
    ids = list(_questions(request.message_ids))
    with transaction() as conn:
        conn.execute(
            sa.text("""
                INSERT INTO kb_gap_dismissals (message_id, dismissed_by)
                SELECT id, :author FROM unnest(CAST(:ids AS bigint[])) AS id
                ON CONFLICT (message_id) DO NOTHING
            """),
            {"ids": ids, "author": author},
        )
        entries.audit(conn, actor=author, action="gap_dismissed", details={"questions": len(ids)})


def _add_examples(entry_id: str, texts: list[str], *, author: str) -> editing.Saved:
    with connection() as conn:
        current = entries.live(conn, entry_id)
    if current is None:
        raise errors.NotFound(f"There is no live entry {entry_id!r}.")
    known = {text.casefold() for text in [current.entry.question, *current.entry.examples]}
    new = [text for text in dict.fromkeys(texts) if text.casefold() not in known]
    updated = current.entry.model_copy(update={"examples": [*current.entry.examples, *new]})
    return editing.save(updated, author=author, base_version=current.version)


def _questions(message_ids: list[int]) -> dict[int, str]:
    """The customer questions with these ids, in the order given; 422 if one is not a customer message."""
    with connection() as conn:
        rows = conn.execute(
            sa.text("SELECT id, content FROM messages WHERE id = ANY(:ids) AND sender = 'user'"), {"ids": message_ids}
        ).all()
    found = {row.id: row.content for row in rows}
    missing = [i for i in message_ids if i not in found]
    if missing:
        raise errors.ValidationFailed(
            "Some of these are not customer questions.",
            details=[{"field": "message_ids", "message": f"not a customer message: {missing[0]}"}],
        )
    return {i: found[i] for i in message_ids}
