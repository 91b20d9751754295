"""Entry points for a chat session's lifecycle."""

from __future__ import annotations

from shared.schemas.public import ContactCreate, CsatCreate, MessagesQuery, SessionCreate, SessionRef
from shared.services import sessions
from shared.web.http import Call, Reply, endpoint


@endpoint("POST")
def create_session(call: Call) -> Reply:
    """Open a conversation; the body (locale, attributes) is optional."""
    request = call.body(SessionCreate, optional=True)
    return Reply(201, sessions.create_session(request, client_ip=call.client_ip()))


@endpoint("GET")
def get_messages(call: Call) -> Reply:
    """A session's status, summary and messages after `?after=<message id>`."""
    query = call.query(MessagesQuery)
    return Reply(200, sessions.get_messages(query, token=call.bearer_token()))


@endpoint("POST", "DELETE")
def delete_session(call: Call) -> Reply:
    """Erase a session and all its messages (the customer's right to erasure)."""
    ref = call.params(SessionRef)
    sessions.delete_session(ref, token=call.bearer_token())
    return Reply(204)


@endpoint("POST")
def post_contact(call: Call) -> Reply:
    """Leave an email address for the answer when the team is away."""
    sessions.leave_contact(call.body(ContactCreate), token=call.bearer_token())
    return Reply(204)


@endpoint("POST")
def post_csat(call: Call) -> Reply:
    """Rate a resolved conversation from 1 to 5, with an optional comment."""
    sessions.rate_conversation(call.body(CsatCreate), token=call.bearer_token())
    return Reply(204)
