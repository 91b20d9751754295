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
from shared.knowledge_schemas import (
    ApproveRequest,
    CheckRequest,
    EntryDraft,
    EntryRef,
    GapsQuery,
    MessageIds,
    RetireRequest,
    TryRequest,
)
from shared.routing import Route, dispatch
from shared.services import gaps, inbox, knowledge, metrics, operators, review
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


def kb_entries(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, knowledge.list_entries())


def kb_entry(call: Call, entry_id: str) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, knowledge.entry_detail(_entry_id(entry_id)))


def kb_create(call: Call) -> Reply:
    admin = _admin(call)
    return Reply(201, knowledge.save_entry(call.body(EntryDraft), author=admin.email))


def kb_save(call: Call, entry_id: str) -> Reply:
    admin = _admin(call)
    return Reply(200, knowledge.save_entry(call.body(EntryDraft), author=admin.email, entry_id=_entry_id(entry_id)))


def kb_retire(call: Call, entry_id: str) -> Reply:
    admin = _admin(call)
    request = call.body(RetireRequest)
    return Reply(
        200, knowledge.retire_entry(_entry_id(entry_id), base_version=request.base_version, author=admin.email)
    )


def kb_try(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, knowledge.try_question(call.body(TryRequest)))


def kb_gaps(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, gaps.list_gaps(call.query(GapsQuery)))


def kb_gap_draft(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, gaps.draft(call.body(MessageIds)))


def kb_gap_approve(call: Call) -> Reply:
    admin = _admin(call)
    return Reply(200, gaps.approve(call.body(ApproveRequest), author=admin.email))


def kb_gap_dismiss(call: Call) -> Reply:
    admin = _admin(call)
    gaps.dismiss(call.body(MessageIds), author=admin.email)
    return Reply(204)


def kb_cases(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, review.list_cases())


def kb_check(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, review.check(call.body(CheckRequest)))


def kb_review(call: Call) -> Reply:
    operators.authenticate(call.optional_bearer_token())
    return Reply(200, review.replies_to_review())


def kb_mark_reviewed(call: Call) -> Reply:
    operator = operators.authenticate(call.optional_bearer_token())
    review.mark_reviewed(call.body(MessageIds), reviewer=operator.email)
    return Reply(204)


def _admin(call: Call) -> operators.OperatorRow:
    operator = operators.authenticate(call.optional_bearer_token())
    operators.require_admin(operator)
    return operator


def _entry_id(raw: str) -> str:
    return validate(EntryRef, {"entry_id": raw}).entry_id


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
    Route("GET", "/kb/entries", kb_entries),
    Route("POST", "/kb/entries", kb_create),
    Route("GET", "/kb/entries/{entry_id}", kb_entry),
    Route("PUT", "/kb/entries/{entry_id}", kb_save),
    Route("POST", "/kb/entries/{entry_id}/retire", kb_retire),
    Route("POST", "/kb/try", kb_try),
    Route("GET", "/kb/gaps", kb_gaps),
    Route("POST", "/kb/gaps/draft", kb_gap_draft),
    Route("POST", "/kb/gaps/approve", kb_gap_approve),
    Route("POST", "/kb/gaps/dismiss", kb_gap_dismiss),
    Route("GET", "/kb/cases", kb_cases),
    Route("POST", "/kb/check", kb_check),
    Route("GET", "/kb/review", kb_review),
    Route("POST", "/kb/review", kb_mark_reviewed),
)


@endpoint("GET", "POST", "PUT", origins=_console_origins)
def operator_api(call: Call) -> Reply:
    """Every route of the operator API."""
    return dispatch(call, ROUTES, function_name="operator_api")
