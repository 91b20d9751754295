"""The schema: the migrations build exactly what the models describe, and carry existing rows across."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db.engine import get_engine
from shared.db.migrate import alembic_config
from shared.db.models import Base


def test_the_migrated_schema_is_exactly_what_the_models_describe(db):
    differences = compare_metadata(MigrationContext.configure(db), Base.metadata)
    # The knowledge sync makes one HNSW index per vector size in use; the models cannot list them.
    assert [d for d in differences if not (d[0] == "remove_index" and "_hnsw_" in d[1].name)] == []


def test_the_migration_maps_old_statuses_onto_states_and_back(scratch_database):
    command.upgrade(alembic_config(), "0005")
    with get_engine().connect() as conn:
        for status in ("open", "escalated", "closed"):
            conn.execute(
                sa.text("INSERT INTO chat_sessions (id, token_hash, status) VALUES (gen_random_uuid(), :s, :s)"),
                {"s": status},
            )
    command.upgrade(alembic_config(), "head")
    with get_engine().connect() as conn:
        states = dict(conn.execute(sa.text("SELECT token_hash, state FROM chat_sessions")).all())
    assert states == {"open": "bot", "escalated": "waiting", "closed": "resolved"}
    command.downgrade(alembic_config(), "0005")
    with get_engine().connect() as conn:
        statuses = dict(conn.execute(sa.text("SELECT token_hash, status FROM chat_sessions")).all())
    assert statuses == {"open": "open", "escalated": "escalated", "closed": "open"}


def test_existing_replies_are_counted_onto_their_conversations_for_the_metrics(scratch_database):
    command.upgrade(alembic_config(), "0007")
    replies = [
        {"decision": "answered", "usage": {"input_tokens": 900, "output_tokens": 40}},
        {"decision": "not_covered", "usage": {"input_tokens": 700, "output_tokens": 30}},
        {"decision": "not_covered"},
        {"decision": "handover"},
    ]
    with get_engine().begin() as conn:
        session_id = conn.execute(
            sa.text("INSERT INTO chat_sessions (id, token_hash) VALUES (gen_random_uuid(), 'h') RETURNING id")
        ).scalar_one()
        for details in replies:
            conn.execute(
                sa.text(
                    "INSERT INTO messages (session_id, sender, content, details) "
                    "VALUES (:s, 'bot', 'reply', CAST(:d AS jsonb))"
                ),
                {"s": session_id, "d": json.dumps(details)},
            )
    command.upgrade(alembic_config(), "head")
    with get_engine().connect() as conn:
        counters = conn.execute(
            sa.text("SELECT bot_unanswered, model_input_tokens, model_output_tokens FROM chat_sessions")
        ).one()
    assert tuple(counters) == (2, 1600, 70)
