"""What the customer is told at a handover: the truth about when a person will answer."""

from __future__ import annotations

import math
from datetime import datetime

from shared.handoff.hours import describe_next_opening, is_open
from shared.settings import Settings


def handover_text(settings: Settings, *, now: datetime, already: bool, typical_minutes: float | None) -> str:
    """Open now: who answers and how soon. Closed: when the team is back, and the offer to leave an email."""
    if is_open(settings.support_hours, now):
        minutes = max(1, math.ceil(typical_minutes or settings.first_response_minutes))
        within = f"within {minutes} minute{'s' if minutes != 1 else ''}"
        if already:
            return f"You're already in line for a member of our team; they usually reply {within}."
        return (
            f"I've asked a member of the {settings.company_name} team to take over. A teammate will reply right "
            f"here, usually {within}."
        )
    back = describe_next_opening(settings.support_hours, now)
    when = f"We're closed right now and back {back}." if back else "We're closed right now."
    lead = (
        "You're already in line for a member of our team."
        if already
        else (f"I've passed your conversation to the {settings.company_name} team.")
    )
    return (
        f"{lead} {when} Leave your email address and we'll send the answer there, or come back here: "
        "your conversation is saved."
    )


def support_open(settings: Settings, now: datetime) -> bool:
    """Whether someone of the team is at work now."""
    return is_open(settings.support_hours, now)
