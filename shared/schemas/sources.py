"""Request and response shapes of the operator API's help-center sources (`/operator_api/kb/sources/...`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from shared.schemas.public import MAX_ID, Request

SourceKind = Literal["sitemap", "page", "folder", "file"]
SourceStatus = Literal["new", "synced", "partial", "failed", "unfinished"]
DocumentStatus = Literal["indexed", "unchanged", "failed", "retired"]


class SourceCreate(Request):
    location: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] = Field(
        description="A sitemap or page URL (http or https); a folder or file only where it exists on the server"
        " (local runs, never in production)"
    )


class SourceRef(Request):
    source_id: int = Field(ge=1, le=MAX_ID)


class DocumentCounts(BaseModel):
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    retired: int = 0


class SourcePublic(BaseModel):
    id: int
    kind: SourceKind
    location: str
    status: SourceStatus = Field(
        description="new: never synced; synced; partial: some documents failed or the listing had problems;"
        " failed: nothing could be listed or read; unfinished: the last sync stopped at its deadline and the"
        " next scheduled sync continues it"
    )
    error: str | None = Field(description="The listing's problems, and the documents left for the next sync")
    added_at: datetime
    last_synced_at: datetime | None
    documents: DocumentCounts = Field(description="Its documents by status, as of their last sync")


class SourceList(BaseModel):
    sources: list[SourcePublic]


class SyncOutcome(BaseModel):
    """What the sync in this request did."""

    busy: bool = Field(description="Another sync was running: nothing was done now; the scheduled sync will")
    documents: DocumentCounts = Field(description="What became of each document this sync reached")
    left: int = Field(description="Documents not reached before the deadline: the next scheduled sync takes them")
    seconds: float


class SourceSynced(BaseModel):
    source: SourcePublic
    sync: SyncOutcome


class DocumentPublic(BaseModel):
    id: int
    title: str | None
    location: str
    status: DocumentStatus
    error: str | None = Field(description="Why it failed or was retired (`code: reason`), or a note on what was kept")
    fetched_at: datetime | None
    retired_at: datetime | None
    passages: int


class DocumentList(BaseModel):
    source: SourcePublic
    documents: list[DocumentPublic] = Field(description="Failed first, then by location; at most 1,000")
    total: int = Field(description="How many documents the source has")
