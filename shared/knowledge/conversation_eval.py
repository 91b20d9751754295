"""Measure what the bot would answer on labelled customer messages, through the same lookup it uses.

A labelled set is one JSON object per line: `{"query", "expected": [entry ids] ([] = not covered),
"lang", "kind", "history": [earlier customer messages]}`. A message is answered right when the
entries the bot would answer with start with the expected ones (both, in any order, for a message
asking two things), and a not-covered message is right when the bot answers with none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from shared.text.turns import Turn


@dataclass(frozen=True)
class Case:
    query: str
    expected: tuple[str, ...]
    lang: str = "en"
    kind: str = "plain"
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    case: Case
    answered: tuple[str, ...]

    @property
    def right(self) -> bool:
        if not self.case.expected:
            return not self.answered
        return set(self.answered[: len(self.case.expected)]) == set(self.case.expected)


def load_cases(path: Path) -> list[Case]:
    """The labelled messages of a set."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            expected = item["expected"]
            expected = [expected] if isinstance(expected, str) else expected or []
            cases.append(
                Case(
                    query=item["query"],
                    expected=tuple(expected),
                    lang=item.get("lang", "en"),
                    kind=item.get("kind", "plain"),
                    history=tuple(item.get("history", [])),
                )
            )
    return cases


def run(cases: list[Case], conn: sa.Connection | None = None) -> list[Outcome]:
    """What the bot would answer each case with: from the configured knowledge base, or the one `conn` rehearses."""
    from shared.knowledge import lookup

    outcomes = []
    for case in cases:
        history = [Turn(sender="user", content=text) for text in case.history]
        request = lookup.find_answers(case.query, history, locale=case.lang, conn=conn)
        outcomes.append(Outcome(case, tuple(entry.id for entry in request.entries)))
    return outcomes


def accuracy_by(outcomes: list[Outcome], key: str) -> dict[str, float]:
    """The share answered right per value of `key` ("lang" or "kind"), and "all"."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        groups[getattr(outcome.case, key)].append(outcome.right)
        groups["all"].append(outcome.right)
    return {name: round(sum(rights) / len(rights), 4) for name, rights in sorted(groups.items())}


def scope_figures(outcomes: list[Outcome]) -> dict[str, float]:
    """Right answers among covered messages, and refusals among not-covered ones."""
    covered = [o for o in outcomes if o.case.expected]
    uncovered = [o for o in outcomes if not o.case.expected]
    return {
        "in_scope_answered_right": round(sum(o.right for o in covered) / max(1, len(covered)), 4),
        "out_of_scope_refused": round(sum(o.right for o in uncovered) / max(1, len(uncovered)), 4),
    }
