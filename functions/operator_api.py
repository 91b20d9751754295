"""The operator API: one function, its routes below it, for the console of the support team.

Public at the IAM level because browsers call it; every route but the public ones (the console's
files, sign-in) needs an operator token (`Authorization: Bearer ...`), never a customer's session
token. The route table says who may call each route, which per-operator rate limit it counts
against and whether an `Idempotency-Key` replays it; `_run` applies all three, for every route.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict

from functions import console_site
from shared.core.settings import Settings
from shared.db.operators import OperatorRow as Operator
from shared.schemas.console import (
    ActionRequest,
    AgentMessageCreate,
    ConversationRef,
    ConversationsQuery,
    LookupRun,
    MetricsQuery,
    OperatorCreate,
    OperatorRef,
    RoleChange,
    SignIn,
    SummaryRefresh,
)
from shared.schemas.knowledge import (
    ApproveRequest,
    CheckRequest,
    EntryDraft,
    EntryRef,
    GapsQuery,
    MessageIds,
    RetireRequest,
    TryRequest,
)
from shared.schemas.sources import SourceCreate, SourceRef
from shared.services import (
    gaps,
    idempotency,
    inbox,
    knowledge,
    lookups,
    metrics,
    operator_limits,
    operators,
    privacy,
    review,
    sources,
    summaries,
)
from shared.web.http import Call, Reply, endpoint, validate
from shared.web.routing import Route, match


class _AnyJson(BaseModel):
    """Any JSON object, for fingerprinting a request before its handler validates it."""

    model_config = ConfigDict(extra="allow")


def _console_origins(settings: Settings) -> list[str]:
    return settings.console_origins


def sign_in(call: Call) -> Reply:
    """Exchange a Google ID token (or, in a local run, an email) for an operator token."""
    return Reply(200, operators.sign_in(call.body(SignIn), from_loopback=call.from_loopback()))


def sign_in_options(call: Call) -> Reply:
    """How one may sign in here (Google, or email in a local run from its own machine), for the sign-in page."""
    return Reply(200, operators.sign_in_options(from_loopback=call.from_loopback()))


def sign_out(call: Call, operator: Operator) -> Reply:
    """End this token's session."""
    operators.sign_out(call.bearer_token())
    return Reply(204)


def me(call: Call, operator: Operator) -> Reply:
    """Who the token belongs to."""
    return Reply(200, operators.public(operator))


def conversations(call: Call, operator: Operator) -> Reply:
    """A page of one inbox view, with the views' counts and the cursor of the next page."""
    return Reply(200, inbox.list_conversations(call.query(ConversationsQuery), operator=operator))


