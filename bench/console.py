"""The operator console's reads on a busy database: `.venv/bin/python bench/console.py [--conversations N] [--runs N]`.

Seeds N conversations (default 100,000) over the last 90 days in bulk SQL: about six messages
each (customer and bot alternating; agents' replies and internal notes where a person took part),
bot replies with the details real ones carry (decision, outcome and entry, token usage on most)
and the outcome facts their conversations keep (a thumbs-up confirms; one in twenty comes back), a few hundred
conversations waiting and a couple of hundred assigned to a handful of operators, handovers of
every kind with their timestamps and recorded history, thumbs on some bot replies, CSAT on some
resolved conversations and operators' read marks; then VACUUM ANALYZE, as autovacuum would leave it,
and the metrics' daily roll-up of the settled days, as the daily maintenance stores it.

Then times each read the operator API makes, through the services on a warm pool: the inbox tabs,
a reason filter, a rare, a medium and a common search, one conversation in full, and the metrics for 7, 30
and 90 days; p50/p95 in ms against the goal p95 <= 100 ms. A read over the goal gets the
EXPLAIN (ANALYZE, BUFFERS) plan of each of its slow statements, captured as the service sends them.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# As in shared/embeddings/local.py: a second BLAS thread spins against Postgres on two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench.common import bench_database

GOAL_MS = 100.0
SECONDS_PER_READ = 90.0  # a read slower than this stops early, so a slow plan cannot stall the run
SLOW_STATEMENT_MS = 20.0  # statements of a slow read whose plans are printed
RARE, MEDIUM, COMMON = "chargeback", "warranty", "order"
Read = Callable[[int], object]  # one console read; gets the run's index
OPERATORS = ["Ana", "Ben", "Chloé", "Dev", "Emil", "Farah", "Gus", "Hana"]
KINDS = ["person", "person", "person", "frustration", "frustration", "unanswered", "unanswered", "model", "model"]
REASONS = {
    "person": "customer asked for a person",
    "frustration": "customer is frustrated: repeated complaint",
    "unanswered": "two questions in a row the help center could not answer",
    "model": "the assistant suggested a human",
    "agent": "an agent took over",
}
USER_TEXTS = [
    "Where is my order #{order}? It has not arrived yet.",
    "How do I return an item I bought last week?",
    "Can I change the delivery address on order #{order}?",
    "Do you ship to Canada, and how long does it take?",
    "My earbuds stopped charging after two days",
    "I forgot my password and the reset email never comes",
    "Can I pay with Apple Pay or PayPal?",
    "I was charged twice for order #{order}",
    "How long does the warranty last on the speaker?",
    "Please let me talk to a human",
    "This is the third time I ask and nobody helps me!",
    "Is the blue version back in stock soon?",
]
BOT_TEXTS = [
    "You can return any item within 30 days of delivery. Start a return from Orders in your account.",
    "Orders usually ship within one business day; you get a tracking link by email when your order leaves.",
    "We ship to the US, Canada and most of Europe. Delivery takes 3 to 7 business days.",
    "Try a different cable and charger first; if it still does not charge, we replace it under warranty.",
    "Use 'Forgot password' on the sign-in page; the email can take a few minutes, check your spam folder.",
    "We accept cards, Apple Pay, Google Pay and PayPal at checkout.",
]
NOT_COVERED = "I couldn't find that in our help center. Could you tell me a little more?"
HANDOVER = "I'm passing this to a teammate. Someone usually answers within 10 minutes."
AGENT_TEXT = "Thanks for waiting. I have looked at order #{order} and sorted it out; you will get an email shortly."
NOTE_TEXT = "Repeat customer, refund approved by finance. Follow up if the parcel is not delivered by Friday."
RARE_TEXT = f"I opened a {RARE} with my bank about order #{{order}} because nobody answered my emails"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    _temp_dirs_removed_at_exit()
    with bench_database():
        from shared.db.engine import get_engine

        seconds = seed(get_engine(), args.conversations)
        print(f"seeded {args.conversations:,} conversations in {seconds:.1f} s")
        print(describe(get_engine()))
        print(roll_up())
        print(f"\nconsole reads, up to {args.runs} runs each on a warm pool (goal: p95 <= {GOAL_MS:.0f} ms)")
        slow = []
        for name, read in reads(get_engine()):
            times = timed(read, args.runs)
            print(_row(name, times, read(0)), flush=True)
            if _p(times, 95) > GOAL_MS:
                slow.append((name, times, read))
        for name, times, read in slow:
            print(f"\n=== {name}: p95 {_p(times, 95):.1f} ms; its statements ===")
            explain(get_engine(), read)


def _temp_dirs_removed_at_exit() -> None:
    # bench_database deletes the embedded server's data folder at exit but not the folder made for
    # it; registered first, this runs after the server has stopped and removes that folder too.
    tempfile.tempdir = tempfile.mkdtemp(prefix="bench-console-")
    atexit.register(shutil.rmtree, tempfile.tempdir, ignore_errors=True)


# One row per conversation to seed: its shape (state, handover kind, length) and its times.
_PLAN = """
CREATE TEMP TABLE seed AS
WITH base AS (
    SELECT g,
           CASE WHEN mod(g, 1000) < 4 THEN 'waiting' WHEN mod(g, 1000) < 6 THEN 'assigned'
                WHEN random() < 0.35 THEN 'bot' ELSE 'resolved' END AS state,
           2 * (1 + floor(random() * 5)::int) AS n,
           random() AS r_kind, random() AS r_pick, random() AS r_time, random() < :rare_share AS rare,
           interval '1 second' * (60 + random() * 1800) AS wait,
           interval '1 minute' * (5 + random() * 1200) AS resolve_after,
           (SELECT array_agg(id ORDER BY email) FROM operators WHERE starts_with(email, 'bench-'))[
               1 + floor(random() * :operators)::int] AS op
    FROM generate_series(1, :n) g
), shaped AS (
    SELECT *,
           CASE WHEN state IN ('waiting', 'assigned') OR r_kind < 0.12
                THEN (CAST(:kinds AS text[]) || CAST('{agent}' AS text[]))[
                    1 + floor(r_pick * (cardinality(CAST(:kinds AS text[])) + (state <> 'waiting')::int))::int]
           END AS kind,
           CASE WHEN state IN ('waiting', 'assigned')
                THEN now() - interval '1 hour' - interval '2 days' * r_time
                ELSE now() - interval '1 day' - interval '89 days' * r_time END AS created_at
    FROM base
), timed AS (
    SELECT *, kind IS NOT NULL AND state <> 'waiting' AS human,
           created_at + interval '45 seconds' * (CASE WHEN state = 'waiting' THEN n - 1 ELSE greatest(n - 3, 0) END)
               AS handover_at,
           created_at + interval '45 seconds' * (n - 1) + wait AS human_reply_at
    FROM shaped
), totals AS (
    SELECT *, n + (human AND mod(g, 3) = 0)::int AS total,
           CASE WHEN human THEN human_reply_at + (mod(g, 3) = 0)::int * interval '2 minutes'
                ELSE created_at + interval '45 seconds' * (n - 1) END AS last_message_at
    FROM timed
)
SELECT *,
       gen_random_uuid() AS id,
       CASE WHEN state = 'resolved' THEN last_message_at + resolve_after END AS resolved_at,
       (SELECT coalesce(max(id), 0) FROM messages) + 1
           + sum(total) OVER (ORDER BY created_at, g) - total AS first_id
