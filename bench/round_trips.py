"""Count database round trips of post_message: every flush of pg8000's socket is one."""

from __future__ import annotations

import pg8000.core

from shared.schemas import MessageCreate, SessionCreate
from shared.services import chat, sessions

QUESTIONS = ["How do I return an item?", "Do you ship abroad?", "what's the weather like?", "talk to a human"]


def round_trips_per_post(runs: int = 40) -> float:
    """Average socket flushes (request/response exchanges) per post_message, warm pool."""
    created = sessions.create_session(SessionCreate())
    post = lambda i: chat.post_message(  # noqa: E731
        MessageCreate(session_id=created.session_id, content=QUESTIONS[i % len(QUESTIONS)]),
        token=created.session_token,
    )
    post(0)  # warm the pool and caches
    original = pg8000.core._flush
    count = 0

    def counting_flush(sock: object) -> None:
        nonlocal count
        count += 1
        original(sock)

    pg8000.core._flush = counting_flush
    try:
        for i in range(runs):
            post(i)
    finally:
        pg8000.core._flush = original
    return count / runs
