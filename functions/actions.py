"""Entry point for a customer's decision on a write the bot proposed (cancel an order, say)."""

from __future__ import annotations

from shared.schemas.public import ActionDecision
from shared.services import actions
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def confirm_action(call: Call) -> Reply:
    """Confirm (runs it once) or cancel a proposed action, authorised by the session token."""
    decided = actions.decide(call.body(ActionDecision), token=call.bearer_token())
    return Reply(200, decided)
