"""Entry points for a customer's own data: download all of it, or erase all of it."""

from __future__ import annotations

from shared.schemas.privacy import DataRequest
from shared.services import privacy
from shared.web.http import Call, Reply, endpoint


@endpoint("GET", "POST")
def export_my_data(call: Call) -> Reply:
    """Everything held about the session's conversation, or (identity token, no id) about the customer, as JSON."""
    return Reply(200, privacy.export_mine(call.params(DataRequest), token=call.bearer_token()))


@endpoint("POST", "DELETE")
def erase_my_data(call: Call) -> Reply:
    """Erase every copy of the customer's words: the session's conversation, or (identity token) all of theirs."""
    privacy.erase_mine(call.params(DataRequest), token=call.bearer_token())
    return Reply(204)
