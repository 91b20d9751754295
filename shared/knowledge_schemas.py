"""Request and response shapes of the operator API's knowledge routes (`/operator_api/kb/...`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, HttpUrl, StringConstraints

from shared.knowledge.base import FaqEntry, Translation
from shared.schemas import MAX_ID, Request

EntryId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^\S+$")]
Phrasing = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Keyword = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Language = Literal["fr", "es", "de"]


class TranslationDraft(Request):
    question: Phrasing
    answer: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    examples: list[Phrasing] = Field(default_factory=list, max_length=200)


class EntryDraft(Request):
    """An entry as the console saves it; `base_version` is the version it was edited from (none to create)."""

    id: EntryId | None = Field(default=None, description="Default: a slug of the question")
    question: Phrasing
    answer: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    keywords: list[Keyword] = Field(default_factory=list, max_length=50)
    examples: list[Phrasing] = Field(default_factory=list, max_length=200)
    url: HttpUrl | None = None
    translations: dict[Language, TranslationDraft] = Field(default_factory=dict)
    base_version: int | None = Field(default=None, ge=1, le=MAX_ID, description="Required to edit; 409 if stale")

    def to_entry(self, entry_id: str | None = None) -> FaqEntry:
        """The entry to store, with the id from the path when editing."""
        content = self.model_dump(mode="json", exclude={"base_version", "id"})
        translations = {k: Translation(**v) for k, v in content.pop("translations").items()}
        return FaqEntry(id=entry_id or self.id, translations=translations, **content)


class RetireRequest(Request):
    base_version: int = Field(ge=1, le=MAX_ID)


class EntryRef(Request):
    entry_id: EntryId


class EntryPublic(BaseModel):
    id: str
    question: str
    answer: str
    keywords: list[str]
    examples: list[str]
    url: str | None
    translations: dict[str, Translation]
    version: int
    updated_at: datetime
    replies_to_review: int = Field(default=0, description="Replies that used an older version, not yet reviewed")


class EntryList(BaseModel):
    entries: list[EntryPublic]


class VersionPublic(BaseModel):
    version: int
    author: str
    changed: list[str]
    retired: bool
    question: str
    answer: str
    examples: list[str]
    created_at: datetime


class EntryDetail(BaseModel):
    entry: EntryPublic
    versions: list[VersionPublic] = Field(description="Newest first")


class SaveResult(BaseModel):
    entry: EntryPublic | None = Field(description="The live entry; null once retired")
    version: int
    changed: list[str]
    reindex_ms: float = Field(description="Time taken to re-index the entry")


class TryRequest(Request):
    question: Phrasing
    locale: Annotated[str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = (
        None
    )


class Candidate(BaseModel):
    id: str
    question: str
    score: float
    features: dict[str, float] = Field(description="lexical (BM25), dense, centroid, learned (classifier)")
    fits: bool = Field(description="At or above the threshold")


class TryResult(BaseModel):
    mode: str = Field(description="hybrid or lexical, with the embedder")
    language: str
    threshold: float
    decision: Literal["answer", "not_covered"]
    answered_with: list[str] = Field(description="The entries the bot would answer with, in order")
    parts: list[str] = Field(description="The questions the message was split into")
    candidates: list[Candidate]
