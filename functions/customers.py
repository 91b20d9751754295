"""Entry points for known customers: the shop's signed-in customer, named by an identity token it signed."""

from __future__ import annotations

from shared.schemas.customers import IdentifyCreate
from shared.schemas.public import SessionRef
from shared.services import customers
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def identify(call: Call) -> Reply:
    """Tie the current session (its token in Authorization) to the customer an identity token names."""
    request = call.body(IdentifyCreate)
    return Reply(200, customers.identify(request, token=call.bearer_token()))


@endpoint("GET")
def get_conversations(call: Call) -> Reply:
    """The customer's conversations (identity token in Authorization), newest first."""
    return Reply(200, customers.list_conversations(identity_token=call.bearer_token()))


@endpoint("POST")
def resume_session(call: Call) -> Reply:
    """A fresh session token for one of the customer's own conversations (identity token in Authorization)."""
    request = call.body(SessionRef)
    return Reply(200, customers.resume_session(request, identity_token=call.bearer_token()))
