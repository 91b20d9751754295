"""Handover replies tell the truth about support hours; out of hours an email can be left; CSAT after resolving."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from shared.core.settings import Settings
from shared.handover.reply import handover_text
from tests.factories import new_operator, new_session

MONDAY_NOON_NY = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
SATURDAY_NOON_NY = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)


MAIL = {"smtp_host": "127.0.0.1", "smtp_from": "support@shop.example", "support_page_url": "https://shop.example/help"}


def _settings(**values: str) -> Settings:
    return Settings(support_time_zone="America/New_York", support_weekly_hours="mon-fri 09:00-18:00", **values)


def test_while_open_the_reply_promises_a_person_within_the_typical_wait():
    text = handover_text(_settings(), now=MONDAY_NOON_NY, already=False, typical_minutes=None)
    assert "A teammate will reply right here, usually within 15 minutes." in text
    measured = handover_text(_settings(), now=MONDAY_NOON_NY, already=False, typical_minutes=3.2)
    assert "within 4 minutes" in measured


def test_while_closed_the_reply_says_when_the_team_is_back_and_offers_email():
    text = handover_text(_settings(**MAIL), now=SATURDAY_NOON_NY, already=False, typical_minutes=None)
    assert "We're closed right now and back Monday at 9:00 EST." in text
    assert "Leave your email address and we'll send the answer there" in text


@pytest.mark.parametrize("language", ["en", "fr", "es", "de", "it", "pt", "nl"])
def test_without_smtp_the_closed_reply_promises_no_email(language):
    text = handover_text(_settings(), now=SATURDAY_NOON_NY, already=False, typical_minutes=None, language=language)
    emailed = handover_text(
        _settings(**MAIL), now=SATURDAY_NOON_NY, already=False, typical_minutes=None, language=language
    )
    for word in ("mail", "correo"):
        assert word not in text.lower()
    assert text != emailed and text.endswith(
        ("saved.", "enregistrée.", "guardada.", "gespeichert.", "salvata.", "bewaard.")
    )


def test_a_holiday_moves_the_promised_return():
    settings = _settings(support_closed_dates="2026-11-30")
    text = handover_text(settings, now=SATURDAY_NOON_NY, already=False, typical_minutes=None)
    assert "back Tuesday at 9:00 EST" in text


@pytest.mark.parametrize(
    "language, open_words, closed_words",
    [
        ("fr", "en général en moins de 15 minutes", "de retour lundi à 9:00 EST"),
        ("es", "normalmente en menos de 15 minutos", "volvemos el lunes a las 9:00 EST"),
        ("de", "meist innerhalb von 15 Minuten", "Montag um 9:00 EST wieder da"),
        ("it", "di solito entro 15 minuti", "torniamo lunedì alle 9:00 EST"),
        ("pt", "normalmente em menos de 15 minutos", "voltamos segunda-feira às 9:00 EST"),
        ("nl", "meestal binnen 15 minuten", "maandag om 9:00 EST weer bereikbaar"),
    ],
)
def test_the_handover_reply_speaks_the_customers_language(language, open_words, closed_words):
    opened = handover_text(_settings(), now=MONDAY_NOON_NY, already=False, typical_minutes=None, language=language)
    closed = handover_text(_settings(), now=SATURDAY_NOON_NY, already=False, typical_minutes=None, language=language)
    assert open_words in opened
    assert closed_words in closed


@pytest.mark.parametrize(
    "language, first_words",
    [
        ("en", "For your safety"),
        ("fr", "Pour votre sécurité"),
        ("es", "Por su seguridad"),
        ("de", "Zu Ihrer Sicherheit"),
        ("it", "Per la sua sicurezza"),
        ("pt", "Para sua segurança"),
        ("nl", "Voor uw veiligheid"),
    ],
)
def test_a_safety_handover_first_says_what_to_do_meanwhile_open_or_closed(language, first_words):
    for now in (MONDAY_NOON_NY, SATURDAY_NOON_NY):
        text = handover_text(
            _settings(), now=now, already=False, typical_minutes=None, language=language, kind="safety"
        )
        assert text.startswith(first_words)


def test_other_kinds_of_handover_open_with_the_team_not_a_warning():
    for kind in ("person", "frustration", "legal"):
        text = handover_text(_settings(), now=MONDAY_NOON_NY, already=False, typical_minutes=None, kind=kind)
        assert text.startswith("I've asked a member of the")


def test_a_french_request_for_a_person_is_answered_in_french(function_client):
    session = new_session(locale="fr")
    reply = _post(function_client, session, "Je voudrais parler à un conseiller, s'il vous plaît").json["reply"]
    assert "J'ai demandé à un membre de l'équipe" in reply["content"]


def test_bad_support_hours_fail_at_start_naming_the_problem():
    with pytest.raises(ValueError, match="9-18"):
        Settings(support_weekly_hours="mon 9-18")


def _post(function_client, session, content):
    body = {"session_id": str(session.id), "content": content}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def test_out_of_hours_the_customer_may_leave_an_email_that_is_erased_with_the_conversation(
    function_client, settings_env, db
):
    settings_env(SUPPORT_WEEKLY_HOURS="mon-sun closed", **{name.upper(): value for name, value in MAIL.items()})
    session = new_session()
    handed = _post(function_client, session, "I want to talk to a person").json
    assert "We're closed right now" in handed["reply"]["content"]
    assert handed["session"]["offer_contact"] is True
    bad = function_client("post_contact").post(
        "/", json={"session_id": str(session.id), "email": "not an email"}, headers=session.auth
    )
    assert bad.status_code == 422
    left = function_client("post_contact").post(
        "/", json={"session_id": str(session.id), "email": "jane@example.com"}, headers=session.auth
    )
    assert left.status_code == 204
    view = function_client("get_messages").get(f"/?session_id={session.id}", headers=session.auth).json
    assert view["session"]["offer_contact"] is False
    agent = new_operator()
    detail = function_client("operator_api").get(f"/conversations/{session.id}", headers=agent.auth).json
    assert detail["contact_email"] == "jane@example.com"
    function_client("delete_session").post("/", json={"session_id": str(session.id)}, headers=session.auth)
    assert db.execute(sa.text("SELECT count(*) FROM chat_sessions WHERE contact_email = 'jane@example.com' "
                              "AND id = :s"), {"s": session.id}).scalar() == 0  # fmt: skip


def test_a_resolved_conversation_can_be_rated_once_and_the_console_shows_it(function_client):
    session, agent = new_session(), new_operator()
    rate = function_client("post_csat")
    body = {"session_id": str(session.id), "rating": 5, "comment": "Quick and kind"}
    assert rate.post("/", json=body, headers=session.auth).status_code == 409  # not resolved yet
    _post(function_client, session, "agent please")
    function_client("operator_api").post(
        f"/conversations/{session.id}/actions", json={"action": "resolve"}, headers=agent.auth
    )
    assert rate.post("/", json={**body, "rating": 6}, headers=session.auth).status_code == 422
    assert rate.post("/", json=body, headers=session.auth).status_code == 204
    detail = function_client("operator_api").get(f"/conversations/{session.id}", headers=agent.auth).json
    assert detail["csat"] == {"rating": 5, "comment": "Quick and kind"}
    items = function_client("operator_api").get("/conversations?state=resolved&limit=200", headers=agent.auth).json
    assert next(c for c in items["conversations"] if c["id"] == str(session.id))["csat"] == 5
