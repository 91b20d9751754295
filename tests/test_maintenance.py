"""Retention: purge_expired erases idle sessions in batches and is safe to run twice."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import new_session


def _age(db, session_id, days: int) -> None:
    db.execute(
        sa.text("UPDATE chat_sessions SET last_activity_at = now() - make_interval(days => :d) WHERE id = :id"),
        {"d": days, "id": session_id},
    )


def _exists(db, session_id) -> bool:
    return db.execute(sa.text("SELECT count(*) FROM chat_sessions WHERE id = :id"), {"id": session_id}).scalar() == 1


def test_purge_erases_sessions_idle_past_retention_with_their_messages(function_client, db, settings_env):
    settings_env(RETENTION_DAYS="30", PURGE_BATCH_SIZE="2")
    old = [new_session() for _ in range(5)]
    recent = new_session()
    function_client("post_message").post(
        "/", json={"session_id": str(old[0].id), "content": "hello"}, headers=old[0].auth
    )
    for session in old:
        _age(db, session.id, 31)
    _age(db, recent.id, 29)
    response = function_client("purge_expired").post("/")
    assert response.status_code == 200
    assert response.json["deleted_sessions"] >= 5
    assert response.json["retention_days"] == 30
    assert not any(_exists(db, s.id) for s in old)
    assert _exists(db, recent.id)
    messages = db.execute(sa.text("SELECT count(*) FROM messages WHERE session_id = :id"), {"id": old[0].id})
    assert messages.scalar() == 0
    again = function_client("purge_expired").post("/")
    assert again.status_code == 200 and again.json["deleted_sessions"] == 0
