"""Request and response shapes of the operator API (the console's); constraints live on the fields."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.schemas.customers import ConversationSummary
from shared.schemas.public import MAX_ID, CardPublic, ConversationState, Request, SourcePublic, visible

Email = Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Role = Literal["agent", "admin"]
StateFilter = Literal["waiting", "assigned", "resolved", "bot", "open", "all"]
Action = Literal["take_over", "hand_back", "resolve", "reopen", "assign"]


class SignIn(Request):
    local_email: Email | None = Field(default=None, description="Local runs only: sign in as this operator")
    id_token: Annotated[str, StringConstraints(min_length=1, max_length=8192)] | None = Field(
        default=None, description="A Google ID token from Google Identity Services"
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> SignIn:
        if (self.local_email is None) == (self.id_token is None):
            raise ValueError("send exactly one of id_token and local_email")
        return self


class OperatorPublic(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    role: Role
    active: bool


class SignedIn(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`; shown once")
    expires_at: datetime
    operator: OperatorPublic


class SignInOptions(BaseModel):
    """How one may sign in here, for the sign-in page to say who may."""

    google_client_id: str | None = Field(description="Google sign-in's OAuth client id; null: Google sign-in is off")
    workspace_domain: str | None = Field(description="Only Google accounts of this Workspace domain may sign in")
    email: bool = Field(description="Sign-in by email alone: only in a local run, and only from its own machine")
    first_sign_in_becomes_admin: bool = Field(
        description="With email sign-in: the team is empty, so the first email to sign in becomes its admin"
    )


class OperatorCreate(Request):
    email: Email
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None = None
    role: Role = "agent"


class OperatorList(BaseModel):
    operators: list[OperatorPublic]


class OperatorRef(Request):
    operator_id: uuid.UUID


class RoleChange(Request):
    role: Role


class ConversationsQuery(Request):
    state: StateFilter = "open"
    view: StateFilter | None = Field(
        default=None, description="The inbox view; `all` is every conversation a customer wrote in. Wins over `state`"
    )
    reason: Annotated[str, StringConstraints(max_length=24)] | None = None
    assigned: Literal["me", "anyone", "nobody"] | None = None
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="Text the customer or an agent wrote, or a conversation's id"
    )
    before: datetime | None = Field(default=None, description="Newest-first tabs: items active before this time")
    cursor: Annotated[str, StringConstraints(max_length=120, pattern=r"^[A-Za-z0-9_-]+={0,2}$")] | None = Field(
        default=None, description="The `next_cursor` of the previous page: the page after it"
    )
    limit: int = Field(default=50, ge=1, le=200)


class ConversationItem(BaseModel):
    id: uuid.UUID
    state: ConversationState
    reason: str | None
    reason_kind: str | None
    waiting_since: datetime | None
    last_activity_at: datetime
    preview: str | None
    assignee: str | None
    unread: int
    thumbs_down: int
    thumbs_up: int
    csat: int | None = None


class ConversationList(BaseModel):
    conversations: list[ConversationItem]
    counts: dict[str, int] = Field(description="Conversations per inbox tab: waiting, mine, open, resolved")
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; null on the last")


class TranscriptMessage(BaseModel):
    id: int
    sender: Literal["user", "bot", "agent", "system"]
    content: str
    created_at: datetime
    author: str | None = None
    internal: bool = False
    sources: list[SourcePublic] = Field(default_factory=list)
    decision: str | None = None
    outcome: Literal["answered", "suggested", "unknown"] | None = Field(
        default=None, description="A bot reply's outcome: answered from an entry, only suggested some, or did not know"
    )
    feedback: Literal["up", "down"] | None = None
    feedback_comment: str | None = None
    card: CardPublic | None = Field(default=None, description="What an action on the shop's API found")


class LookupParameter(BaseModel):
    name: str
    description: str
    required: bool
    pattern: str | None = None
    options: list[str] | None = None


class Lookup(BaseModel):
    """A read action an agent may run for the conversation's verified customer."""

    name: str
    description: str
    parameters: list[LookupParameter]


class LookupRun(Request):
    action: str = Field(max_length=64)
    arguments: dict[str, str | int] = Field(default_factory=dict, max_length=10)


class LookupResult(BaseModel):
    ok: bool = Field(description="The shop answered with the data (false: not found, or the shop failed)")
    text: str = Field(description="What came of it, in words")
    card: CardPublic | None = None
    note_id: int = Field(description="The internal note that keeps the result in the transcript")


class StateChange(BaseModel):
    from_state: ConversationState
    to_state: ConversationState
    event: str
    reason: str | None
    operator: str | None
    created_at: datetime


class Csat(BaseModel):
    rating: int
    comment: str | None


class KnownCustomer(BaseModel):
    """Who the shop's signed token says the customer is."""

    customer_id: str = Field(description="The shop's own id for the customer")
    verified: bool = Field(description="Named by a token the shop signed")
    name: str | None
    email: str | None
    attributes: dict[str, str] = Field(description="Signed by the shop: plan, country...")
    identified_at: datetime | None


