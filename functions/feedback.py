"""Entry point for rating a reply."""

from __future__ import annotations

from shared.schemas.public import FeedbackCreate
from shared.services import feedback
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def post_feedback(call: Call) -> Reply:
    """Thumbs up or down on one of the bot's replies, authorised by the session token."""
    feedback.post_feedback(call.body(FeedbackCreate), token=call.bearer_token())
    return Reply(204)
