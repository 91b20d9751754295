"""What an action leaves on the bot's reply: its card, a write to confirm, a sign-in, or a question.

`ActionReply.details()` is what the stored message keeps (the widget, the console, the metrics
and the next message read it): `card`, `action_request`, `sign_in_required`, and `asks` (the
parameter the bot asked for, with the arguments known so far, for the customer's next message).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["result", "not_found", "failed", "refused", "sign_in", "ask", "confirm", "cancelled", "done"]
# What each kind counts as in the outcome metrics: an answer, a miss, or a step on the way (neither).
OUTCOMES: dict[str, str | None] = {
    "result": "answered",
    "done": "answered",
    "cancelled": "answered",
    "not_found": "unknown",
    "failed": "unknown",
    "refused": "unknown",
}


@dataclass(frozen=True)
class ActionReply:
    name: str
    kind: Kind
    card: dict[str, Any] | None = None
    action_request: dict[str, Any] | None = None
    asks: dict[str, Any] | None = None
    offers_person: bool = False

    @property
    def outcome(self) -> str | None:
        return OUTCOMES.get(self.kind)

    def details(self) -> dict[str, Any]:
        """The reply's record of the action, for the stored message."""
        details: dict[str, Any] = {"action": {"name": self.name, "kind": self.kind}}
        if self.card is not None:
            details["card"] = self.card
        if self.action_request is not None:
            details["action_request"] = self.action_request
        if self.kind == "sign_in":
            details["sign_in_required"] = True
        if self.asks is not None:
            details["asks"] = self.asks
        return details
