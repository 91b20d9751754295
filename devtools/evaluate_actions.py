"""How well the offline path chooses an action: `python -m devtools.evaluate_actions [--set FILE]`.

Reads a labelled set (`{"message": ..., "action": name or null}` per line; the repository's
datasets/action_intents.jsonl by default) against the repository's actions.json, and prints the
share of messages asking for an action that get it, those given another action, and the share of
messages asking for none that get one anyway (each of those replaces a knowledge-base answer).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

from shared.core.settings import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "datasets" / "action_intents.jsonl"


@dataclass(frozen=True)
class ActionChoice:
    asked: int
    chosen_right: int
    chosen_wrong: int
    not_asked: int
    chosen_anyway: int

    @property
    def recall(self) -> float:
        return self.chosen_right / self.asked

    @property
    def false_rate(self) -> float:
        return self.chosen_anyway / self.not_asked


def evaluate(labelled: Path = DEFAULT_SET) -> ActionChoice:
    """Choose an action for every message of the set and count how it went."""
    # The demo file's actions need a base URL and an allowed host to be usable at all.
    os.environ.setdefault("SHOP_API_BASE", "https://shop.example")
    os.environ.setdefault("ACTIONS_ALLOWED_HOSTS", "shop.example")
    from shared.actions import matching
    from shared.actions.catalogue import catalogue

    actions = catalogue()
    counts = {"asked": 0, "right": 0, "wrong": 0, "not_asked": 0, "anyway": 0}
    for line in labelled.read_text().splitlines():
        row = json.loads(line)
        match = matching.best_action(row["message"], actions)
        chosen = match.action.name if match else None
        if row["action"]:
            counts["asked"] += 1
            counts["right"] += chosen == row["action"]
            counts["wrong"] += chosen is not None and chosen != row["action"]
        else:
            counts["not_asked"] += 1
            counts["anyway"] += chosen is not None
    return ActionChoice(counts["asked"], counts["right"], counts["wrong"], counts["not_asked"], counts["anyway"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    found = evaluate(parser.parse_args().set)
    print(f"messages asking for an action: {found.asked}, given it {found.recall:.1%}, another {found.chosen_wrong}")
    print(f"messages asking for none: {found.not_asked}, given one anyway {found.false_rate:.1%}")


if __name__ == "__main__":
    main()
