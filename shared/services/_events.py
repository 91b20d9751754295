"""Server-sent events for streamed replies: `start`, `delta`* and `done` (or `error`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from shared.schemas.public import MessageExchange


def sse(event: str, data: dict[str, Any]) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def exchange_events(exchange: MessageExchange) -> Iterator[str]:
    """The events of an exchange already stored (a retried message, or one the bot stays silent on)."""
    done = exchange.model_dump(mode="json")
    yield sse("start", {"user_message": done["user_message"]})
    if exchange.reply is not None:
        yield sse("delta", {"text": exchange.reply.content})
    yield sse("done", {**done, "replaced": False})
