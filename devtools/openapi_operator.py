"""What each route of the operator API takes and answers, for devtools/openapi.py.

Who may call a route, its rate limit and its Idempotency-Key come from the route table itself
(functions/operator_api.py ROUTES), so they cannot drift; this table adds the bodies, queries,
answers and the errors particular to each route. `devtools.openapi` refuses to build when a route
is missing here or an entry here names no route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from shared.schemas.console import (
    ActionRequest,
    AgentMessageCreate,
    AgentSummary,
    ConversationDetail,
    ConversationList,
    ConversationRef,
    ConversationsQuery,
    LookupResult,
    LookupRun,
    MessageId,
    Metrics,
    MetricsQuery,
    OperatorCreate,
    OperatorList,
    OperatorPublic,
    OperatorRef,
    RoleChange,
    SignedIn,
    SignIn,
    SignInOptions,
    SummaryRefresh,
)
from shared.schemas.knowledge import (
    ApproveRequest,
    ApproveResult,
    CaseList,
    CheckRequest,
    CheckResult,
    EntryDetail,
    EntryDraft,
    EntryList,
    EntryRef,
    GapDraft,
    GapList,
    GapsQuery,
    MessageIds,
    RetireRequest,
    ReviewList,
    SaveResult,
    TryRequest,
    TryResult,
)
from shared.schemas.privacy import DataExport
from shared.schemas.sources import DocumentList, SourceCreate, SourceList, SourceRef, SourceSynced


@dataclass(frozen=True)
class OperatorCall:
    """One route of the operator API: what it takes and answers, besides what its Route says."""

    summary: str
    success: int
    response: type[BaseModel] | None = None  # None: no body (or, with `media_type`, a file)
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()  # besides those every call, its access, limit, key and parameters bring
    notes: dict[int, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # the media types of a file of the console's site, rather than JSON


# Path parameters, by name: the request model whose field validates it, or the schema of a file's name.
PATH_PARAMETERS: dict[str, type[BaseModel] | dict[str, str]] = {
    "conversation_id": ConversationRef,
    "entry_id": EntryRef,
    "operator_id": OperatorRef,
    "source_id": SourceRef,
    "customer_id": {"type": "string", "maxLength": 256, "description": "The customer's id at the shop (`sub`)"},
    "module": {"type": "string", "description": "A file of frontend/console/, such as `main.js` (the entry)"},
}

HTML, JS, CSS = "text/html", "text/javascript", "text/css"
STALE = "`base_version` is not the entry's live version: someone saved it meanwhile (reload, then save)."
IN_REQUEST = (
    " The sync runs in the request and starts no document after KNOWLEDGE_REQUEST_SYNC_SECONDS; `sync.left`"
    " counts those left to the next scheduled sync (the source is then `unfinished`)."
)

CALLS: dict[tuple[str, str], OperatorCall] = {
    ("GET", "/"): OperatorCall("The console's page", 200, files=(HTML,), errors=(308, 404)),
    ("GET", "/console.css"): OperatorCall("The console's style sheet", 200, files=(CSS,), errors=(404,)),
    ("GET", "/console/{module}"): OperatorCall("One of the console's modules", 200, files=(JS, CSS), errors=(404,)),
    ("GET", "/sign-in-options"): OperatorCall("How one may sign in here", 200, SignInOptions),
    ("POST", "/sign-in"): OperatorCall(
        "Exchange a Google ID token (or, locally, an email) for an operator token", 200, SignedIn,
        body=SignIn, errors=(401,),
        notes={401: "The Google ID token is not valid.", 403: "Also: not a member of the team, or email sign-in is "
               "not possible here (only in a local run, from its own machine)."},
    ),
    ("POST", "/sign-out"): OperatorCall("End this token's session", 204),
    ("GET", "/me"): OperatorCall("Who the token belongs to", 200, OperatorPublic),
    ("GET", "/conversations"): OperatorCall("One inbox view's page", 200, ConversationList, query=ConversationsQuery),
    ("GET", "/conversations/{conversation_id}"): OperatorCall(
        "One conversation, whole (marks it read)", 200, ConversationDetail, errors=(404,)
    ),
    ("DELETE", "/conversations/{conversation_id}"): OperatorCall(
        "Erase the conversation and every copy of its customer's words (audited)", 204, errors=(404,)
    ),
    ("GET", "/conversations/{conversation_id}/export"): OperatorCall(
        "Everything held about the conversation's customer, as JSON (audited)", 200, DataExport, errors=(404,)
    ),
    ("DELETE", "/customers/{customer_id}"): OperatorCall(
        "Erase all of a signed-in customer's conversations and every copy of their words (audited)", 204,
        errors=(404,), notes={404: "No conversation belongs to this customer."},
    ),
    ("GET", "/customers/{customer_id}/export"): OperatorCall(
        "Everything held about a signed-in customer, all their conversations, as JSON (audited)", 200, DataExport,
        errors=(404,), notes={404: "No conversation belongs to this customer."},
    ),
    ("POST", "/conversations/{conversation_id}/messages"): OperatorCall(
        "Reply to the customer, or write an internal note", 201, MessageId, body=AgentMessageCreate,
        errors=(404, 409), notes={409: "The conversation's state does not allow a reply."},
    ),
    ("POST", "/conversations/{conversation_id}/actions"): OperatorCall(
        "Take over, hand back, resolve, reopen or assign", 200, ConversationDetail, body=ActionRequest,
        errors=(404, 409), notes={409: "The conversation's state does not allow this action.",
                                  404: "Also: `operator_id` names no active operator."},
    ),
    ("POST", "/conversations/{conversation_id}/lookups"): OperatorCall(
        "Run a read action on the shop's API for the conversation's verified customer", 200, LookupResult,
        body=LookupRun, errors=(404, 409, 422),
        notes={409: "The customer is not signed in.", 422: "Also: no such read action, or its values do not fit."},
    ),
    ("POST", "/conversations/{conversation_id}/summary"): OperatorCall(
        "Rewrite the summary for agents", 200, AgentSummary, body=SummaryRefresh, body_required=False,
        errors=(404, 409), notes={409: "The customer has not written anything yet."},
    ),
    ("GET", "/metrics"): OperatorCall("The team's figures for a range", 200, Metrics, query=MetricsQuery),
    ("GET", "/operators"): OperatorCall("The team", 200, OperatorList),
    ("POST", "/operators"): OperatorCall("Add (or reactivate) an operator", 201, OperatorPublic, body=OperatorCreate),
    ("PUT", "/operators/{operator_id}"): OperatorCall(
        "Change an operator's role", 200, OperatorPublic, body=RoleChange, errors=(404, 409),
        notes={409: "Your own role, or the last admin's, cannot be changed.", 404: "No such active operator."},
    ),
    ("DELETE", "/operators/{operator_id}"): OperatorCall(
        "Remove an operator; their tokens stop working", 204, errors=(404, 409),
        notes={409: "You cannot remove yourself, nor the last admin.", 404: "No such active operator."},
    ),
    ("GET", "/kb/entries"): OperatorCall("The knowledge base's live entries", 200, EntryList),
    ("POST", "/kb/entries"): OperatorCall(
        "Create an entry", 201, SaveResult, body=EntryDraft, errors=(409,),
        notes={409: "An entry with this id already exists."},
    ),
    ("GET", "/kb/entries/{entry_id}"): OperatorCall("One entry and its versions", 200, EntryDetail, errors=(404,)),
    ("PUT", "/kb/entries/{entry_id}"): OperatorCall(
        "Save a new version of an entry", 200, SaveResult, body=EntryDraft, errors=(404, 409), notes={409: STALE},
    ),
    ("POST", "/kb/entries/{entry_id}/retire"): OperatorCall(
        "Retire an entry", 200, SaveResult, body=RetireRequest, errors=(404, 409), notes={409: STALE},
    ),
    ("POST", "/kb/try"): OperatorCall("What the bot would answer, with every score", 200, TryResult, body=TryRequest),
    ("GET", "/kb/gaps"): OperatorCall("Questions the bot could not answer, grouped", 200, GapList, query=GapsQuery),
    ("POST", "/kb/gaps/draft"): OperatorCall("A draft entry from a group of questions", 200, GapDraft, body=MessageIds),
    ("POST", "/kb/gaps/approve"): OperatorCall(
        "Add questions to an entry (or create one) and keep them as cases", 200, ApproveResult,
        body=ApproveRequest, errors=(404, 409), notes={404: "`entry_id` names no live entry."},
    ),
    ("POST", "/kb/gaps/dismiss"): OperatorCall("Drop questions from the gaps", 204, body=MessageIds),
    ("GET", "/kb/cases"): OperatorCall("The regression cases", 200, CaseList),
    ("POST", "/kb/check"): OperatorCall("The cases a draft would break", 200, CheckResult, body=CheckRequest),
    ("GET", "/kb/review"): OperatorCall("Bot replies that used an older version of an entry", 200, ReviewList),
    ("POST", "/kb/review"): OperatorCall("Mark replies as reviewed", 204, body=MessageIds),
    ("GET", "/kb/sources"): OperatorCall("The help center's sources, documents counted by status", 200, SourceList),
    ("POST", "/kb/sources"): OperatorCall(
        "Add a source (a sitemap or page URL) and sync it (audited)", 201, SourceSynced, body=SourceCreate,
        errors=(409,), notes={
            409: "The location is a source already.",
            422: "Also: the location is no http(s) URL the sync may read (nor, in a local run, a folder or file "
                 "there)." + IN_REQUEST + " With another sync running, `sync.busy`: the scheduled sync does it.",
        },
    ),
    ("POST", "/kb/sources/{source_id}/sync"): OperatorCall(
        "Sync a source again (audited)", 200, SourceSynced, errors=(404, 409),
        notes={409: "Another sync of the documents is running: retry when it has finished." + IN_REQUEST},
    ),
    ("DELETE", "/kb/sources/{source_id}"): OperatorCall(
        "Remove a source, its documents and their passages (audited)", 204, errors=(404,),
    ),
    ("GET", "/kb/sources/{source_id}/documents"): OperatorCall(
        "A source's documents: status and reason, passages, when last fetched", 200, DocumentList, errors=(404,),
    ),
}  # fmt: skip