class ConversationDetail(BaseModel):
    id: uuid.UUID
    state: ConversationState
    reason: str | None
    reason_kind: str | None
    assignee: str | None
    assignee_id: uuid.UUID | None
    waiting_since: datetime | None
    created_at: datetime
    summary: str | None
    locale: str | None
    attributes: dict[str, Any] = Field(description="What the page sent, unsigned: unverified")
    contact_email: str | None = None
    csat: Csat | None = None
    customer: KnownCustomer | None = Field(default=None, description="None: an anonymous visitor")
    other_conversations: list[ConversationSummary] = Field(
        default_factory=list, description="The same verified customer's other conversations, newest first"
    )
    messages: list[TranscriptMessage]
    history: list[StateChange]
    actions: list[Action] = Field(
        description="What the signed-in operator may do to it now (from the server's table of state changes)"
    )
    lookups: list[Lookup] = Field(
        default_factory=list, description="Read actions on the shop's API for this verified customer"
    )


class AgentSummary(BaseModel):
    """The summary written for agents, as refreshed from the conversation's current messages."""

    conversation_id: uuid.UUID
    summary: str
    updated_at: datetime
    degraded: bool = Field(description="Written without the model (it failed, or the token budget is spent)")


class SummaryRefresh(Request):
    """Nothing to say (an empty object, or no body): the summary is written from the conversation as it is."""


class AgentMessageCreate(Request):
    content: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), AfterValidator(visible)
    ]
    internal: bool = False


class ActionRequest(Request):
    action: Action
    operator_id: uuid.UUID | None = Field(default=None, description="For assign: who gets the conversation")


class ConversationRef(Request):
    conversation_id: uuid.UUID


class MessageId(BaseModel):
    id: int = Field(le=MAX_ID)


def _utc_within_reach(value: datetime) -> datetime:
    """A time without a zone is UTC (a date alone is its midnight); years 2000-2999 only, so range arithmetic holds."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    if not 2000 <= value.astimezone(UTC).year <= 2999:
        raise ValueError("must be a time between the years 2000 and 2999")
    return value


MetricsTime = Annotated[datetime, AfterValidator(_utc_within_reach)]


class MetricsQuery(Request):
    from_: MetricsTime | None = Field(default=None, alias="from")
    to: MetricsTime | None = None


class OutcomeDay(BaseModel):
    day: datetime = Field(description="The UTC day the conversations started")
    answered: int
    suggested: int
    unknown: int


class Topic(BaseModel):
    entry_id: str | None = Field(description="The entry the bot's first answer or suggestion was about; null: none")
    question: str | None
    conversations: int
    resolution_rate: float | None = Field(description="Resolved by the bot, of those it answered")
    csat_average: float | None
    csat_responses: int


class ActionFigures(BaseModel):
    action: str
    calls: int = Field(description="Calls to the shop, by the bot and by agents")
    failures: int = Field(description="Not found, refused, timed out, unreachable, or an unusable answer")
    p50_ms: int | None = Field(description="Median latency of a call, milliseconds")
    p95_ms: int | None


class Metrics(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: datetime = Field(alias="from")
    to: datetime
    conversations: int
    involvement_rate: float | None = Field(description="Conversations the bot answered at least once")
    resolution_rate: float | None = Field(
        description="Of the involved: confirmed or assumed resolved by the bot, never handed to a person"
    )
    confirmed_resolutions: int = Field(
        description="Thumbs-up, closed, or the customer said it helped; not taken back by a return within 24 h"
    )
    assumed_resolutions: int = Field(description="No further customer message for 24 h after the latest answer")
    resolutions_taken_back: int = Field(description="Confirmed, then the customer returned on the subject within 24 h")
    automation_rate: float | None = Field(description="Involvement rate × resolution rate")
    durable_resolution_rate: float | None = Field(
        description="Of bot resolutions at least 7 days old: no return on the same subject within 7 days"
    )
    reopen_rate: float | None = Field(description="Of resolved conversations: the customer wrote again afterwards")
    handover_rate: float | None
    handovers_by_reason: dict[str, int]
    degraded_replies: int = Field(description="Bot replies answered without the model (budget spent, model failed)")
    degraded_replies_by_reason: dict[str, int] = Field(description="`budget`, `model` (failed) or `guarded`")
    median_first_response_seconds: float | None = Field(
        description="From a handover to the first agent reply after it (each conversation's latest answered one)"
    )
    median_resolution_seconds: float | None = Field(description="From the conversation's start to its latest close")
    csat_average: float | None
    csat_response_rate: float | None
    csat_responses: int
    csat_bot_only_average: float | None = Field(description="Ratings of conversations no person took part in")
    csat_bot_only_responses: int
    csat_human_average: float | None = Field(description="Ratings of conversations handed to a person")
    csat_human_responses: int
    thumbs_up: int
    thumbs_down: int
    unanswered_questions: int = Field(description="Bot replies that only suggested entries or did not know")
    model_input_tokens: int = Field(description="Conversations' tokens plus those of no conversation")
    model_output_tokens: int = Field(description="Thinking tokens included: they are billed as output")
    model_tokens_outside_conversations: int = Field(
        description="Input and output tokens of drafts, gap grouping, Try it and re-indexing, by whole hours"
    )
    estimated_cost_usd: float
    outcomes_by_day: list[OutcomeDay] = Field(description="The bot's replies: answered, suggested, did not know")
    topics: list[Topic] = Field(description="Conversations by subject, the largest first")
    actions: list[ActionFigures] = Field(
        default_factory=list, description="Calls to the shop's API in the range, per action, the busiest first"
    )
