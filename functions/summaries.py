"""Entry point for summarising a session."""

from __future__ import annotations

from shared.schemas.public import SessionRef
from shared.services import summaries
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def summarize_session(call: Call) -> Reply:
    """The customer's own summary of their conversation (never the one written for agents)."""
    ref = call.body(SessionRef)
    return Reply(200, summaries.summarize_session(ref, token=call.bearer_token()))
