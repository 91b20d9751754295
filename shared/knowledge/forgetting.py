"""Forgetting a customer's words in the knowledge base: the examples (and questions) approved from their messages.

An approved gap copies the customer's question, anonymised, into an entry's examples (or makes
it a new entry's question), and every save keeps a version. Erasing the customer removes those
copies: the live entry loses the example (a question it was made from becomes a placeholder,
since an entry needs one) and is re-indexed; every saved version keeps its shape with the
placeholder in the customer's place. The entry keeps its version number: an erasure is not an
edit, so no reply is listed for review because of it. Texts match as written or anonymised,
ignoring letter case; an operator's rewording of them is the operator's text and stays.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from shared.db.engine import transaction
from shared.knowledge import editing, entries
from shared.knowledge.lexical import refresh_lexical_index

PLACEHOLDER = "[removed at the customer's request]"

_MATCHES = "lower({column}) = ANY(SELECT lower(t) FROM unnest(CAST(:texts AS text[])) AS t)"

_LIVE_MATCHES = sa.text(f"""
    SELECT id, ARRAY(SELECT x FROM unnest(examples) AS x WHERE {_MATCHES.format(column="x")}) AS examples,
           {_MATCHES.format(column="question")} AS question
    FROM kb_entries
    WHERE {_MATCHES.format(column="question")}
       OR EXISTS (SELECT 1 FROM unnest(examples) AS x WHERE {_MATCHES.format(column="x")})
    ORDER BY id
""")

_REWRITE_VERSIONS = sa.text(f"""
    UPDATE kb_entry_versions
    SET question = CASE WHEN {_MATCHES.format(column="question")} THEN :placeholder ELSE question END,
        examples = ARRAY(
            SELECT CASE WHEN {_MATCHES.format(column="x")} THEN :placeholder ELSE x END
            FROM unnest(examples) WITH ORDINALITY AS u(x, n) ORDER BY n
        )
    WHERE {_MATCHES.format(column="question")}
       OR EXISTS (SELECT 1 FROM unnest(examples) AS x WHERE {_MATCHES.format(column="x")})
    RETURNING entry_id
""")


def forget(texts: Iterable[str], *, actor: str) -> int:
    """Remove `texts` from every entry's examples and questions, live and saved; returns how many entries had them."""
    wanted = sorted({text for text in texts if text.strip()})
    if not wanted:
        return 0
    with transaction() as conn:
        live = _forget_live(conn, wanted)
        saved = set(conn.execute(_REWRITE_VERSIONS, {"texts": wanted, "placeholder": PLACEHOLDER}).scalars())
        if live:
            refresh_lexical_index(conn)
        touched = sorted(saved | set(live))
        for entry_id in touched:
            entries.audit(conn, actor=actor, action="customer_text_erased", entry_id=entry_id)
    if live:
        editing.reindex(live)
    return len(touched)


def _forget_live(conn: sa.Connection, texts: list[str]) -> list[str]:
    """Drop the texts from the live entries' examples (a question becomes the placeholder); their ids."""
    changed = []
    for match in conn.execute(_LIVE_MATCHES, {"texts": texts}).all():
        current = entries.live(conn, match.id, lock=True)
        if current is None:
            continue
        erased = set(match.examples)
        entry = current.entry.model_copy(
            update={
                "examples": [x for x in current.entry.examples if x not in erased],
                "question": PLACEHOLDER if match.question else current.entry.question,
            }
        )
        entries.rewrite(conn, current, entry)
        changed.append(match.id)
    return changed
