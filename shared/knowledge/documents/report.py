"""What a sync did, per document and per source, and the lines a person reads about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.knowledge.documents.indexing import EmbeddingWork

STATUSES = ("indexed", "unchanged", "failed", "retired")


@dataclass(frozen=True)
class DocumentOutcome:
    """One document's sync: its status, why (a failure's "code: reason", a note, why retired), its passages now."""

    location: str
    status: str
    detail: str | None = None
    passages: int = 0

    def line(self) -> str | None:
        """A line for the report when there is something to say: a failure, a retirement, a note."""
        if self.status == "failed":
            kept = f" (keeps its {self.passages} passages)" if self.passages else ""
            return f"  FAILED   {self.location}: {self.detail}{kept}"
        if self.status == "retired":
            return f"  retired  {self.location}: {self.detail}"
        if self.detail:
            return f"  note     {self.location}: {self.detail}"
        return None


@dataclass
class SourceReport:
    location: str
    kind: str
    status: str = "synced"
    problems: list[str] = field(default_factory=list)
    documents: list[DocumentOutcome] = field(default_factory=list)
    left: int = 0  # documents not reached before the deadline: the next scheduled sync takes them

    def count(self, status: str) -> int:
        return sum(1 for document in self.documents if document.status == status)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(status)} {status}" for status in STATUSES)
        left = f", {self.left} left for the next sync" if self.left else ""
        return f"{self.kind} {self.location}: {len(self.documents)} documents ({counts}{left}): {self.status}"


@dataclass
class SyncReport:
    sources: list[SourceReport]
    embedded: EmbeddingWork = field(default_factory=lambda: EmbeddingWork(0, 0.0))
    terms_seconds: float = 0.0
    seconds: float = 0.0
    busy: bool = False  # another sync was running: this one did nothing

    def count(self, status: str) -> int:
        return sum(source.count(status) for source in self.sources)

    def summary(self) -> list[str]:
        """One line per source, then the indexing work."""
        if self.busy:
            return ["another sync of the documents is running: nothing done"]
        lines = [source.summary() for source in self.sources]
        terms = f"rebuilt in {self.terms_seconds:.2f} s" if self.terms_seconds else "unchanged"
        lines.append(
            f"{self.embedded.passages} passages embedded in {self.embedded.seconds:.2f} s; "
            f"term weights {terms}; {self.seconds:.1f} s in all"
        )
        return lines
