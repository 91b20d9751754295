"""Request and response shapes of the public API; constraints live on the fields."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.core.settings import get_settings
from shared.handover.states import State

SessionStatus = Literal["open", "escalated"]
ConversationState = State  # the one table of states, shared/handover/states.py
Sender = Literal["user", "bot", "agent", "system"]
ShortText = Annotated[str, StringConstraints(max_length=500)]
# Postgres BIGINT: larger integers cannot be stored or compared with a stored id.
MAX_ID = 2**63 - 1
# Spaces, line and paragraph separators, control and format characters (zero-width, bidi, tags).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
# Filed as letters or marks, yet they draw nothing: Hangul fillers, the blank Braille pattern,
# the grapheme joiner and the variation selectors.
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f") | frozenset(
    chr(c) for r in (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0)) for c in r
)


def shows_something(text: str) -> bool:
    """Whether `text` has at least one character a reader could see."""
    return any(c not in _BLANK_CHARACTERS and unicodedata.category(c) not in _INVISIBLE_CATEGORIES for c in text)


def visible(text: str) -> str:
    """`text` as it is, when a reader could see something of it (a pydantic validator)."""
    if not shows_something(text):
        raise ValueError("must contain visible text")
    return text


class Request(BaseModel):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class SessionCreate(Request):
    locale: Annotated[str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = (
        None
    )
    attributes: dict[Annotated[str, StringConstraints(max_length=64)], ShortText] = Field(
        default_factory=dict, max_length=20, description="What the page says about the visitor, unsigned (unverified)"
    )
    identity_token: str | None = Field(
        default=None, description="The JWT the shop's backend signed for its signed-in customer"
    )


class SessionRef(Request):
    session_id: uuid.UUID


class MessageCreate(Request):
    session_id: uuid.UUID
    content: str
    client_message_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None

    @field_validator("content")
    @classmethod
    def _content_fits(cls, value: str) -> str:
        value = visible(value.strip())
        limit = get_settings().max_message_chars
        if len(value) > limit:
            raise ValueError(f"must be at most {limit} characters")
        return value


class FeedbackCreate(Request):
    session_id: uuid.UUID
    message_id: int = Field(ge=1, le=MAX_ID)
    rating: Literal["up", "down"]
    comment: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ActionDecision(Request):
    session_id: uuid.UUID
    action_request_id: uuid.UUID
    decision: Literal["confirm", "cancel"]


class MessagesQuery(Request):
    session_id: uuid.UUID
    after: int | None = Field(default=None, ge=0, le=MAX_ID)


class CustomerPublic(BaseModel):
    customer_id: str = Field(description="The shop's own id for the customer (the identity token's sub)")
    name: str | None = None
    verified: bool = Field(description="Named by a token the shop signed")


class SessionCreated(BaseModel):
    session_id: uuid.UUID
    session_token: str
    created_at: datetime
    greeting: str = Field(
        description="The first words to show: GREETING, or, while that is left at its default, "
        "the default greeting in the session's language when there is one"
    )
    bot_name: str = Field(description="The name to label the bot's messages with")
    customer: CustomerPublic | None = Field(default=None, description="The verified customer, with an identity token")


class SourcePublic(BaseModel):
    """What a reply rests on: an entry (its question), or a help-center passage (where it sits)."""

    id: str
    question: str = Field(description="An entry's question; for a passage, its document's title and section")
    url: str | None = Field(default=None, description="For a passage, the page's address with its section's #anchor")
    title: str | None = Field(default=None, description="A passage's document title")
    section: str | None = Field(default=None, description="The heading of the passage's section that is cited")


class CardField(BaseModel):
    label: str
    value: str


class CardPublic(BaseModel):
    """What an action on the shop's API found, as the widget shows it."""

    title: str
    fields: list[CardField] = Field(default_factory=list)
    url: str | None = None


class ActionRequestPublic(BaseModel):
    """A write the bot proposes: it runs only when the customer confirms it (confirm_action) in time."""

    id: uuid.UUID
    summary: str
    expires_at: datetime


class MessagePublic(BaseModel):
    id: int
    sender: Sender
    content: str
    created_at: datetime
    client_message_id: str | None = None
    reply_to: int | None = None
    sources: list[SourcePublic] = Field(default_factory=list)
    suggested_actions: list[str] = Field(default_factory=list)
    degraded: bool = False
    author: str | None = Field(default=None, description="The agent's display name on an agent's message")
    card: CardPublic | None = Field(default=None, description="What an action on the shop's API found")
    action_request: ActionRequestPublic | None = Field(
        default=None, description="A write awaiting the customer's Confirm or Cancel (confirm_action)"
    )
    sign_in_required: bool = Field(default=False, description="The action asked for needs a signed-in customer")


class SessionState(BaseModel):
    status: SessionStatus = Field(description="escalated while a person is involved (waiting or assigned)")
    state: ConversationState = Field(description="bot, waiting (queued for a person), assigned, resolved")
    agent: str | None = Field(default=None, description="The display name of the agent who owns it")
    offer_contact: bool = Field(
        default=False, description="Handed over while the team is away: offer to leave an email address"
    )


class SessionView(SessionState):
    summary: str | None = None


class MessageExchange(BaseModel):
    user_message: MessagePublic
    reply: MessagePublic | None = Field(description="None while an agent owns the conversation: the bot is silent")
    session: SessionState


class ActionDecided(BaseModel):
    message: MessagePublic = Field(description="The bot's message with the result (or saying it did nothing)")
    session: SessionState


class MessageList(BaseModel):
    session: SessionView
    messages: list[MessagePublic]
    has_more: bool = Field(default=False, description="More messages follow: ask again with after=<last id>")


class SummaryPublic(BaseModel):
    session_id: uuid.UUID
    summary: str
    updated_at: datetime


class ContactCreate(Request):
    session_id: uuid.UUID
    email: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    ]


class CsatCreate(Request):
    session_id: uuid.UUID
    rating: int = Field(ge=1, le=5)
    comment: Annotated[str, StringConstraints(max_length=1000)] | None = None
