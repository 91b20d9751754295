"""Entry point for a customer's message."""

from __future__ import annotations

from shared.http import Call, Reply, endpoint
from shared.schemas import MessageCreate
from shared.services import chat


@endpoint("POST")
def post_message(call: Call) -> Reply:
    """Store the customer's message and return the bot's stored reply."""
    message = call.body(MessageCreate)
    return Reply(200, chat.post_message(message, token=call.bearer_token()))