def conversation(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """The whole conversation; reading it marks it read."""
    return Reply(200, inbox.conversation(_id(conversation_id), operator=operator))


def reply(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """An agent's reply (taking over an unowned conversation), or an internal note."""
    return Reply(201, inbox.reply(_id(conversation_id), call.body(AgentMessageCreate), operator=operator))


def act(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """Take over, hand back, resolve, reopen or assign the conversation."""
    return Reply(200, inbox.act(_id(conversation_id), call.body(ActionRequest), operator=operator))


def refresh_summary(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """Rewrite the summary for agents from the conversation as it is now."""
    conversation = _id(conversation_id)
    call.body(SummaryRefresh, optional=True)
    return Reply(200, summaries.refresh_for_agents(conversation, operator=operator))


def export_conversation(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """Everything the product holds about the conversation's customer, as they would download it (audited)."""
    return Reply(200, privacy.export_conversation(_id(conversation_id), operator_id=operator.id))


def erase_conversation(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """Erase the conversation and every copy of its customer's words (audited)."""
    privacy.erase_conversation(_id(conversation_id), operator_id=operator.id)
    return Reply(204)


def lookup(call: Call, operator: Operator, conversation_id: str) -> Reply:
    """Run a read action on the shop's API for the conversation's verified customer (kept as a note)."""
    return Reply(200, lookups.run(_id(conversation_id), call.body(LookupRun), operator=operator))


def export_customer(call: Call, operator: Operator, customer_id: str) -> Reply:
    """Everything held about a signed-in customer (their id at the shop), all conversations (audited)."""
    return Reply(200, privacy.export_customer(customer_id, operator_id=operator.id))


def erase_customer(call: Call, operator: Operator, customer_id: str) -> Reply:
    """Erase all of a signed-in customer's conversations and every copy of their words (audited)."""
    privacy.erase_customer(customer_id, operator_id=operator.id)
    return Reply(204)


def metrics_report(call: Call, operator: Operator) -> Reply:
    """The team's figures for a range (default: the last 7 days)."""
    return Reply(200, metrics.report(call.query(MetricsQuery)))


def list_operators(call: Call, operator: Operator) -> Reply:
    """Every operator of the team."""
    return Reply(200, operators.list_operators())


def add_operator(call: Call, operator: Operator) -> Reply:
    """Add an operator, or reactivate one."""
    return Reply(201, operators.add_operator(call.body(OperatorCreate)))


def change_role(call: Call, operator: Operator, operator_id: str) -> Reply:
    """Make an operator an agent or an admin (never yourself, nor the last admin an agent)."""
    role = call.body(RoleChange).role
    return Reply(200, operators.change_role(_operator_id(operator_id), role, by=operator))


def remove_operator(call: Call, operator: Operator, operator_id: str) -> Reply:
    """Remove an operator from the team and end their sessions (never yourself, nor the last admin)."""
    operators.remove(_operator_id(operator_id), by=operator)
    return Reply(204)


def kb_entries(call: Call, operator: Operator) -> Reply:
    """Every live entry of the knowledge base."""
    return Reply(200, knowledge.list_entries())


def kb_entry(call: Call, operator: Operator, entry_id: str) -> Reply:
    """One entry with its versions, newest first."""
    return Reply(200, knowledge.entry_detail(_entry_id(entry_id)))


def kb_create(call: Call, operator: Operator) -> Reply:
    """Create an entry."""
    return Reply(201, knowledge.save_entry(call.body(EntryDraft), author=operator.email))


def kb_save(call: Call, operator: Operator, entry_id: str) -> Reply:
    """Save a new version of an entry edited from `base_version`."""
    entry = _entry_id(entry_id)
    return Reply(200, knowledge.save_entry(call.body(EntryDraft), author=operator.email, entry_id=entry))


def kb_retire(call: Call, operator: Operator, entry_id: str) -> Reply:
    """Retire an entry: the bot stops answering with it."""
    request = call.body(RetireRequest)
    retired = knowledge.retire_entry(_entry_id(entry_id), base_version=request.base_version, author=operator.email)
    return Reply(200, retired)


def kb_try(call: Call, operator: Operator) -> Reply:
    """What the bot would answer to a question, with every candidate's scores."""
    return Reply(200, knowledge.try_question(call.body(TryRequest)))


def kb_gaps(call: Call, operator: Operator) -> Reply:
    """Questions the bot could not answer, grouped."""
    return Reply(200, gaps.list_gaps(call.query(GapsQuery)))


def kb_gap_draft(call: Call, operator: Operator) -> Reply:
    """A draft entry from a group of unanswered questions."""
    return Reply(200, gaps.draft(call.body(MessageIds)))


def kb_gap_approve(call: Call, operator: Operator) -> Reply:
    """Add the questions to an entry as examples (or create one), and keep them as regression cases."""
    return Reply(200, gaps.approve(call.body(ApproveRequest), author=operator.email))


def kb_gap_dismiss(call: Call, operator: Operator) -> Reply:
    """Drop questions from the gaps."""
    gaps.dismiss(call.body(MessageIds), author=operator.email)
    return Reply(204)


def kb_cases(call: Call, operator: Operator) -> Reply:
    """The regression cases every save is checked against."""
    return Reply(200, review.list_cases())


def kb_check(call: Call, operator: Operator) -> Reply:
    """The regression cases a draft would break."""
    return Reply(200, review.check(call.body(CheckRequest)))


def kb_review(call: Call, operator: Operator) -> Reply:
    """Bot replies that used an older version of an entry."""
    return Reply(200, review.replies_to_review())


def kb_mark_reviewed(call: Call, operator: Operator) -> Reply:
    """Mark replies as reviewed."""
    review.mark_reviewed(call.body(MessageIds), reviewer=operator.email)
    return Reply(204)


def kb_sources(call: Call, operator: Operator) -> Reply:
    """The help center's sources, each with its documents counted by status."""
    return Reply(200, sources.list_sources())


def kb_add_source(call: Call, operator: Operator) -> Reply:
    """Add a source and sync it, up to the request's deadline (audited)."""
    return Reply(201, sources.add_source(call.body(SourceCreate), actor=operator.email))


def kb_sync_source(call: Call, operator: Operator, source_id: str) -> Reply:
    """Sync a source again, up to the request's deadline (audited)."""
    return Reply(200, sources.resync_source(_source_id(source_id), actor=operator.email))


def kb_remove_source(call: Call, operator: Operator, source_id: str) -> Reply:
    """Remove a source with its documents and passages (audited)."""
    sources.remove_source(_source_id(source_id), actor=operator.email)
    return Reply(204)


def kb_source_documents(call: Call, operator: Operator, source_id: str) -> Reply:
    """A source's documents: status and reason, passages, when last fetched."""
    return Reply(200, sources.source_documents(_source_id(source_id)))


def _source_id(raw: str) -> int:
    return validate(SourceRef, {"source_id": raw}).source_id


def _entry_id(raw: str) -> str:
    return validate(EntryRef, {"entry_id": raw}).entry_id


def _id(raw: str) -> uuid.UUID:
    return validate(ConversationRef, {"conversation_id": raw}).conversation_id


def _operator_id(raw: str) -> uuid.UUID:
    return validate(OperatorRef, {"operator_id": raw}).operator_id


def _run(call: Call, route: Route, parameters: dict[str, str]) -> Reply:
    """An operator's request, as its route says: who may, its rate limit, replayed by Idempotency-Key."""
    operator = operators.authenticate(call.optional_bearer_token())
    if route.access == "admin":
        operators.require_admin(operator)

    def act() -> Reply:
        if route.cost is not None:
            operator_limits.admit(operator.id, route.cost)
        return route.handler(call, operator, **parameters)

    key = call.idempotency_key() if route.idempotent else None
    if key is None:
        return act()
    body: dict[str, Any] = call.body(_AnyJson, optional=True).model_dump()
    request = idempotency.fingerprint(route.method, route.pattern, parameters, body)
    conversation = _id(parameters["conversation_id"]) if "conversation_id" in parameters else None
    return idempotency.once(operator.id, key, request, act, conversation_id=conversation)


ROUTES = (
    *console_site.ROUTES,
    Route("GET", "/sign-in-options", sign_in_options, access="public"),
    Route("POST", "/sign-in", sign_in, access="public"),
    Route("POST", "/sign-out", sign_out),
    Route("GET", "/me", me),
    Route("GET", "/conversations", conversations),
    Route("GET", "/conversations/{conversation_id}", conversation),
    Route("DELETE", "/conversations/{conversation_id}", erase_conversation, access="admin", cost="write"),
    Route("GET", "/conversations/{conversation_id}/export", export_conversation, access="admin"),
    Route("DELETE", "/customers/{customer_id}", erase_customer, access="admin", cost="write"),
    Route("GET", "/customers/{customer_id}/export", export_customer, access="admin"),
    Route("POST", "/conversations/{conversation_id}/messages", reply, cost="write", idempotent=True),
    Route("POST", "/conversations/{conversation_id}/actions", act, cost="write", idempotent=True),
    Route("POST", "/conversations/{conversation_id}/lookups", lookup, cost="write"),
    Route("POST", "/conversations/{conversation_id}/summary", refresh_summary, cost="costly", idempotent=True),
    Route("GET", "/metrics", metrics_report),
    Route("GET", "/operators", list_operators),
    Route("POST", "/operators", add_operator, access="admin", cost="write"),
    Route("PUT", "/operators/{operator_id}", change_role, access="admin", cost="write"),
    Route("DELETE", "/operators/{operator_id}", remove_operator, access="admin", cost="write"),
    Route("GET", "/kb/entries", kb_entries),
    Route("POST", "/kb/entries", kb_create, access="admin", cost="write"),
    Route("GET", "/kb/entries/{entry_id}", kb_entry),
    Route("PUT", "/kb/entries/{entry_id}", kb_save, access="admin", cost="write"),
    Route("POST", "/kb/entries/{entry_id}/retire", kb_retire, access="admin", cost="write"),
    Route("POST", "/kb/try", kb_try, cost="costly"),
    Route("GET", "/kb/gaps", kb_gaps, cost="costly"),
    Route("POST", "/kb/gaps/draft", kb_gap_draft, cost="costly"),
    Route("POST", "/kb/gaps/approve", kb_gap_approve, access="admin", cost="write"),
    Route("POST", "/kb/gaps/dismiss", kb_gap_dismiss, access="admin", cost="write"),
    Route("GET", "/kb/cases", kb_cases),
    Route("POST", "/kb/check", kb_check, cost="costly"),
    Route("GET", "/kb/review", kb_review),
    Route("POST", "/kb/review", kb_mark_reviewed, cost="write"),
    Route("GET", "/kb/sources", kb_sources),
    Route("POST", "/kb/sources", kb_add_source, access="admin", cost="costly"),
    Route("POST", "/kb/sources/{source_id}/sync", kb_sync_source, access="admin", cost="costly"),
    Route("DELETE", "/kb/sources/{source_id}", kb_remove_source, access="admin", cost="write"),
    Route("GET", "/kb/sources/{source_id}/documents", kb_source_documents),
)


# PATCH too, so that a method no route takes is a 405 naming the methods of its path.
@endpoint("GET", "POST", "PUT", "DELETE", "PATCH", origins=_console_origins)
def operator_api(call: Call) -> Reply:
    """Every route of the operator API."""
    route, parameters = match(call, ROUTES, function_name="operator_api")
    if route.access == "public":
        return route.handler(call, **parameters)
    return _run(call, route, parameters)
