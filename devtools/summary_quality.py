"""The agents' summary without a model, measured with ROUGE against written summaries.

A set is one conversation a line: `{"id", "messages": [{"sender": "user|bot|agent", "content"}],
"state", "summary"}`, `summary` being a person's. The baseline is the first customer message and
the first reply after it, the summary any conversation gets by position alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devtools import rouge
from shared.answering.providers.offline import OfflineProvider
from shared.answering.types import SummaryRequest
from shared.text.turns import Turn

SUMMARY_SET = Path(__file__).resolve().parent.parent / "datasets" / "summaries.jsonl"


def load(path: Path = SUMMARY_SET) -> list[dict[str, Any]]:
    """The conversations of a summary set."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def offline_summary(conversation: dict[str, Any]) -> str:
    """What the offline provider writes for the agents about `conversation`."""
    turns = [Turn(sender=m["sender"], content=m["content"]) for m in conversation["messages"]]
    request = SummaryRequest(turns, conversation["state"], conversation.get("handover_reason"))
    return OfflineProvider().summarize(request).text


def first_messages(conversation: dict[str, Any]) -> str:
    """The baseline: the first customer message and the first reply after it."""
    messages = conversation["messages"]
    first = next(i for i, m in enumerate(messages) if m["sender"] == "user")
    reply = next((m["content"] for m in messages[first:] if m["sender"] != "user"), "")
    return f"{messages[first]['content']}\n{reply}"


def measure(path: Path = SUMMARY_SET) -> dict[str, rouge.Rouge]:
    """Mean ROUGE F1 of the offline summary and of the baseline on the set at `path`."""
    conversations = load(path)
    return {
        name: rouge.mean([rouge.score(summarize(c), c["summary"]) for c in conversations])
        for name, summarize in (("offline summary", offline_summary), ("first messages", first_messages))
    }
