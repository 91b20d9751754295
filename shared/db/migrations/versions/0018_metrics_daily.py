"""a daily roll-up of the console's metrics for settled days, kept true by a trigger on chat_sessions

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

- `metrics_daily`: per UTC day (of the conversations' start) the additive figures of shared/db/metrics.py
  (counts, sums of ratings and tokens) and, sorted, the day's first-response and resolution times, so
  medians over many days are taken over exactly the values a direct scan would see. `computed_at` is
  NULL while the row is not usable; `settles_at`: a day whose figures still depend on the clock (an
  answer or a confirmation less than 7 days old) is tried again after it.
- `metrics_daily_groups`: per day, conversations by topic (`set` 1) and by handover kind (`set` 2).
- The trigger: any write to a conversation started more than 7 days ago (the roll-up only holds days
  that ended 8 days ago, so a day of margin for a transaction in flight) marks its day stale, and
  takes that day's row lock, so a roll-up being computed waits for it or is overwritten after it (a
  day already stale is locked, not rewritten: a bulk update leaves no trail of row versions).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

COUNTS = [
    "conversations", "involved", "confirmed", "assumed", "taken_back", "week_old", "durable", "ever_resolved",
    "returned", "handed_over", "resolved", "unanswered", "input_tokens", "output_tokens", "answered", "suggested",
    "unknown", "csat_bot_sum", "csat_bot_n", "csat_human_sum", "csat_human_n",
]  # fmt: skip
GROUP_COUNTS = ["conversations", "involved", "resolved", "csat_sum", "csat_n"]

# The columns the metrics read (shared/db/metrics.py, _OUTCOMES): a write naming none of them changes no figure.
WATCHED = [
    "created_at", "first_user_message_at", "resolved_at", "first_response_seconds", "topic", "csat", "handover_kind",
    "bot_unanswered", "model_input_tokens", "model_output_tokens", "bot_answered", "bot_suggested", "bot_unknown",
    "last_answer_at", "customer_last_at", "confirmed_at", "returned_at", "returned_after_seconds",
]  # fmt: skip

_STALE = """
CREATE FUNCTION metrics_day_stale(started timestamptz) RETURNS void LANGUAGE sql AS $$
    INSERT INTO metrics_daily (day) VALUES ((started AT TIME ZONE 'UTC')::date)
    ON CONFLICT (day) DO UPDATE SET computed_at = NULL, settles_at = NULL
    WHERE metrics_daily.computed_at IS NOT NULL OR metrics_daily.settles_at IS NOT NULL  -- locked all the same
$$
"""

_TRIGGER = """
CREATE FUNCTION metrics_daily_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.created_at < now() - interval '7 days' THEN
        PERFORM metrics_day_stale(OLD.created_at);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.created_at < now() - interval '7 days' THEN
        PERFORM metrics_day_stale(NEW.created_at);
    END IF;
    RETURN NULL;
END
$$
"""

_OLD = "OLD.created_at < now() - interval '7 days'"
_NEW = "NEW.created_at < now() - interval '7 days'"
TRIGGERS = {
    "metrics_daily_on_insert": ("INSERT", _NEW),
    "metrics_daily_on_update": (f"UPDATE OF {', '.join(WATCHED)}", f"{_OLD} OR {_NEW}"),
    "metrics_daily_on_delete": ("DELETE", _OLD),
}


def upgrade() -> None:
    op.create_table(
        "metrics_daily",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settles_at", sa.DateTime(timezone=True), nullable=True),
        *[sa.Column(name, sa.BigInteger(), server_default="0", nullable=False) for name in COUNTS],
        sa.Column("first_responses", postgresql.ARRAY(sa.Float()), nullable=True),
        sa.Column("resolutions", postgresql.ARRAY(sa.Float()), nullable=True),
    )
    op.create_table(
        "metrics_daily_groups",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("day", sa.Date(), sa.ForeignKey("metrics_daily.day", ondelete="CASCADE"), nullable=False),
        sa.Column("set", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        *[sa.Column(name, sa.BigInteger(), server_default="0", nullable=False) for name in GROUP_COUNTS],
    )
    op.create_index("metrics_daily_groups_day_idx", "metrics_daily_groups", ["day"])
    op.execute(_STALE)
    op.execute(_TRIGGER)
    for name, (event, when) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON chat_sessions FOR EACH ROW WHEN ({when})"
            " EXECUTE FUNCTION metrics_daily_invalidate()"
        )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON chat_sessions")
    op.execute("DROP FUNCTION metrics_daily_invalidate()")
    op.execute("DROP FUNCTION metrics_day_stale(timestamptz)")
    op.drop_table("metrics_daily_groups")
    op.drop_table("metrics_daily")
