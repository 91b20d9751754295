"""Entry point for a customer's message."""

from __future__ import annotations

from shared.schemas.public import MessageCreate
from shared.services import chat
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def post_message(call: Call) -> Reply:
    """Store the customer's message and return the bot's stored reply (streamed with Accept: text/event-stream)."""
    message, key, token = call.body(MessageCreate), call.idempotency_key(), call.bearer_token()
    if call.wants_stream():
        events = chat.post_message_events(message, token=token, idempotency_key=key)
        return Reply(200, stream=events, media_type="text/event-stream")
    return Reply(200, chat.post_message(message, token=token, idempotency_key=key))