FROM totals
"""

_OPERATORS = """
INSERT INTO operators (email, display_name, role)
SELECT 'bench-' || i || '@example.com', (CAST(:names AS text[]))[i], CASE WHEN i = 1 THEN 'admin' ELSE 'agent' END
FROM generate_series(1, cardinality(CAST(:names AS text[]))) i
ON CONFLICT (lower(email)) DO NOTHING
"""

_SESSIONS = """
INSERT INTO chat_sessions (id, token_hash, state, handover_reason, handover_kind, waiting_since, assignee_id,
                           first_human_reply_at, resolved_at, contact_email, locale, attributes, created_at,
                           last_activity_at, first_user_message_at)
SELECT id, encode(sha256(CAST(id::text AS bytea)), 'hex'), state,
       CAST(:reasons AS jsonb)->>kind, kind,
       CASE WHEN kind IS NOT NULL AND kind <> 'agent' AND state <> 'bot' THEN handover_at END,
       CASE WHEN state = 'assigned' THEN op END,
       CASE WHEN human THEN human_reply_at END, resolved_at,
       CASE WHEN mod(g, 7) = 0 THEN 'customer' || g || '@example.com' END,
       (ARRAY['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES'])[1 + mod(g, 5)],
       jsonb_build_object('page', (ARRAY['/checkout', '/orders', '/help', '/'])[1 + mod(g, 4)], 'plan',
                          CASE WHEN mod(g, 3) = 0 THEN 'pro' ELSE 'free' END),
       created_at, coalesce(resolved_at, last_message_at), created_at
