"""The console's metrics: how the bot and the team did over a chosen range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.core import errors
from shared.core.settings import get_settings
from shared.db import metrics, model_usage
from shared.db.engine import connection
from shared.schemas.console import Metrics, MetricsQuery

DEFAULT_DAYS = 7
MAX_DAYS = 366


def report(query: MetricsQuery) -> Metrics:
    """Figures for conversations started in the range (default: the last 7 days)."""
    end = query.to or datetime.now(UTC)
    start = query.from_ or end - timedelta(days=DEFAULT_DAYS)
    if start >= end or end - start > timedelta(days=MAX_DAYS):
        raise errors.ValidationFailed(
            "Choose a range that starts before it ends and spans at most a year.",
            details=[{"field": "from", "message": "must be before `to`, at most 366 days earlier"}],
        )
    with connection() as conn:
        found = metrics.figures(conn, start=start, end=end)
        # Drafts, gap grouping, Try it and re-indexing belong to no conversation but cost the same.
        outside = model_usage.totals(conn, start=start, end=end)
    input_tokens = found["input_tokens"] + outside["input_tokens"]
    output_tokens = found["output_tokens"] + outside["output_tokens"]
    settings = get_settings()
    conversations = found["conversations"]
    cost = (
        input_tokens * settings.model_input_usd_per_million + output_tokens * settings.model_output_usd_per_million
    ) / 1_000_000
    return Metrics.model_validate(
        {
            "from": start,
            "to": end,
            "conversations": conversations,
            "bot_resolved_rate": _share(found["bot_resolved"], conversations),
            "handover_rate": _share(found["handed_over"], conversations),
            "handovers_by_reason": found["handovers_by_reason"],
            "degraded_replies": sum(found["degraded_by_reason"].values()),
            "degraded_replies_by_reason": found["degraded_by_reason"],
            "median_first_response_seconds": found["first_response"],
            "median_resolution_seconds": found["resolution"],
            "csat_average": found["csat_average"],
            "csat_responses": found["csat_responses"],
            "csat_response_rate": _share(found["csat_responses"], found["resolved"]),
            "thumbs_up": found["thumbs_up"],
            "thumbs_down": found["thumbs_down"],
            "unanswered_questions": found["unanswered"],
            "model_input_tokens": input_tokens,
            "model_output_tokens": output_tokens,
            "model_tokens_outside_conversations": outside["input_tokens"] + outside["output_tokens"],
            "estimated_cost_usd": round(cost, 4),
        }
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
