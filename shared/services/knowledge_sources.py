"""The scheduled re-sync of the help center: the KNOWLEDGE_SOURCES not synced for KNOWLEDGE_SYNC_HOURS."""

from __future__ import annotations

import logging

from pydantic import BaseModel

from shared.knowledge.documents.report import SourceReport, SyncReport
from shared.knowledge.documents.sync import sync_due_sources

log = logging.getLogger("support.knowledge")


class SourceSyncPublic(BaseModel):
    location: str
    kind: str
    status: str  # synced, partial or failed
    indexed: int
    unchanged: int
    failed: int
    retired: int
    problems: list[str]


class KnowledgeSyncReport(BaseModel):
    busy: bool  # another sync was running: this one did nothing
    sources: list[SourceSyncPublic]
    passages_embedded: int
    seconds: float


def sync_due() -> KnowledgeSyncReport:
    """Sync the sources that are due (new, or last synced KNOWLEDGE_SYNC_HOURS ago); log each failed document."""
    report = sync_due_sources()
    for source in report.sources:
        for document in source.documents:
            if document.status == "failed":
                extra = {"location": document.location, "reason": document.detail, "kept_passages": document.passages}
                log.warning("knowledge document failed", extra=extra)
    summary = _public(report)
    counts = {name: sum(getattr(s, name) for s in summary.sources) for name in ("indexed", "unchanged", "failed")}
    log.info("knowledge sources synced", extra={"sources": len(summary.sources), "busy": summary.busy, **counts})
    return summary


def _public(report: SyncReport) -> KnowledgeSyncReport:
    return KnowledgeSyncReport(
        busy=report.busy,
        sources=[_source(source) for source in report.sources],
        passages_embedded=report.embedded.passages,
        seconds=round(report.seconds, 2),
    )


def _source(source: SourceReport) -> SourceSyncPublic:
    counts = {status: source.count(status) for status in ("indexed", "unchanged", "failed", "retired")}
    return SourceSyncPublic(
        location=source.location, kind=source.kind, status=source.status, problems=source.problems, **counts
    )