FROM seed ORDER BY created_at
"""


_MESSAGES = """
INSERT INTO messages (id, session_id, sender, content, reply_to_id, sources, details, created_at, operator_id,
                      internal)
OVERRIDING SYSTEM VALUE
SELECT s.first_id + j - 1, s.id,
       CASE WHEN r.role IN ('user', 'agent') THEN r.role WHEN r.role = 'note' THEN 'agent' ELSE 'bot' END,
       replace(CASE r.role
           WHEN 'user' THEN CASE WHEN j = 1 AND s.rare THEN :rare_text
                                 ELSE (CAST(:user_texts AS text[]))[
                                     1 + mod(s.g * 7 + j, cardinality(CAST(:user_texts AS text[])))] END
           WHEN 'agent' THEN :agent_text WHEN 'note' THEN :note_text WHEN 'handover' THEN :handover_text
           WHEN 'bot' THEN CASE WHEN d.decision = 'answered'
                                THEN (CAST(:bot_texts AS text[]))[
                                    1 + mod(s.g + j, cardinality(CAST(:bot_texts AS text[])))]
                                ELSE :not_covered END
       END, '{order}', CAST(100000 + s.g AS text)),
       CASE WHEN r.role IN ('bot', 'handover') THEN s.first_id + j - 2 END,
       CASE WHEN d.decision = 'answered' THEN coalesce(kb.sources[1 + mod(s.g + j, cardinality(kb.sources))], '[]')
            ELSE '[]' END,
       CASE WHEN d.decision IS NULL THEN '{}'
            ELSE jsonb_build_object('provider', CASE WHEN d.gemini THEN 'gemini' ELSE 'offline' END,
                                    'decision', d.decision, 'answered', d.decision = 'answered',
                                    'top_score', round(CAST(d.r * 0.45 + (d.decision = 'answered')::int * 0.45
                                                            AS numeric), 3),
                                    'threshold', 0.45,
                                    'degraded', false, 'guarded', false, 'outcome', d.outcome,
                                    'about', CASE d.outcome
                                        WHEN 'answered' THEN jsonb_build_array(
                                            kb.sources[1 + mod(s.g + j, cardinality(kb.sources))]->0->'id')
                                        WHEN 'suggested' THEN jsonb_build_array(
                                            kb.sources[1 + mod(s.g * 3 + j, cardinality(kb.sources))]->0->'id')
                                        ELSE '[]' END)
                 || CASE WHEN d.gemini THEN jsonb_build_object('usage', jsonb_build_object(
                        'model', 'gemini-2.5-flash', 'input_tokens', 900 + floor(d.r * 1600)::int,
                        'output_tokens', 40 + floor(d.r * 260)::int, 'latency_ms', 700 + floor(d.r * 2500)::int))
                    ELSE '{}' END
       END,
       s.created_at + interval '45 seconds' * (least(j, s.n) - 1)
           + CASE WHEN s.human AND j >= s.n THEN s.wait ELSE interval '0' END
           + CASE WHEN j > s.n THEN interval '2 minutes' ELSE interval '0' END,
       CASE WHEN r.role IN ('agent', 'note') THEN s.op END,
       r.role = 'note'
FROM seed s
CROSS JOIN (SELECT array_agg(jsonb_build_array(jsonb_build_object('id', id, 'question', question, 'url', url))
                             ORDER BY id) AS sources
            FROM kb_entries) kb
