"""The public API's shapes for known customers: identifying a session, listing and resuming theirs."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from shared.schemas.public import ConversationState, CustomerPublic, Request, SessionState

PREVIEW_CHARS = 120


class IdentifyCreate(Request):
    session_id: uuid.UUID
    identity_token: str = Field(description="The JWT the shop's backend signed for its signed-in customer")


class SessionIdentified(SessionState):
    session_id: uuid.UUID
    customer: CustomerPublic


class ConversationSummary(BaseModel):
    session_id: uuid.UUID
    started_at: datetime
    last_message_at: datetime
    state: ConversationState
    preview: str = Field(description=f"The start of the last message, at most {PREVIEW_CHARS} characters")


class ConversationList(BaseModel):
    conversations: list[ConversationSummary] = Field(description="Newest last_message_at first")


class SessionResumed(BaseModel):
    session_id: uuid.UUID
    session_token: str = Field(description="A fresh session token; the conversation's earlier token stops working")
    bot_name: str
