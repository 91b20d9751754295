"""The knowledge-base file format.

`{"faqs": [{"question", "keywords", "answer", "id"?, "examples"?, "url"?, "translations"?}]}`, where
`translations` maps a language code to that language's version of the entry:
`{"fr": {"question", "answer", "examples"?}}`. A customer writing in a language with a version
gets its answer; the versions' questions and examples also help find the entry.

An export also lists where the help center's documents came from: `"sources": [{"location",
"kind", "added_at", "last_synced_at", "status"}]`. An import reads them but does not add them
(adding one fetches a whole site): it reports those this database does not have.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

# The languages an entry can carry a version in, besides its own English.
TranslationLanguage = Literal["fr", "es", "de", "it", "pt", "nl"]
TRANSLATION_LANGUAGES: tuple[TranslationLanguage, ...] = get_args(TranslationLanguage)


class Translation(BaseModel):
    """An entry's question and answer in another language, with that language's phrasings."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=10_000)
    examples: list[str] = Field(default_factory=list)


class FaqEntry(BaseModel):
    """One question and its answer, with the phrasings and keywords that help find it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, pattern=r"^\S{1,128}$")
    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=10_000)
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    url: HttpUrl | None = None
    translations: dict[TranslationLanguage, Translation] = Field(default_factory=dict)

    @property
    def entry_id(self) -> str:
        """The stable id: the given one, or a slug of the question."""
        return self.id or slugify(self.question)

    def content_hash(self, position: int) -> str:
        """A fingerprint of everything stored for this entry, to skip unchanged rows on sync."""
        payload = json.dumps([position, self.model_dump(mode="json", exclude={"id"})], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


class SourceRecord(BaseModel):
    """A help-center source as an export lists it: where its documents came from, and how its last sync went."""

    model_config = ConfigDict(extra="ignore")

    location: str = Field(min_length=1, max_length=2083)
    kind: Literal["sitemap", "page", "folder", "file"]
    added_at: datetime | None = None
    last_synced_at: datetime | None = None
    status: str | None = None


class KnowledgeBaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    faqs: list[FaqEntry]
    sources: list[SourceRecord] = Field(default_factory=list)


class KnowledgeBaseError(ValueError):
    """The knowledge-base file cannot be used as it is."""


def slugify(text: str) -> str:
    """A lowercase, dash-separated id made from `text`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:128] or "entry"


def load_knowledge_base(path: Path) -> list[FaqEntry]:
    """Read and check a knowledge-base file; ids must be unique."""
    entries = _read(path).faqs
    seen: set[str] = set()
    for entry in entries:
        if entry.entry_id in seen:
            raise KnowledgeBaseError(f"{path}: duplicate entry id {entry.entry_id!r}")
        seen.add(entry.entry_id)
    return entries


def load_sources(path: Path) -> list[SourceRecord]:
    """The help-center sources a knowledge-base file lists (an export's), if any."""
    return _read(path).sources


def _read(path: Path) -> KnowledgeBaseFile:
    try:
        return KnowledgeBaseFile.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise KnowledgeBaseError(f"{path}: {exc}") from exc
