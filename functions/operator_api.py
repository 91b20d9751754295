"""The operator API: one function, its routes below it, for the console of the support team.

Public at the IAM level because browsers call it; everything but sign-in needs an operator
token (`Authorization: Bearer ...`), never a customer's session token.
"""

from __future__ import annotations

import uuid

from shared.console_schemas import (
    ActionRequest,
    AgentMessageCreate,
    ConversationRef,
    ConversationsQuery,
    MetricsQuery,
    OperatorCreate,
    SignIn,
)
from shared.http import Call, Reply, endpoint, validate
from shared.routing import Route, dispatch
from shared.services import inbox, metrics, operators
from shared.settings import Settings


def _console_origins(settings: Settings) -> list[str]:
    return settings.console_origins


def sign_in(call: Call) -> Reply:
    return Reply(200, operators.sign_in(call.body(SignIn)))


def sign_out(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    operators.sign_out(call.bearer_token())
    return Reply(204)


def me(call: Call) -> Reply:
    return Reply(200, operators.public(operators.authenticate(call.optional_bearer_token())))


def conversations(call: Call) -> Reply:
    operator = operators.authenticate(call.optional_bearer_token())
    return Reply(200, inbox.list_conversations(call.query(ConversationsQuery), operator=operator))


def conversation(call: Call, conversation_id: str) -> Reply:
    operator = operators.authenticate(call.optional_bearer_token())
    return Reply(200, inbox.conversation(_id(conversation_id), operator=operator))


def reply(call: Call, conversation_id: str) -> Reply:
    operator = operators.authenticate(call.optional_bearer_token())
    return Reply(201, inbox.reply(_id(conversation_id), call.body(AgentMessageCreate), operator=operator))


def act(call: Call, conversation_id: str) -> Reply:
    operator = operators.authenticate(call.optional_bearer_token())
    return Reply(200, inbox.act(_id(conversation_id), call.body(ActionRequest), operator=operator))


def metrics_report(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, metrics.report(call.query(MetricsQuery)))


def list_operators(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, operators.list_operators())


def add_operator(call: Call) -> Reply:
    operators.require_admin(operators.authenticate(call.optional_bearer_token()))
    return Reply(201, operators.add_operator(call.body(OperatorCreate)))


def _id(raw: str) -> uuid.UUID:
    return validate(ConversationRef, {"conversation_id": raw}).conversation_id


ROUTES = (
    Route("POST", "/sign-in", sign_in),
    Route("POST", "/sign-out", sign_out),
    Route("GET", "/me", me),
    Route("GET", "/conversations", conversations),
    Route("GET", "/conversations/{conversation_id}", conversation),
    Route("POST", "/conversations/{conversation_id}/messages", reply),
    Route("POST", "/conversations/{conversation_id}/actions", act),
    Route("GET", "/metrics", metrics_report),
    Route("GET", "/operators", list_operators),
    Route("POST", "/operators", add_operator),
)


@endpoint("GET", "POST", origins=_console_origins)
def operator_api(call: Call) -> Reply:
    """Every route of the operator API."""
    return dispatch(call, ROUTES, function_name="operator_api")
