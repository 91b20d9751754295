"""Entry points for a customer's own data: download all of it, or erase all of it."""

from __future__ import annotations

from shared.schemas.public import SessionRef
from shared.services import privacy
from shared.web.http import Call, Reply, endpoint


@endpoint("GET", "POST")
def export_my_data(call: Call) -> Reply:
    """Everything the product holds about the session's conversation, as JSON."""
    ref = call.params(SessionRef)
    return Reply(200, privacy.export_own(ref, token=call.bearer_token()))


@endpoint("POST", "DELETE")
def erase_my_data(call: Call) -> Reply:
    """Erase the session's conversation and every copy of the customer's words in it."""
    ref = call.params(SessionRef)
    privacy.erase_own(ref, token=call.bearer_token())
    return Reply(204)
