"""The console's metrics: how the bot and the team did over a chosen range."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.core import errors
from shared.core.settings import get_settings
from shared.db import actions as stored_actions
from shared.db import metrics, metrics_daily, model_usage
from shared.db.engine import connection, transaction
from shared.schemas.console import Metrics, MetricsQuery

DEFAULT_DAYS = 7
MAX_DAYS = 366
TOPICS_SHOWN = 20


def report(query: MetricsQuery) -> Metrics:
    """Figures for conversations started in the range (default: the last 7 days)."""
    end = query.to or datetime.now(UTC)
    start = query.from_ or end - timedelta(days=DEFAULT_DAYS)
    if start >= end or end - start > timedelta(days=MAX_DAYS):
        raise errors.ValidationFailed(
            "Choose a range that starts before it ends and spans at most a year.",
            details=[{"field": "from", "message": "must be before `to`, at most 366 days earlier"}],
        )
    days = _rolled_up_days(start, end)
    with connection() as conn:
        found = metrics.figures(conn, start=start, end=end, days=days)
        # Drafts, gap grouping, Try it and re-indexing belong to no conversation but cost the same.
        outside = model_usage.totals(conn, start=start, end=end)
        calls = [asdict(row) for row in stored_actions.figures(conn, since=start, until=end)]
    figures = {**_outcomes(found), **_team(found), **_usage(found, outside), "topics": _topics(found["topics"])}
    figures["actions"] = calls
    return Metrics.model_validate({"from": start, "to": end, **figures})


def roll_up(*, first: date, last: date) -> int:
    """Store the figures of the settled days of [first, last] that are missing or stale; returns how many."""
    with connection() as conn:
        missing = metrics_daily.to_fill(conn, first=first, last=last)
    stored = 0
    for day in missing:  # a transaction per day: it holds that day's lock alone, and briefly
        with transaction() as conn:
            stored += metrics_daily.fill_day(conn, day=day)
    return stored


def _rolled_up_days(start: datetime, end: datetime) -> list[date]:
    """The whole UTC days of [start, end) read from the roll-up, the missing settled ones stored first."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first = start.date() if start.timetz() == time(tzinfo=UTC) else start.date() + timedelta(days=1)
    last = end.date() - timedelta(days=1)
    if first > last:
        return []
    roll_up(first=first, last=last)
    with connection() as conn:
        return metrics_daily.stored(conn, first=first, last=last)


def _outcomes(found: dict[str, Any]) -> dict[str, Any]:
    """Involvement, resolution and automation, as Intercom and Zendesk define them (the schema says each)."""
    conversations, involved = found["conversations"], found["involved"]
    resolved = found["confirmed"] + found["assumed"]
    return {
        "conversations": conversations,
        "involvement_rate": _share(involved, conversations),
        "resolution_rate": _share(resolved, involved),
        "confirmed_resolutions": found["confirmed"],
        "assumed_resolutions": found["assumed"],
        "resolutions_taken_back": found["taken_back"],
        "automation_rate": _share(resolved, conversations),
        "durable_resolution_rate": _share(found["durable"], found["week_old"]),
        "reopen_rate": _share(found["returned"], found["ever_resolved"]),
        "unanswered_questions": found["unanswered"],
        "outcomes_by_day": found["by_day"],
    }


def _team(found: dict[str, Any]) -> dict[str, Any]:
    """Handovers, the team's times and what customers thought."""
    return {
        "handover_rate": _share(found["handed_over"], found["conversations"]),
        "handovers_by_reason": found["handovers_by_reason"],
        "median_first_response_seconds": found["first_response"],
        "median_resolution_seconds": found["resolution"],
        "csat_average": found["csat_average"],
        "csat_responses": found["csat_responses"],
        "csat_response_rate": _share(found["csat_responses"], found["resolved"]),
        "csat_bot_only_average": found["csat_bot_only"],
        "csat_bot_only_responses": found["csat_bot_n"],
        "csat_human_average": found["csat_human"],
        "csat_human_responses": found["csat_human_n"],
        "thumbs_up": found["thumbs_up"],
        "thumbs_down": found["thumbs_down"],
    }


def _usage(found: dict[str, Any], outside: dict[str, int]) -> dict[str, Any]:
    """Degraded replies, model tokens and what they cost."""
    settings = get_settings()
    input_tokens = found["input_tokens"] + outside["input_tokens"]
    output_tokens = found["output_tokens"] + outside["output_tokens"]
    cost = (
        input_tokens * settings.model_input_usd_per_million + output_tokens * settings.model_output_usd_per_million
    ) / 1_000_000
    return {
        "degraded_replies": sum(found["degraded_by_reason"].values()),
        "degraded_replies_by_reason": found["degraded_by_reason"],
        "model_input_tokens": input_tokens,
        "model_output_tokens": output_tokens,
        "model_tokens_outside_conversations": outside["input_tokens"] + outside["output_tokens"],
        "estimated_cost_usd": round(cost, 4),
    }


def _topics(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The largest topics, each with its resolution rate."""
    return [
        {
            "entry_id": row["topic"],
            "question": row["question"],
            "conversations": row["conversations"],
            "resolution_rate": _share(row["resolved"], row["involved"]),
            "csat_average": row["csat_average"],
            "csat_responses": row["csat_responses"],
        }
        for row in rows[:TOPICS_SHOWN]
    ]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
