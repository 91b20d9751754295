"""No log line carries customer text, a token or its hash, whatever fails on the way."""

from __future__ import annotations

import json
import logging
import secrets

import pytest

from shared.answering import use_provider
from shared.answering.types import AnswerRequest, AnswerStream
from shared.auth.tokens import hash_token
from shared.db.engine import reset_engine
from shared.web.log_safety import CustomerTextFilter, safe_traceback, scrub
from tests.factories import new_session


@pytest.fixture
def canary() -> str:
    return f"canary-{secrets.token_hex(6)}"


@pytest.fixture
def log_text(capsys):
    """Everything the process wrote to stdout and stderr during the test, as one string."""
    capsys.readouterr()

    def read() -> str:
        out, err = capsys.readouterr()
        return out + err

    return read


def _post(function_client, session, content, **extra):
    body = {"session_id": str(session.id), "content": content, **extra}
    return function_client("post_message").post("/", json=body, headers=session.auth)


def _assert_clean(text: str, *secrets_: str) -> None:
    for secret in secrets_:
        assert secret not in text, f"{secret!r} reached the log"


class ExplodingProvider:
    """A provider whose failure message quotes the customer, as careless library code might."""

    name = "exploding"

    def stream(self, request: AnswerRequest) -> AnswerStream:
        raise RuntimeError(f"could not answer {request.question!r}")
        yield ""

    def summarize(self, request):
        raise RuntimeError(f"could not summarise {request.transcript[0].content!r}")


def test_unstorable_input_leaves_no_customer_text_in_logs(function_client, chat_session, log_text, canary):
    response = function_client("post_message").post(
        "/",
        data=json.dumps({"session_id": str(chat_session.id), "content": f"{canary}\u0000 4111 1111 1111 1111"}),
        content_type="application/json",
        headers=chat_session.auth,
    )
    assert response.status_code == 422
    _assert_clean(log_text(), canary, "4111 1111", chat_session.token, hash_token(chat_session.token))


def test_a_failing_provider_leaves_no_customer_text_in_logs(function_client, chat_session, log_text, canary):
    with use_provider(ExplodingProvider()):
        response = _post(function_client, chat_session, f"my order {canary} is late")
        summary = function_client("summarize_session").post(
            "/", json={"session_id": str(chat_session.id)}, headers=chat_session.auth
        )
    assert response.status_code == 200 and summary.status_code == 200
    text = log_text()
    assert "stack_trace" in text and "RuntimeError" in text
    _assert_clean(text, canary, chat_session.token, hash_token(chat_session.token))


def test_model_failures_leave_no_customer_text_in_logs(function_client, chat_session, fake_gemini, log_text, canary):
    for mode in ("500", "malformed", "blocked"):
        fake_gemini.mode = mode
        assert _post(function_client, chat_session, f"where is {canary} {mode}").status_code == 200
    _assert_clean(log_text(), canary, chat_session.token, hash_token(chat_session.token))


def test_database_outage_leaves_no_customer_text_in_logs(function_client, settings_env, log_text, canary):
    session = new_session()
    settings_env(DATABASE_URL="postgresql+pg8000://nobody@127.0.0.1:9/nowhere", DB_POOL_TIMEOUT_SECONDS="1")
    reset_engine()
    try:
        response = _post(function_client, session, f"refund {canary}")
    finally:
        reset_engine()
    assert response.status_code == 503
    _assert_clean(log_text(), canary, session.token, hash_token(session.token))


def test_summary_racing_erasure_leaves_no_customer_text_in_logs(function_client, chat_session, log_text, canary):
    from tests.api.test_summaries import ErasingProvider
    from tests.factories import new_operator

    _post(function_client, chat_session, f"about {canary}")
    agent = new_operator()
    with use_provider(ErasingProvider(chat_session.id)):  # the agents' summary is the one a model writes
        response = function_client("operator_api").post(f"/conversations/{chat_session.id}/summary", headers=agent.auth)
    assert response.status_code == 404
    _assert_clean(log_text(), canary, chat_session.token, hash_token(chat_session.token))


def test_the_filter_masks_what_foreign_code_puts_in_messages_and_tracebacks(canary):
    token = secrets.token_urlsafe(32)
    record = logging.LogRecord("sqlalchemy.engine", logging.ERROR, __file__, 1, "failed: %s", (canary,), None)
    try:
        raise ValueError(f"parameters: {canary} {hash_token(token)}")
    except ValueError as exc:
        record.exc_info = (ValueError, exc, exc.__traceback__)
    record.extra_field = f"jane@example.com {token}"
    CustomerTextFilter().filter(record)
    rendered = json.dumps({k: str(v) for k, v in vars(record).items()})
    _assert_clean(rendered, canary, token, hash_token(token), "jane@example.com")
    assert "ValueError" in record.stack_trace


def test_scrub_masks_tokens_hashes_and_personal_data_but_keeps_ordinary_words():
    token = secrets.token_urlsafe(32)
    text = scrub(f"{token} {hash_token(token)} jane@example.com 4111 1111 1111 1111 order 12345 function_name")
    assert token not in text and hash_token(token) not in text
    assert "[email]" in text and "[card number]" in text and "order 12345 function_name" in text


def test_safe_traceback_keeps_our_own_error_wording():
    from shared.core import errors

    try:
        raise errors.Conflict("This conversation is closed.")
    except errors.Conflict as exc:
        assert "This conversation is closed." in safe_traceback(exc)


def test_gaps_drafts_approvals_and_checks_leave_no_customer_text_in_logs(
    function_client, chat_session, log_text, canary
):
    from shared.knowledge.sync import sync_file
    from tests.factories import new_operator

    admin = new_operator("admin")
    api = function_client("operator_api")
    question = f"can you recommend a pizza place {canary}"
    reply = _post(function_client, chat_session, question).json["reply"]
    rating = {"session_id": str(chat_session.id), "message_id": reply["id"], "rating": "down"}
    function_client("post_feedback").post("/", json=rating, headers=chat_session.auth)  # a gap whatever it answered
    groups = api.get("/kb/gaps", headers=admin.auth).json["groups"]
    ids = next(g["message_ids"] for g in groups if question in g["examples"])
    api.post("/kb/gaps/draft", json={"message_ids": ids}, headers=admin.auth)
    api.post("/kb/check", json={"question": f"pizza {canary}?", "answer": canary}, headers=admin.auth)
    api.post("/kb/gaps/approve", json={"message_ids": [reply["id"]], "entry_id": "warranty"}, headers=admin.auth)
    api.post("/kb/gaps/approve", json={"message_ids": ids, "entry_id": "no-such-entry"}, headers=admin.auth)
    api.post("/kb/try", json={"question": question}, headers=admin.auth)
    try:
        _assert_clean(log_text(), canary, admin.token, hash_token(admin.token))
    finally:
        sync_file(force=True)
