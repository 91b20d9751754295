"""What a customer's data export holds: their conversations as they saw them, and what they told us."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.schemas.public import CardPublic, ConversationState, Request, Sender

Scope = Literal["conversation", "customer"]


class DataRequest(Request):
    """Whose data: a conversation (its id, with its session token), or, with no id, everything about the
    signed-in customer (with the shop's identity token)."""

    session_id: uuid.UUID | None = None


class ExportedFeedback(BaseModel):
    rating: Literal["up", "down"]
    comment: str | None = None


class ExportedMessage(BaseModel):
    """A message the customer saw; agents' internal notes are not theirs and are left out."""

    sender: Sender
    author: str | None = Field(default=None, description="The agent's display name, as the widget showed it")
    content: str
    created_at: datetime
    suggested_actions: list[str] = Field(default_factory=list)
    feedback: ExportedFeedback | None = Field(default=None, description="The customer's thumbs up or down on it")
    card: CardPublic | None = Field(default=None, description="What an action on the shop's API found")
    lookup: bool = Field(default=False, description="An agent's lookup at the shop for the customer (not in the chat)")


class ExportedHandover(BaseModel):
    kind: str | None = None
    reason: str | None = None
    started_at: datetime | None = None
    resolved_at: datetime | None = None


class ExportedRating(BaseModel):
    rating: int
    comment: str | None = None
    created_at: datetime


class ExportedConversation(BaseModel):
    id: uuid.UUID
    started_at: datetime
    last_activity_at: datetime
    state: ConversationState
    locale: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict, description="What the shop's page sent about them")
    contact_email: str | None = Field(default=None, description="The address left for a reply by e-mail")
    summary: str | None = Field(default=None, description="The summary the customer asked for")
    handover: ExportedHandover | None = None
    rating: ExportedRating | None = None
    messages: list[ExportedMessage]


class DataExport(BaseModel):
    """Everything the product holds about the customer, for `export_my_data` and an admin's export."""

    exported_at: datetime
    scope: Scope
    conversations: list[ExportedConversation]