CROSS JOIN LATERAL generate_series(1, s.total) j
CROSS JOIN LATERAL (
    SELECT CASE WHEN j > s.n THEN 'note' WHEN mod(j, 2) = 1 THEN 'user' WHEN s.human AND j = s.n THEN 'agent'
                WHEN s.kind <> 'agent' AND (s.human AND j = s.n - 2 OR s.state = 'waiting' AND j = s.n)
                THEN 'handover' ELSE 'bot' END AS role
) r
CROSS JOIN LATERAL (
    SELECT CASE r.role WHEN 'handover' THEN 'handover'
                       WHEN 'bot' THEN CASE WHEN random() < 0.82 THEN 'answered' ELSE 'not_covered' END END AS decision,
           random() < 0.7 AS gemini, random() AS r
) d0
CROSS JOIN LATERAL (
    SELECT d0.*, CASE WHEN d0.decision = 'answered' THEN 'answered' WHEN d0.decision = 'not_covered'
                      THEN CASE WHEN d0.r < 0.5 THEN 'suggested' ELSE 'unknown' END END AS outcome
) d
ORDER BY 1
"""

# What the message- and reply-storing statements keep on each conversation, counted here from the seeded ones.
_COUNTERS = """
UPDATE chat_sessions s
SET bot_unanswered = m.unanswered, model_input_tokens = m.input_tokens, model_output_tokens = m.output_tokens,
    bot_answered = m.answered, bot_suggested = m.suggested, bot_unknown = m.unknown, topic = m.topic,
    last_answer_at = m.last_answer_at, last_answer_about = m.last_answer_about, customer_last_at = m.customer_last_at,
    first_response_seconds = CASE WHEN s.first_human_reply_at IS NOT NULL AND s.handover_started_at IS NOT NULL
        THEN greatest(0, extract(epoch FROM s.first_human_reply_at - s.handover_started_at)) END
FROM (SELECT session_id, count(*) FILTER (WHERE details->>'outcome' IN ('suggested', 'unknown')) AS unanswered,
             coalesce(sum((details->'usage'->>'input_tokens')::bigint), 0) AS input_tokens,
             coalesce(sum((details->'usage'->>'output_tokens')::bigint), 0) AS output_tokens,
             count(*) FILTER (WHERE details->>'outcome' = 'answered') AS answered,
             count(*) FILTER (WHERE details->>'outcome' = 'suggested') AS suggested,
             count(*) FILTER (WHERE details->>'outcome' = 'unknown') AS unknown,
             (array_agg(details->'about'->>0 ORDER BY id) FILTER (WHERE details->'about'->>0 IS NOT NULL))[1] AS topic,
             max(created_at) FILTER (WHERE sender = 'bot' AND details->>'outcome' = 'answered') AS last_answer_at,
             (array_agg(details->'about'->>0 ORDER BY id DESC)
                 FILTER (WHERE details->>'outcome' = 'answered'))[1] AS last_answer_about,
             max(created_at) FILTER (WHERE sender = 'user') AS customer_last_at
      FROM messages WHERE sender IN ('bot', 'user') GROUP BY session_id) m
WHERE m.session_id = s.id
"""

# Thumbs-ups confirm, ratings are kept on their conversation, and one bot-only conversation in twenty came back.
_OUTCOMES = """
UPDATE chat_sessions s
SET confirmed_at = (SELECT min(f.updated_at) FROM message_feedback f WHERE f.session_id = s.id AND f.rating = 'up'),
    returned_at = CASE WHEN r.back THEN s.last_answer_at + r.after END,
    returned_after_seconds = CASE WHEN r.back THEN extract(epoch FROM r.after) END
FROM (SELECT id, random() < 0.05 AS back, interval '1 hour' * (1 + random() * 240) AS after FROM chat_sessions) r
WHERE r.id = s.id AND s.handover_kind IS NULL AND s.bot_answered > 0
"""

_RATINGS = "UPDATE chat_sessions s SET csat = c.rating FROM csat_ratings c WHERE c.session_id = s.id"

_FEEDBACK = """
INSERT INTO message_feedback (message_id, session_id, rating, comment, updated_at)
SELECT id, session_id, CASE WHEN down THEN 'down' ELSE 'up' END,
       CASE WHEN down AND mod(id, 3) = 0 THEN 'That did not answer my question' END, created_at + interval '1 minute'
FROM (SELECT id, session_id, created_at, random() < 0.25 AS down
      FROM messages WHERE sender = 'bot' AND random() < 0.06) m
"""

_CSAT = """
INSERT INTO csat_ratings (session_id, rating, comment, created_at)
SELECT id, (ARRAY[1, 2, 3, 4, 4, 5, 5, 5, 5, 5])[1 + floor(random() * 10)::int],
       CASE WHEN mod(g, 4) = 0 THEN 'Thanks for the quick answer' END, resolved_at + interval '2 minutes'
