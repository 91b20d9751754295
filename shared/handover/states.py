"""A conversation's states and every allowed change between them, in one table.

    bot       the bot answers
    waiting   handed over, queued for a person (the bot still answers what it can)
    assigned  an agent owns it; the bot stays silent
    resolved  done; the customer writing again reopens it to `bot`, not to the queue

The widget's `status` is derived: `escalated` while a person is involved (waiting or assigned),
`open` otherwise. A pair missing from `TRANSITIONS` is refused.
"""

from __future__ import annotations

from typing import Literal

from shared.core import errors

State = Literal["bot", "waiting", "assigned", "resolved"]
Event = Literal["handover", "take_over", "assign", "hand_back", "resolve", "reopen", "customer_wrote"]
STATES: tuple[State, ...] = ("bot", "waiting", "assigned", "resolved")
EVENTS: tuple[Event, ...] = ("handover", "take_over", "assign", "hand_back", "resolve", "reopen", "customer_wrote")

TRANSITIONS: dict[tuple[State, Event], State] = {
    ("bot", "handover"): "waiting",
    ("bot", "take_over"): "assigned",
    ("bot", "assign"): "assigned",
    ("bot", "resolve"): "resolved",
    ("bot", "customer_wrote"): "bot",
    ("waiting", "handover"): "waiting",
    ("waiting", "take_over"): "assigned",
    ("waiting", "assign"): "assigned",
    ("waiting", "hand_back"): "bot",
    ("waiting", "resolve"): "resolved",
    ("waiting", "customer_wrote"): "waiting",
    ("assigned", "handover"): "assigned",
    ("assigned", "take_over"): "assigned",
    ("assigned", "assign"): "assigned",
    ("assigned", "hand_back"): "bot",
    ("assigned", "resolve"): "resolved",
    ("assigned", "customer_wrote"): "assigned",
    ("resolved", "handover"): "waiting",
    ("resolved", "take_over"): "assigned",
    ("resolved", "assign"): "assigned",
    ("resolved", "reopen"): "waiting",
    ("resolved", "customer_wrote"): "bot",
}


def next_state(state: State, event: Event) -> State:
    """The state `event` leads to from `state`; Conflict when the table does not allow it."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise errors.Conflict(f"A conversation that is {state} cannot be {_PAST[event]}.") from None


AgentEvent = Literal["take_over", "hand_back", "resolve", "reopen", "assign"]  # what an operator may ask for
AGENT_EVENTS: tuple[AgentEvent, ...] = ("take_over", "hand_back", "resolve", "reopen", "assign")


def agent_actions(state: State, *, owned_by_me: bool) -> list[AgentEvent]:
    """What an operator may do to a conversation in `state` (taking over their own one is no action)."""
    return [
        event for event in AGENT_EVENTS if (state, event) in TRANSITIONS and not (event == "take_over" and owned_by_me)
    ]


def widget_status(state: State) -> Literal["open", "escalated"]:
    """The status the widget has always read: `escalated` while a person is involved."""
    return "escalated" if state in ("waiting", "assigned") else "open"


_PAST: dict[Event, str] = {
    "handover": "handed over",
    "take_over": "taken over",
    "assign": "assigned",
    "hand_back": "handed back to the bot",
    "resolve": "resolved",
    "reopen": "reopened",
    "customer_wrote": "written to",
}
