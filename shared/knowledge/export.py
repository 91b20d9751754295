"""Write the live knowledge base, or the labelled regression cases, to files a team keeps in git.

    python -m shared.cli kb export [PATH]            the entries, in the import format (default: stdout)
    python -m shared.cli kb export --cases [PATH]    the regression cases, one JSON object a line

The entries come out in knowledge-base order with their ids, in the format
`python -m shared.cli kb import` reads, so export then import changes nothing. When the help
center is a source, `sources` lists where its documents came from (location, kind, added_at,
last_synced_at, status): an import elsewhere reports those it lacks, and adds none. The cases come
out in the format `python -m devtools.evaluate --regression` reads.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import sqlalchemy as sa

from shared.db.engine import connection
from shared.knowledge import entries
from shared.knowledge.documents import sources


def knowledge_base() -> dict[str, Any]:
    """The live entries as the import format's document, and the help-center sources when there are any."""
    with connection() as conn:
        live = entries.all_live(conn)
        listed = sources.summaries(conn)
    exported: dict[str, Any] = {"faqs": [_exported(item.entry) for item in live]}
    if listed:
        exported["sources"] = [
            {
                "location": source.location,
                "kind": source.kind,
                "added_at": source.added_at.isoformat(),
                "last_synced_at": source.last_synced_at.isoformat() if source.last_synced_at else None,
                "status": source.status,
            }
            for source in listed
        ]
    return exported


def cases() -> list[dict[str, Any]]:
    """Every regression case, oldest first."""
    with connection() as conn:
        rows = conn.execute(sa.text("SELECT id, query, expected, lang FROM kb_cases ORDER BY id")).all()
    return [{"id": row.id, "query": row.query, "expected": list(row.expected), "lang": row.lang} for row in rows]


def _exported(entry: Any) -> dict[str, Any]:
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_defaults=True)
    data["id"] = entry.entry_id
    return {
        key: data[key]
        for key in ("id", "question", "answer", "keywords", "examples", "url", "translations")
        if key in data
    }


def render_knowledge_base() -> str:
    return json.dumps(knowledge_base(), ensure_ascii=False, indent=2) + "\n"


def render_cases() -> str:
    return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases())


if __name__ == "__main__":  # the earlier name of `python -m shared.cli kb export`
    from shared.cli import main

    sys.exit(main(["kb", "export", *sys.argv[1:]]))
