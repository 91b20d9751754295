"""Counts kept apart from what they count: the abuse limits' and budgets' windows, model usage by the hour."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models.base import Base


class RateCounter(Base):
    """The sliding-window counts of one abuse limit or token budget (an UNLOGGED table)."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    window_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    count: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    previous: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("rate_counters_expires_idx", "expires_at"), {"prefixes": ["UNLOGGED"]})


class ModelUsageHour(Base):
    """Tokens of model calls that belong to no conversation (drafts, gap grouping, embeddings), per hour."""

    __tablename__ = "model_usage_hourly"

    hour: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), primary_key=True)
    input_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    # Thinking tokens are billed as output: they are in output_tokens, and also counted apart.
    output_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    thinking_tokens: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
    calls: Mapped[int] = mapped_column(sa.BigInteger, server_default="0")
