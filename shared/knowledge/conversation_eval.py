"""Measure what the bot would answer on labelled customer messages, through the same lookup it uses.

A labelled set is one JSON object per line: `{"query", "expected": [entry ids] ([] = not covered),
"lang", "kind", "history": [earlier customer messages]}`. A message is answered right when the
entries the bot would answer with start with the expected ones (both, in any order, for a message
asking two things), and a not-covered message is right when the bot answers with none.

A help-center document is expected as `doc:<its URL or file>`, in `expected` beside entry ids or
as `"expected_document": "<URL>"` (an earlier line's format still reads the same): a reply
citing any passage of that document matches it, and only a passage of that section when the
URL has an `#anchor`. What the bot answers with is named the same way (`doc:<URL>#<anchor>`). A
document named by a relative path (`doc:shipping-guide.md#canada`) is the file at that path in
whichever help center was ingested.

`"also_right": [names]` lists, for a message asking one thing, what else answers it as well when
it is there: a help-center section that says more than the expected entry (the shipping guide's
section on Canada for "customs fees to Canada?"), or that answers a message no entry covers
(refusing it stays right too). Without a help center only the entries can answer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from shared.knowledge.retrieval import ScoredEntry
from shared.text.turns import Turn

DOC = "doc:"


@dataclass(frozen=True)
class Case:
    query: str
    expected: tuple[str, ...]
    lang: str = "en"
    kind: str = "plain"
    history: tuple[str, ...] = ()
    also_right: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What the bot did with a case: the entries it would answer with, its decision, what the reply asserts."""

    case: Case
    answered: tuple[str, ...]
    decision: str = "answered"
    asserted: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        expected = self.case.expected
        if self.decision == "answered" and self.answered and len(expected) <= 1 and (expected or self.case.also_right):
            return self._accepted(self.answered[0])
        if not expected:
            return self.decision != "answered"
        first = self.answered[: len(expected)]
        return (
            self.decision == "answered"
            and all(any(matches(e, a) for a in first) for e in expected)
            and all(any(matches(e, a) for e in expected) for a in first)
        )

    @property
    def confidently_wrong(self) -> bool:
        """The reply asserts an entry that does not answer the message."""
        return self.decision == "answered" and any(not self._accepted(entry) for entry in self.asserted)

    def _accepted(self, answered: str) -> bool:
        return any(matches(e, answered) for e in (*self.case.expected, *self.case.also_right))

    @property
    def in_order(self) -> bool:
        """The reply answers the message's questions in the order they were asked."""
        first = self.asserted[: len(self.case.expected)]
        return len(first) == len(self.case.expected) and all(
            matches(e, a) for e, a in zip(self.case.expected, first, strict=True)
        )


def matches(expected: str, answered: str) -> bool:
    """Whether what the bot answered with (`answered_name`) is the `expected` entry or document (section)."""
    if expected == answered:
        return True
    if not (expected.startswith(DOC) and answered.startswith(DOC)):
        return False
    wanted, got = expected.removeprefix(DOC), answered.removeprefix(DOC)
    if "#" not in wanted:
        got = got.split("#", 1)[0]
    relative = not wanted.startswith("/") and "://" not in wanted
    return got == wanted or (relative and got.endswith("/" + wanted))


def answered_name(entry: ScoredEntry) -> str:
    """An entry's id, or `doc:<document>#<anchor>` for a passage of a help-center document."""
    if entry.kind != "passage" or not entry.document:
        return entry.id
    document = entry.document.split("#", 1)[0]
    return f"{DOC}{document}#{entry.anchor}" if entry.anchor else f"{DOC}{document}"


def expected_of(item: dict[str, object]) -> tuple[str, ...]:
    """A labelled line's expected entries and documents: `expected` (a list, an id, or nothing), then
    `expected_document` (a URL, or a list of them) as `doc:` names."""
    listed = _listed(item.get("expected"))
    for document in _listed(item.get("expected_document")):
        name = document if document.startswith(DOC) else f"{DOC}{document}"
        if name not in listed:
            listed.append(name)
    return tuple(listed)


def _listed(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def load_cases(path: Path) -> list[Case]:
    """The labelled messages of a set."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            cases.append(
                Case(
                    query=item["query"],
                    expected=expected_of(item),
                    lang=item.get("lang", "en"),
                    kind=item.get("kind", "plain"),
                    history=tuple(item.get("history", [])),
                    also_right=tuple(_listed(item.get("also_right"))),
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
        answered = tuple(answered_name(entry) for entry in found.entries)
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
