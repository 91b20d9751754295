"""Measure answers from the help center: `python -m devtools.evaluate_help_center [--set S.jsonl] [--json]`.

The demo knowledge base (knowledge_base.json) and the demo help center (helpcenter/, read as a
folder) are loaded into a throwaway database; each labelled message goes through the bot's own
lookup and its offline reply. A line is `{"query", "expected", "facts", "lang", "kind"}`:
`expected` is `["doc:<path in helpcenter/>[#anchor]"]` for a message only a page answers, an entry's
id for one an entry answers, or [] for one neither answers; `facts` are strings the reply must hold.

Reported: pages found (the reply cites a passage of the expected document) and cited to the
expected section, the facts in the reply, entries still answered right (a page never takes an
entry's place), not-covered messages refused or suggested, and confidently wrong replies (a
reply asserting an entry or a page that does not answer the message), as shares.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from devtools.evaluate import DEMO_KB, fresh_database, load_kb
from shared.core.settings import PROJECT_ROOT

HELP_CENTER = PROJECT_ROOT / "helpcenter"
LABELLED = PROJECT_ROOT / "datasets" / "helpcenter_eval.jsonl"
DOC = "doc:"


@dataclass(frozen=True)
class Figures:
    messages: int
    pages_found: float
    sections_cited: float
    facts_in_reply: float
    entries_right: float
    not_covered_refused: float
    confidently_wrong: float
    wrong: list[dict[str, Any]]


def evaluate(labelled: Path = LABELLED, help_center: Path = HELP_CENTER, *, fresh: bool = True) -> Figures:
    """The figures for `labelled`, with the demo knowledge base and `help_center` in a fresh database
    (or, `fresh=False`, in the configured one, which must hold the demo knowledge base: the tests')."""
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_entries

    cases = [json.loads(line) for line in labelled.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not fresh:
        return _measured(cases, help_center)
    with fresh_database():
        upgrade()
        sync_entries(load_kb(DEMO_KB))
        return _measured(cases, help_center)


def _measured(cases: list[dict[str, Any]], help_center: Path) -> Figures:
    """The figures, with `help_center` synced for the length of the measurement."""
    from shared.knowledge import passages
    from shared.knowledge.documents.sync import remove_source, sync_sources

    sync_sources([str(help_center)])
    passages.passages_present.forget()
    try:
        return _figures([_judged(case, help_center) for case in cases])
    finally:
        remove_source(str(help_center))
        passages.passages_present.forget()


def _judged(case: dict[str, Any], help_center: Path) -> dict[str, Any]:
    from shared.answering.providers.offline import OfflineProvider
    from shared.answering.types import AnswerRequest
    from shared.knowledge import lookup

    found = lookup.find_answers(case["query"], [], locale=case.get("lang"))
    reply = OfflineProvider().answer(AnswerRequest.of(found))
    asserted = found.entries[: max(1, len(found.parts))] if found.outcome == "answered" else []
    expected = case["expected"]
    return {
        "case": case,
        "outcome": found.outcome,
        "asserted": [_name(e, help_center) for e in asserted],
        "cited": [_cited(e, help_center) for e in asserted],
        "facts": [fact for fact in case.get("facts", []) if fact.lower() in reply.text.lower()],
        "right": _right(expected, [_name(e, help_center) for e in asserted], found.outcome),
    }


def _name(entry: Any, help_center: Path) -> str:
    """An entry's id, or `doc:<path>` for a passage of a help-center document."""
    if entry.kind != "passage":
        return str(entry.id)
    root = str(help_center.resolve()) + "/"
    location = str(entry.document)
    return DOC + (location[len(root) :] if location.startswith(root) else location)


def _cited(entry: Any, help_center: Path) -> str:
    name = _name(entry, help_center)
    return name + (f"#{entry.anchor}" if entry.kind == "passage" and entry.anchor else "")


def _right(expected: list[str], asserted: list[str], outcome: str) -> bool:
    if not expected:
        return outcome != "answered"
    wanted = [e.split("#", 1)[0] for e in expected]
    return outcome == "answered" and asserted[: len(wanted)] == wanted


def _figures(results: list[dict[str, Any]]) -> Figures:
    pages = [r for r in results if any(e.startswith(DOC) for e in r["case"]["expected"])]
    entries = [r for r in results if r["case"]["expected"] and r not in pages]
    neither = [r for r in results if not r["case"]["expected"]]
    with_anchor = [r for r in pages if "#" in r["case"]["expected"][0]]
    facts = [f for r in pages for f in r["case"].get("facts", [])]
    wrong = [r for r in results if r["outcome"] == "answered" and not r["right"]]
    return Figures(
        messages=len(results),
        pages_found=_share(sum(r["right"] for r in pages), len(pages)),
        sections_cited=_share(sum(r["cited"][:1] == r["case"]["expected"][:1] for r in with_anchor), len(with_anchor)),
        facts_in_reply=_share(sum(len(r["facts"]) for r in pages), len(facts)),
        entries_right=_share(sum(r["right"] for r in entries), len(entries)),
        not_covered_refused=_share(sum(r["right"] for r in neither), len(neither)),
        confidently_wrong=_share(len(wrong), len(results)),
        wrong=[{"query": r["case"]["query"], "expected": r["case"]["expected"], "cited": r["cited"]} for r in wrong],
    )


def _share(count: int, total: int) -> float:
    return round(count / max(1, total), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=LABELLED, help="a labelled set (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--verbose", action="store_true", help="list the wrong replies")
    args = parser.parse_args()
    figures = evaluate(args.set)
    if args.json:
        print(json.dumps(asdict(figures), indent=1))
        return
    print(f"{figures.messages} messages, demo knowledge base and help center, offline answers")
    print(
        f"pages found {figures.pages_found:.1%}, cited to the section {figures.sections_cited:.1%}, "
        f"facts in the reply {figures.facts_in_reply:.1%}"
    )
    print(
        f"entries answered right {figures.entries_right:.1%}, not covered refused or suggested "
        f"{figures.not_covered_refused:.1%}, confidently wrong {figures.confidently_wrong:.1%}"
    )
    if args.verbose:
        for item in figures.wrong:
            print(f"  wrong: {item['query']!r} expected {item['expected']} cited {item['cited']}")


if __name__ == "__main__":
    main()
