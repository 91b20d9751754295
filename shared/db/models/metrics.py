"""The console metrics' daily roll-up of settled days (migration 0018 holds the trigger that keeps it true)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base

_COUNTS = (
    "conversations", "involved", "confirmed", "assumed", "taken_back", "week_old", "durable", "ever_resolved",
    "returned", "handed_over", "resolved", "unanswered", "input_tokens", "output_tokens", "answered", "suggested",
    "unknown", "csat_bot_sum", "csat_bot_n", "csat_human_sum", "csat_human_n",
)  # fmt: skip
_GROUP_COUNTS = ("conversations", "involved", "resolved", "csat_sum", "csat_n")


def _counts(names: tuple[str, ...]) -> dict[str, sa.Column[int]]:
    return {name: sa.Column(name, sa.BigInteger, server_default="0", nullable=False) for name in names}


class MetricsDay(Base):
    """One UTC day's additive figures and sorted times; usable while computed_at is set."""

    __tablename__ = "metrics_daily"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    computed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    settles_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    locals().update(_counts(_COUNTS))
    first_responses: Mapped[list[float] | None] = mapped_column(postgresql.ARRAY(sa.Float))
    resolutions: Mapped[list[float] | None] = mapped_column(postgresql.ARRAY(sa.Float))


class MetricsDayGroup(Base):
    """One day's conversations of one topic (set 1) or handover kind (set 2)."""

    __tablename__ = "metrics_daily_groups"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    day: Mapped[date] = mapped_column(sa.ForeignKey("metrics_daily.day", ondelete="CASCADE"))
    set: Mapped[int] = mapped_column(sa.SmallInteger)
    key: Mapped[str | None] = mapped_column(sa.Text)
    locals().update(_counts(_GROUP_COUNTS))

    __table_args__ = (sa.Index("metrics_daily_groups_day_idx", "day"),)
