"""The daily roll-up of settled days: every figure equals the direct scan's, and a late event restales its day."""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from shared.db import metrics
from shared.db.engine import connection, transaction
from shared.services.metrics import roll_up
from tests.api.test_metrics import _metrics, _moved_to_a_range_of_their_own, _post
from tests.factories import new_operator, new_session

QUESTION = "Can I return something I bought?"


def _placed(sessions, days_ago: float) -> None:
    """Move these conversations' times back by about `days_ago` days (a few random minutes more)."""
    now = datetime.now(UTC)
    back = timedelta(days=days_ago, minutes=secrets.randbelow(30))
    _moved_to_a_range_of_their_own(sessions, now, now, elsewhere=now - back)


def _thumbs_up(function_client, session, reply) -> None:
    body = {"session_id": str(session.id), "message_id": reply["id"], "rating": "up"}
    function_client("post_feedback").post("/", json=body, headers=session.auth)


def _mixed_conversations(function_client, agent) -> list:
    """Answered, confirmed, taken back, unanswered, handed over and rated conversations."""
    api = function_client("operator_api")
    answered, confirmed, taken_back, unanswered, handed, closed = (new_session() for _ in range(6))
    _post(function_client, answered, QUESTION)
    for session in (confirmed, taken_back):
        _thumbs_up(function_client, session, _post(function_client, session, QUESTION).json["reply"])
    _post(function_client, taken_back, f"{QUESTION} It still does not work")
    _post(function_client, unanswered, "What's the weather in Paris?")
    _post(function_client, handed, "I want to talk to a person")
    api.post(f"/conversations/{handed.id}/messages", json={"content": "Hello!"}, headers=agent.auth)
    _post(function_client, closed, "How long does shipping take?")
    for session, rating in ((handed, 2), (closed, 5)):
        api.post(f"/conversations/{session.id}/actions", json={"action": "resolve"}, headers=agent.auth)
        body = {"session_id": str(session.id), "rating": rating}
        function_client("post_csat").post("/", json=body, headers=session.auth)
    return [answered, confirmed, taken_back, unanswered, handed, closed]


def _seeded_over_days(function_client, agent, offsets: tuple[float, ...]) -> dict[float, list]:
    """Mixed conversations placed each of these numbers of days ago, by days ago."""
    placed = {}
    for days_ago in offsets:
        sessions = _mixed_conversations(function_client, agent)
        _placed(sessions, days_ago)
        placed[days_ago] = sessions
    return placed


def _both_ways(start: datetime, end: datetime) -> tuple[dict, dict, list[date]]:
    """The figures read with the stored days, and scanned directly; and the days stored."""
    first, last = start.date() + timedelta(days=1), end.date() - timedelta(days=1)
    with connection() as conn:
        days = [d for (d,) in conn.execute(
            sa.text("SELECT day FROM metrics_daily WHERE day BETWEEN :f AND :l AND computed_at IS NOT NULL"),
            {"f": first, "l": last})]  # fmt: skip
        return (
            metrics.figures(conn, start=start, end=end, days=days),
            metrics.figures(conn, start=start, end=end, days=[]),
            days,
        )


def _read(function_client, agent, start: datetime, end: datetime) -> dict:
    query = {"from": start.isoformat().replace("+00:00", "Z"), "to": end.isoformat().replace("+00:00", "Z")}
    response = _metrics(function_client, agent, **query)
    assert response.status_code == 200
    return response.json


def _day_of(session) -> dict:
    with connection() as conn:
        return (
            conn.execute(
                sa.text("""
                SELECT m.* FROM metrics_daily m JOIN chat_sessions s
                    ON m.day = (s.created_at AT TIME ZONE 'UTC')::date WHERE s.id = :id
            """),
                {"id": session.id},
            )
            .one()
            ._asdict()
        )


def test_rolled_up_days_give_every_figure_the_direct_scan_gives(function_client):
    agent = new_operator()
    # Settled days (two conversations of each kind on one of them) and recent ones.
    placed = _seeded_over_days(function_client, agent, (15.2, 12.4, 12.5, 10.3, 3.1, 0.4))
    now = datetime.now(UTC)
    # From a midnight: every placed day is whole in the range, so rolled up, whatever the time of day.
    start, end = datetime.combine((now - timedelta(days=17)).date(), time(), tzinfo=UTC), now
    read = _read(function_client, agent, start, end)  # stores the settled days it reads
    rolled, direct, days = _both_ways(start, end)
    assert rolled == direct
    settled_days = {_day_of(placed[d][0])["day"] for d in (15.2, 12.4, 10.3)}
    assert settled_days <= set(days)
    assert read["conversations"] == direct["conversations"] >= 36
    assert {day["day"][:10] for day in read["outcomes_by_day"]} >= {d.isoformat() for d in settled_days}
    assert read["topics"] and read["median_resolution_seconds"] is not None
    assert read["confirmed_resolutions"] > 0 and read["resolutions_taken_back"] > 0
    assert read["assumed_resolutions"] > 0 and read["durable_resolution_rate"] is not None


def test_a_late_event_on_a_settled_day_is_counted_at_once(function_client):
    agent = new_operator()
    # Days more than 24 hours from the other test's settled ones: the late events keep to their own.
    placed = _seeded_over_days(function_client, agent, (13.9, 9.1, 2.2))
    now = datetime.now(UTC)
    start, end = now - timedelta(days=16), now
    _read(function_client, agent, start, end)
    answered, unanswered = placed[9.1][0], placed[13.9][3]
    assert _day_of(answered)["computed_at"] is not None
    # The customer of a settled day comes back: the day's figures depend on the clock again, for a week.
    _post(function_client, answered, f"{QUESTION} It still does not work")
    assert _day_of(answered)["computed_at"] is None
    before = _read(function_client, agent, start, end)
    stale = _day_of(answered)
    assert stale["computed_at"] is None and stale["settles_at"] > now + timedelta(days=6)
    # A late close and rating: the day is stored again, with them.
    api = function_client("operator_api")
    api.post(f"/conversations/{unanswered.id}/actions", json={"action": "resolve"}, headers=agent.auth)
    body = {"session_id": str(unanswered.id), "rating": 1}
    assert function_client("post_csat").post("/", json=body, headers=unanswered.auth).status_code == 204
    assert _day_of(unanswered)["computed_at"] is None
    after = _read(function_client, agent, start, end)
    assert _day_of(unanswered)["computed_at"] is not None
    assert after["csat_bot_only_responses"] == before["csat_bot_only_responses"] + 1
    rolled, direct, _ = _both_ways(start, end)
    assert rolled == direct


def test_a_day_being_rolled_up_waits_for_a_write_to_its_conversations(function_client):
    agent = new_operator()
    [session, *_] = sessions = _mixed_conversations(function_client, agent)
    _placed(sessions, 20 + secrets.randbelow(300))
    day = _day_of(session)["day"]
    stored: list[int] = []
    with transaction() as writer:
        writer.execute(sa.text("UPDATE chat_sessions SET csat = 3 WHERE id = :id"), {"id": session.id})
        filling = threading.Thread(target=lambda: stored.append(roll_up(first=day, last=day)))
        filling.start()
        filling.join(timeout=1)
        assert filling.is_alive()  # waiting for the writer's lock on the day
    filling.join(timeout=30)
    assert stored == [1]
    begins = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    with connection() as conn:
        rolled, direct = (
            metrics.figures(conn, start=begins, end=begins + timedelta(days=1), days=days) for days in ([day], [])
        )
        assert rolled == direct