FROM seed WHERE state = 'resolved' AND random() < 0.2
"""

_EVENTS = """
INSERT INTO conversation_events (session_id, from_state, to_state, event, reason, operator_id, created_at)
SELECT id, from_state, to_state, event, reason, operator_id, at FROM (
    SELECT id, 'bot' AS from_state, 'waiting' AS to_state, 'handover' AS event,
           CAST(:reasons AS jsonb)->>kind AS reason, CAST(NULL AS uuid) AS operator_id, handover_at AS at
    FROM seed WHERE kind <> 'agent'
    UNION ALL
    SELECT id, CASE WHEN kind = 'agent' THEN 'bot' ELSE 'waiting' END, 'assigned', 'take_over', 'an agent replied',
           op, human_reply_at - interval '10 seconds'
    FROM seed WHERE human
    UNION ALL
    SELECT id, 'assigned', 'bot', 'hand_back', 'handed back to the bot', op, last_message_at
    FROM seed WHERE human AND state = 'bot'
    UNION ALL
    SELECT id, CASE WHEN human THEN 'assigned' ELSE 'bot' END, 'resolved', 'resolve',
           CASE WHEN human THEN 'resolved by an agent' END, CASE WHEN human THEN op END, resolved_at
    FROM seed WHERE state = 'resolved'
) e ORDER BY at
"""

_READS = """
INSERT INTO operator_reads (operator_id, session_id, last_read_message_id)
SELECT op, id, first_id + total - 1 FROM seed WHERE human
UNION ALL
SELECT (SELECT id FROM operators WHERE email = 'bench-1@example.com'), id, greatest(first_id, first_id + n - 3)
FROM seed WHERE state = 'waiting' AND mod(g, 2) = 0
ON CONFLICT DO NOTHING
"""

_SUMMARIES = """
INSERT INTO session_summaries (session_id, content)
SELECT id, 'The customer asked about order #' || (100000 + g) || ' and a return. Handed over: '
           || (CAST(:reasons AS jsonb)->>kind) || '.'
FROM seed WHERE kind IS NOT NULL
"""

_SEQUENCE = "SELECT setval(pg_get_serial_sequence('messages', 'id'), (SELECT max(id) FROM messages))"


def seed(engine: sa.Engine, conversations: int) -> float:
    """Fill the database with `conversations` conversations and everything around them; returns seconds."""
    params = {
        "n": conversations,
        "names": OPERATORS,
        "operators": len(OPERATORS),
        "kinds": KINDS,
        "reasons": json.dumps(REASONS),
        "rare_share": 1 / 2000,
        "rare_text": RARE_TEXT,
        "user_texts": USER_TEXTS,
        "bot_texts": BOT_TEXTS,
        "agent_text": AGENT_TEXT,
        "note_text": NOTE_TEXT,
        "handover_text": HANDOVER,
        "not_covered": NOT_COVERED,
    }
    steps = [
        _OPERATORS,
        _PLAN,
        _SESSIONS,
        _MESSAGES,
        _COUNTERS,
        _FEEDBACK,
        _CSAT,
        _OUTCOMES,
        _RATINGS,
        _EVENTS,
        _READS,
        _SUMMARIES,
        _SEQUENCE,
    ]
    began = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT setseed(0.42)"))
        for sql in steps:
            names = set(sa.text(sql).compile().params)
            conn.execute(sa.text(sql), {k: v for k, v in params.items() if k in names})
        conn.execute(sa.text("DROP TABLE seed"))
        conn.execute(sa.text("VACUUM ANALYZE"))
    return time.perf_counter() - began


def roll_up() -> str:
    """Store the settled days' metrics, as the daily purge_expired does; says how long it took."""
    from shared.services.maintenance import roll_up_settled

    began = time.perf_counter()
    days = roll_up_settled()
    return f"rolled up the metrics of {days} settled days in {time.perf_counter() - began:.1f} s"


