"""How the handover rules treat each labelled set, per label and per language.

    .venv/bin/python -m devtools.handover_figures [datasets/handover_holdout.jsonl ...]

Each message ends one of three ways: a handover, an answer with the offer of a person (mild
frustration), or a plain answer. Person, frustration, legal and safety messages should hand over
(recall), ordinary ones should be answered (a handover is a false one), `answer_and_offer` ones
should be answered with the offer. Sets without a `lang` field count as English.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from shared.handover.triggers import Trigger, detect

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = ("datasets/handover_messages.jsonl", "datasets/handover_people.jsonl", "datasets/handover_probes.jsonl")
HAND_OVER = ("person", "frustration", "legal", "safety")
OUTCOMES = ("handover", "offer", "answer")
EXPECTED = {**{label: "handover" for label in HAND_OVER}, "ordinary": "answer", "answer_and_offer": "offer"}


def outcome(trigger: Trigger | None) -> str:
    """What the customer gets: a handover, an answer with the offer of a person, or an answer."""
    if trigger is None:
        return "answer"
    return "offer" if trigger.strength == "mild" else "handover"


def rows(path: Path) -> list[dict[str, str]]:
    """The labelled messages of a JSON-lines set."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def _label_table(labelled: list[dict[str, str]]) -> Iterable[str]:
    yield f"  {'label':<17}{'n':>4}  {'handover':>8}{'offer':>8}{'answer':>8}  wrong kind"
    for label in sorted({r["label"] for r in labelled}):
        of_label = [r for r in labelled if r["label"] == label]
        ends = [r["outcome"] for r in of_label]
        wrong = sum(r["kind"] not in (None, label) for r in of_label if label in HAND_OVER)
        shares = "".join(f"{_share(ends.count(o), len(ends)):>8}" for o in OUTCOMES)
        yield f"  {label:<17}{len(of_label):>4}  {shares}  {wrong}"


def _rates(labelled: list[dict[str, str]]) -> str:
    due = [r for r in labelled if r["label"] in HAND_OVER]
    ordinary = [r for r in labelled if r["label"] == "ordinary"]
    offers = [r for r in labelled if r["label"] == "answer_and_offer"]
    recall = _share(sum(r["outcome"] == "handover" for r in due), len(due))
    false = _share(sum(r["outcome"] == "handover" for r in ordinary), len(ordinary))
    offered = _share(sum(r["outcome"] == "offer" for r in offers), len(offers))
    return f"recall {recall} ({len(due)})  false handovers {false} ({len(ordinary)})  answer+offer {offered}"


def report(path: Path) -> Iterable[str]:
    """The table of one set: outcomes per label, then recall and false handovers per language."""
    labelled = []
    for row in rows(path):
        trigger = detect(row["text"])
        kind = trigger.kind if trigger else None
        labelled.append({**row, "lang": row.get("lang", "en"), "outcome": outcome(trigger), "kind": kind})
    yield f"{path.relative_to(ROOT)}: {len(labelled)} messages"
    yield from _label_table(labelled)
    by_language: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in labelled:
        by_language[row["lang"]].append(row)
    for language, of_language in sorted(by_language.items()):
        yield f"  {language}: {_rates(of_language)}"
    yield f"  all: {_rates(labelled)}"


def main(argv: list[str]) -> None:
    for name in argv or DEFAULT_SETS:
        print("\n".join(report((ROOT / name).resolve())))


if __name__ == "__main__":
    main(sys.argv[1:])
