"""Customers rating the bot's replies."""

from __future__ import annotations

from shared.auth.tokens import hash_token
from shared.core import errors
from shared.db import conversations
from shared.db.engine import connection
from shared.schemas.public import FeedbackCreate
from shared.services.sessions import UNAUTHORIZED


def post_feedback(request: FeedbackCreate, *, token: str) -> None:
    """Store a thumbs up or down (and optional comment) on one bot reply; rating again replaces it."""
    with connection() as conn:
        outcome = conversations.save_feedback(
            conn,
            session_id=request.session_id,
            token_hash=hash_token(token),
            message_id=request.message_id,
            rating=request.rating,
            comment=request.comment,
        )
    if outcome is None:
        raise errors.Unauthorized(UNAUTHORIZED)
    if outcome == "not_bot":
        raise errors.ValidationFailed(
            "Only the assistant's replies in this conversation can be rated.",
            details=[{"field": "message_id", "message": "not a reply of the assistant in this session"}],
        )