def describe(engine: sa.Engine) -> str:
    """The database's size, and what the inbox holds."""
    with engine.connect() as conn:
        size = conn.execute(sa.text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar()
        messages = conn.execute(sa.text("SELECT count(*) FROM messages")).scalar()
        states = conn.execute(sa.text("SELECT state, count(*) FROM chat_sessions GROUP BY state ORDER BY state"))
        by_state = ", ".join(f"{state} {n:,}" for state, n in states)
        matches = {
            word: conn.execute(
                sa.text("SELECT count(DISTINCT session_id) FROM messages WHERE content ILIKE :p"), {"p": f"%{word}%"}
            ).scalar()
            for word in (RARE, MEDIUM, COMMON)
        }
    found = ", ".join(f"{word!r} in {n:,}" for word, n in matches.items())
    return f"database size {size}\n{messages:,} messages; conversations {by_state}; searched words: {found}"


def reads(engine: sa.Engine) -> list[tuple[str, Read]]:
    """Every read the console makes, through the services, as (name, call with the run's index)."""
    from shared.db.operators import OperatorRow
    from shared.schemas.console import ConversationsQuery, MetricsQuery
    from shared.services import inbox, metrics

    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT id, email, display_name, role, active, created_at FROM operators "
                "WHERE email = 'bench-1@example.com'"
            )
        ).one()
        ids = list(conn.execute(sa.text("SELECT id FROM chat_sessions ORDER BY random() LIMIT 1000")).scalars())
    me = OperatorRow(*row)

    def listing(**query: Any) -> Read:
        return lambda _: inbox.list_conversations(ConversationsQuery(**query), operator=me)

    now = datetime.now(UTC)

    def second_page(state: str) -> str | None:
        return inbox.list_conversations(ConversationsQuery(state=state), operator=me).next_cursor

    def report(days: int) -> Read:
        return lambda _: metrics.report(MetricsQuery.model_validate({"from": now - timedelta(days=days), "to": now}))

    return [
        ("inbox: Waiting tab", listing(state="waiting")),
        ("inbox: Mine", listing(state="assigned", assigned="me")),
        ("inbox: All open", listing(state="open")),
        ("inbox: Resolved, first page", listing(state="resolved")),
        ("inbox: Waiting, page 2 (cursor)", listing(state="waiting", cursor=second_page("waiting"))),
        ("inbox: Resolved, page 2 (cursor)", listing(state="resolved", cursor=second_page("resolved"))),
        ("inbox: Resolved, reason=frustration", listing(state="resolved", reason="frustration")),
        ("inbox: Open, reason=person", listing(state="open", reason="person")),
        (f"inbox: Resolved, q={RARE} (rare)", listing(state="resolved", q=RARE)),
        (f"inbox: Resolved, q={COMMON} (common)", listing(state="resolved", q=COMMON)),
        (f"inbox: Open, q={MEDIUM} (medium)", listing(state="open", q=MEDIUM)),
        (f"inbox: Open, q={COMMON} (common)", listing(state="open", q=COMMON)),
        ("conversation detail (random ids)", lambda i: inbox.conversation(ids[i % len(ids)], operator=me)),
        ("metrics: last 7 days", report(7)),
        ("metrics: last 30 days", report(30)),
        ("metrics: last 90 days", report(90)),
    ]


def timed(read: Read, runs: int) -> list[float]:
    """`read` called `runs` times after a warm-up (or for SECONDS_PER_READ at most), in ms."""
    for i in range(min(5, runs)):
        read(i)  # warm the pool, the caches and the planner's view of the pages
    times: list[float] = []
    started = time.perf_counter()
    for i in range(runs):
        began = time.perf_counter()
        read(i)
        times.append((time.perf_counter() - began) * 1000)
        if time.perf_counter() - started > SECONDS_PER_READ:
            break
    return times


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def _row(name: str, times: list[float], answer: object) -> str:
    verdict = "ok" if _p(times, 95) <= GOAL_MS else "OVER"
    found = getattr(answer, "conversations", None)
    shown = f", {len(found)} listed" if isinstance(found, list) else ""
    return (
        f"{name:<40} p50 {statistics.median(times):8.1f} ms   p95 {_p(times, 95):8.1f} ms   "
        f"{verdict:<4} ({len(times)} runs{shown})"
    )


@contextmanager
def captured(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) sent to the driver while inside, as SQLAlchemy hands them over."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)


def explain(engine: sa.Engine, read: Read) -> None:
    """Run `read` once, then print the plan of each of its reads slower than SLOW_STATEMENT_MS."""
    with captured(engine) as statements:
        read(0)
    with engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue  # mark_read writes; EXPLAIN ANALYZE would run it
            plan = [line for (line,) in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
            ms = float(plan[-1].split(":")[1].split()[0])
            head = " ".join(statement.split())[:110]
            if ms < SLOW_STATEMENT_MS:
                print(f"\n-- {ms:.1f} ms: {head} ...")
                continue
            print(f"\n-- {ms:.1f} ms: {head} ...\n" + "\n".join(plan))


if __name__ == "__main__":
    main()
