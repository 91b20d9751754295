"""When the bot hands a conversation over: what the customer wrote, or two unanswered questions in a row."""

from __future__ import annotations

from dataclasses import dataclass

from shared.handover.triggers import detect
from shared.text.turns import Turn

UNANSWERED_REASON = "two questions in a row the help center could not answer"


@dataclass(frozen=True)
class Handover:
    """Why a conversation goes to a person: a readable reason, and a kind for metrics and the reply's wording."""

    reason: str
    kind: str


def handover_trigger(text: str) -> Handover | None:
    """A handover the customer's message itself calls for (a request for a person, frustration), else None."""
    trigger = detect(text)
    return Handover(trigger.reason, trigger.kind) if trigger else None


def unanswered_again(history: list[Turn]) -> Handover | None:
    """A handover when the bot's previous reply could not answer either (this one found nothing)."""
    previous = next((turn for turn in reversed(history) if turn.sender == "bot"), None)
    if previous is None or previous.answered:
        return None
    return Handover(UNANSWERED_REASON, "unanswered")
