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
    """What the bot did with a case: the entries it would answer with, its decision, what the reply asserts."""

    case: Case
    answered: tuple[str, ...]
    decision: str = "answered"
    asserted: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        if not self.case.expected:
            return self.decision != "answered"
        return self.decision == "answered" and set(self.answered[: len(self.case.expected)]) == set(self.case.expected)

    @property
    def confidently_wrong(self) -> bool:
        """The reply asserts an entry that does not answer the message."""
        return self.decision == "answered" and any(entry not in self.case.expected for entry in self.asserted)

    @property
    def in_order(self) -> bool:
        """The reply answers the message's questions in the order they were asked."""
        return self.asserted[: len(self.case.expected)] == self.case.expected


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
        history = _replayed(case, conn)
        found = lookup.find_answers(case.query, history, locale=case.lang, conn=conn)
        answered = tuple(entry.id for entry in found.entries)
        asserted = answered[: max(1, len(found.parts))]
        outcomes.append(Outcome(case, answered, found.outcome, asserted))
    return outcomes


def _replayed(case: Case, conn: sa.Connection | None) -> list[Turn]:
    """The case's earlier customer messages, each with the reply the bot would have given (its entries)."""
    from shared.knowledge import lookup

    history: list[Turn] = []
    for text in case.history:
        found = lookup.find_answers(text, history, locale=case.lang, conn=conn)
        # What the reply was about: the entries it asserted, else the first it suggested.
        about = [e.id for e in found.entries[: max(1, len(found.parts))]] or [e.id for e in found.offered[:1]]
        history.append(Turn(sender="user", content=text))
        history.append(Turn(sender="bot", content="", source_ids=tuple(about), answered=found.outcome == "answered"))
    return history


def accuracy_by(outcomes: list[Outcome], key: str) -> dict[str, float]:
    """The share answered right per value of `key` ("lang" or "kind"), and "all"."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        groups[getattr(outcome.case, key)].append(outcome.right)
        groups["all"].append(outcome.right)
    return {name: round(sum(rights) / len(rights), 4) for name, rights in sorted(groups.items())}


def scope_figures(outcomes: list[Outcome]) -> dict[str, float]:
    """The three outcomes: covered messages answered right or only suggested, not-covered ones refused or
    suggested, and replies that assert an entry that does not answer (a share of all messages)."""
    covered = [o for o in outcomes if o.case.expected]
    uncovered = [o for o in outcomes if not o.case.expected]
    several = [o for o in covered if len(o.case.expected) > 1]
    return {
        "in_scope_answered_right": _share(sum(o.right for o in covered), len(covered)),
        "in_scope_suggested": _share(sum(o.decision == "suggested" for o in covered), len(covered)),
        "out_of_scope_refused": _share(sum(o.right for o in uncovered), len(uncovered)),
        "out_of_scope_suggested": _share(sum(o.decision == "suggested" for o in uncovered), len(uncovered)),
        "confidently_wrong": _share(sum(o.confidently_wrong for o in outcomes), len(outcomes)),
        "several_in_order": _share(sum(o.in_order for o in several), len(several)),
    }


def _share(count: int, total: int) -> float:
    return round(count / max(1, total), 4)
