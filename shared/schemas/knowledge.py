"""Request and response shapes of the operator API's knowledge routes (`/operator_api/kb/...`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, HttpUrl, StringConstraints, UrlConstraints, model_validator

from shared.schemas.faq import FaqEntry, Translation, TranslationLanguage, slugify
from shared.schemas.public import MAX_ID, Request, visible

EntryId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^\S+$")]
MAX_URL_CHARS = 2000


def _fits_once_normalised(url: HttpUrl) -> HttpUrl:
    # Normalising adds a slash or punycode, which could push a URL just within the limit past the
    # stored entry's own (2083), failing only after the request was accepted.
    if len(str(url)) > MAX_URL_CHARS:
        raise ValueError(f"URL should have at most {MAX_URL_CHARS} characters once normalised")
    return url


EntryUrl = Annotated[HttpUrl, UrlConstraints(max_length=MAX_URL_CHARS), AfterValidator(_fits_once_normalised)]
Phrasing = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(visible)]
Answer = Annotated[str, StringConstraints(min_length=1, max_length=10_000), AfterValidator(visible)]
Keyword = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class TranslationDraft(Request):
    question: Phrasing
    answer: Answer
    examples: list[Phrasing] = Field(default_factory=list, max_length=200)


class EntryDraft(Request):
    """An entry as the console saves it; `base_version` is the version it was edited from (none to create)."""

    id: EntryId | None = Field(default=None, description="Default: a slug of the question")
    question: Phrasing
    answer: Answer
    keywords: list[Keyword] = Field(default_factory=list, max_length=50)
    examples: list[Phrasing] = Field(default_factory=list, max_length=200)
    url: EntryUrl | None = None
    translations: dict[TranslationLanguage, TranslationDraft] = Field(default_factory=dict)
    base_version: int | None = Field(default=None, ge=1, le=MAX_ID, description="Required to edit; 409 if stale")

    def to_entry(self, entry_id: str | None = None) -> FaqEntry:
        """The entry to store: its id from the path when editing, else the one sent, else a slug of the question."""
        content = self.model_dump(mode="json", exclude={"base_version", "id", "entry_id"})
        translations = {k: Translation(**v) for k, v in content.pop("translations").items()}
        return FaqEntry(id=entry_id or self.id or slugify(self.question), translations=translations, **content)


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
    outcome: Literal["answered", "suggested", "unknown"] = Field(
        description="Answers from an entry, suggests entries (asserting nothing), or says it does not know"
    )
    reason: str = Field(
        description="Why, as a short code: clear_match, key_terms_not_in_kb, close_runner_up, passage_match, ..."
    )
    offered: list[str] = Field(description="The entries a suggestion asks about")
    unknown_words: list[str] = Field(description="The message's words that no entry uses")
    answered_with: list[str] = Field(
        description="The entries (or the help-center passage, passage:<id>) the bot would answer with, in order"
    )
    parts: list[str] = Field(description="The questions the message was split into")
    candidates: list[Candidate]
    passages: list[PassageCandidate] = Field(
        default_factory=list, description="The help-center passages ranked for the question, best first"
    )


class GapsQuery(Request):
    days: int = Field(default=30, ge=1, le=365)


class Suggestion(BaseModel):
    id: str
    question: str


class NearPassage(BaseModel):
    """A help-center passage as retrieval ranked it, on its own scale: for a gap, the page that almost answers it."""

    id: str = Field(description="passage:<id>")
    question: str = Field(description="Where it sits: the document's title › the section")
    title: str | None
    section: str | None
    url: str | None = Field(description="The page with the section's #anchor; none for a file")
    document: str | None = Field(description="The document's address or file")
    score: float
    threshold: float = Field(description="The passages' own threshold (measured at sync): it answers from there")


class PassageCandidate(NearPassage):
    """A help-center passage as retrieval ranked it for a question tried in the console."""

    features: dict[str, float] = Field(description="lexical (BM25), dense (cosine)")
    fits: bool = Field(description="At or above its threshold")


class GapGroup(BaseModel):
    key: str
    count: int
    examples: list[str]
    message_ids: list[int]
    last_seen: datetime
    reasons: dict[str, int] = Field(description="suggested, unknown (did not know), thumbs_down, handed_over")
    suggestion: Suggestion | None = Field(
        description="The entry the group's suggested replies offered most; none when the bot only did not know"
    )
    passage: NearPassage | None = Field(
        default=None, description="The help-center passage nearest the group's newest question, when one is near"
    )


class GapList(BaseModel):
    groups: list[GapGroup]


class MessageIds(Request):
    message_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=500)


class GapDraft(BaseModel):
    question: str
    answer: str = Field(description="What agents replied in those conversations; empty when none did")
    examples: list[str]
    needs_review: bool = Field(
        default=False, description="The answer was built from agents' replies: read it before publishing"
    )


class ApproveRequest(MessageIds):
    entry_id: EntryId | None = Field(default=None, description="Add the questions as examples of this entry")
    new_entry: EntryDraft | None = Field(default=None, description="Or create this entry")

    @model_validator(mode="after")
    def _one_target(self) -> ApproveRequest:
        if (self.entry_id is None) == (self.new_entry is None):
            raise ValueError("send exactly one of entry_id and new_entry")
        if self.new_entry is not None and self.new_entry.base_version is not None:
            raise ValueError("a new entry has no base_version")
        return self


class ApproveResult(BaseModel):
    entry: EntryPublic
    cases_added: int


class CasePublic(BaseModel):
    id: int
    query: str
    expected: list[str]
    lang: str
    created_by: str
    created_at: datetime


class CaseList(BaseModel):
    cases: list[CasePublic]


class CheckRequest(EntryDraft):
    entry_id: EntryId | None = Field(default=None, description="The entry being edited; none for a new one")


class BrokenCase(BaseModel):
    query: str
    expected: list[str]
    answered: list[str]


class CheckResult(BaseModel):
    cases: int = Field(description="How many cases ran")
    broken: list[BrokenCase] = Field(description="Cases answered right now that the draft would answer wrongly")


class ReviewItem(BaseModel):
    message_id: int
    session_id: str
    entry_id: str = Field(description="The entry, or passage:<id> for a help-center passage")
    used_version: int = Field(description="0 for a passage")
    current_version: int = Field(description="0 for a passage")
    document: str | None = Field(default=None, description="A passage's document, unless it was removed")
    document_change: Literal["changed", "retired", "removed"] | None = Field(
        default=None, description="What happened to a passage's document since the reply"
    )
    question: str | None
    reply: str
    created_at: datetime


class ReviewList(BaseModel):
    replies: list[ReviewItem]
