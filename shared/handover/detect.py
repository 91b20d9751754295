"""When the bot hands a conversation over: what the customer wrote, or two unanswered questions in a row.

A mild trigger (impatience in a message that asks something) hands over only when the help
center has no answer; with one, the bot answers and offers a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.handover.triggers import detect
from shared.text.turns import Turn

UNANSWERED_REASON = "two questions in a row the help center could not answer"


@dataclass(frozen=True)
class Handover:
    """Why a conversation goes to a person: a readable reason, and a kind for metrics and the reply's wording.

    `mild`: only if the help center cannot answer; otherwise answer, and offer a person.
    """

    reason: str
    kind: str
    mild: bool = False


def handover_trigger(text: str) -> Handover | None:
    """A handover the customer's message itself calls for (safety, legal, a request for a person, frustration)."""
    trigger = detect(text)
    return Handover(trigger.reason, trigger.kind, trigger.strength == "mild") if trigger else None


def unanswered_again(history: list[Turn]) -> Handover | None:
    """A handover when the bot's previous reply could not answer either (this one found nothing)."""
    previous = next((turn for turn in reversed(history) if turn.sender == "bot"), None)
    if previous is None or previous.answered:
        return None
    return Handover(UNANSWERED_REASON, "unanswered")
