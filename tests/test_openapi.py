"""openapi.json: current, complete, valid OpenAPI 3.1, and what the running functions answer (fuzzed)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

import main
from devtools import openapi
from shared import errors
from shared.db.engine import reset_engine
from shared.settings import PROJECT_ROOT

DOCUMENT = PROJECT_ROOT / "openapi.json"
# An answer the document lists: its status, content type, body (each event of a stream too) and headers.
DOCUMENTED = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# ... never a 5xx, and a method the document does not list is a 405 with `Allow` (the coverage phase tries them).
CONFORMS = [not_a_server_error, *DOCUMENTED, unsupported_method]
SCHEMA = schemathesis.openapi.from_path(
    DOCUMENT,
    config=schemathesis.Config.from_dict(
        {"cache": {"enabled": False}, "generation": {"database": "none"}, "phases": {"stateful": {"enabled": False}}}
    ),
)
PATHS = json.loads(DOCUMENT.read_text(encoding="utf-8"))["paths"]
OPERATIONS = [(path, method.upper()) for path, item in PATHS.items() for method in item]
CALLS = [(path, method) for path, method in OPERATIONS if method != "OPTIONS"]
BODY_CALLS = [(path, method) for path, method in CALLS if method == "POST"]
NO_LIMITS = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "0",
    "RATE_LIMIT_SESSIONS_PER_DAY": "0",
    "RATE_LIMIT_MESSAGES_PER_MINUTE": "0",
    "RATE_LIMIT_SESSION_TOKENS_PER_DAY": "0",
    "RATE_LIMIT_TOKENS_PER_DAY": "0",
}


def _document() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_committed_document_is_what_the_generator_writes():
    assert DOCUMENT.read_text(encoding="utf-8") == openapi.render(), "stale: run python -m devtools.openapi"


def test_every_public_function_is_a_path_and_the_private_one_is_not():
    assert set(_document()["paths"]) == {f"/{name}" for name in main.PUBLIC_ENTRY_POINTS}
    assert "/purge_expired" not in _document()["paths"]


def test_every_error_a_client_can_receive_is_documented():
    codes, pending = set(), [errors.AppError]
    while pending:
        cls = pending.pop()
        if not issubclass(cls, errors.ModelFailed):
            codes.add(cls.code)
            pending.extend(cls.__subclasses__())
    assert set(_document()["components"]["schemas"]["ErrorDetail"]["properties"]["code"]["enum"]) == codes
    text = DOCUMENT.read_text(encoding="utf-8")
    assert "model_unavailable" not in text and "model_output_rejected" not in text


def test_document_is_valid_openapi_3_1():
    assert _document()["openapi"].startswith("3.1.")
    SCHEMA.validate()


@dataclass(frozen=True)
class RealSession:
    """A session with one answered message, whose token and ids requests may borrow."""

    id: str
    token: str
    reply_id: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def lend_to(self, case: schemathesis.Case) -> None:
        """Make the case speak for this session: its token, and its ids where the case has such fields."""
        case.headers = {**(case.headers or {}), **self.auth}
        for params in (case.body, case.query):
            if isinstance(params, dict) and "session_id" in params:
                params["session_id"] = self.id
            if isinstance(params, dict) and "message_id" in params:
                params["message_id"] = self.reply_id

    def valid_case(self, path: str, method: str) -> schemathesis.Case:
        """A well-formed request for the operation, on this session."""
        operation = SCHEMA[path][method]
        if method == "OPTIONS":
            return operation.Case(headers={"Origin": "https://shop.example"})
        if method in ("GET", "DELETE"):
            return operation.Case(query={"session_id": self.id}, headers=self.auth)
        ref = {"session_id": self.id}
        bodies = {
            "/create_session": {"locale": "en-GB"},
            "/post_message": {**ref, "content": "Where is my order?"},
            "/post_feedback": {**ref, "message_id": self.reply_id, "rating": "up"},
            "/post_contact": {**ref, "email": "jane@example.com"},
            "/post_csat": {**ref, "rating": 5},
        }
        return operation.Case(body=bodies.get(path, ref), headers=self.auth)


@pytest.fixture
def base_url(local_run, settings_env) -> str:
    """The local run, with the abuse limits off: 429s would hide every other answer."""
    settings_env(**NO_LIMITS)
    return local_run


@pytest.fixture
def real_session(base_url) -> RealSession:
    """A session opened and answered once through the local run."""
    created = httpx.post(f"{base_url}/create_session").json()
    auth = {"Authorization": f"Bearer {created['session_token']}"}
    body = {"session_id": created["session_id"], "content": "How do I return an item?"}
    exchange = httpx.post(f"{base_url}/post_message", json=body, headers=auth).json()
    return RealSession(created["session_id"], created["session_token"], exchange["reply"]["id"])


# Bounded: the coverage phase's boundary cases, then 25 generated requests per operation.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)


@SCHEMA.parametrize()
@FUZZ
def test_answers_to_made_up_sessions_and_tokens_are_documented(case, base_url):
    case.call_and_validate(base_url=base_url, checks=CONFORMS)


@SCHEMA.parametrize()
@FUZZ
def test_answers_to_a_real_session_are_documented(case, base_url, real_session):
    real_session.lend_to(case)
    case.call_and_validate(base_url=base_url, checks=CONFORMS)


@SCHEMA.include(path="/post_message", method="POST").parametrize()
@FUZZ
def test_streamed_answers_are_documented(case, base_url, real_session):
    real_session.lend_to(case)
    case.headers["Accept"] = "text/event-stream"
    case.call_and_validate(base_url=base_url, checks=CONFORMS)


def test_a_disallowed_origin_is_a_documented_403_on_every_method(base_url, real_session, settings_env, subtests):
    settings_env(ALLOWED_ORIGINS="https://shop.example")
    for path, method in OPERATIONS:
        with subtests.test(f"{method} {path}"):
            case = real_session.valid_case(path, method)
            case.headers["Origin"] = "https://evil.example"
            assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 403


def test_a_database_outage_is_a_documented_503_with_retry_after(base_url, real_session, settings_env, subtests):
    cases = {f"{method} {path}": real_session.valid_case(path, method) for path, method in CALLS}
    settings_env(DATABASE_URL="postgresql+pg8000://nobody@127.0.0.1:9/nowhere", DB_POOL_TIMEOUT_SECONDS="1")
    reset_engine()
    try:
        for label, case in cases.items():
            with subtests.test(label):
                response = case.call_and_validate(base_url=base_url, checks=DOCUMENTED)
                assert response.status_code == 503
                assert "retry-after" in response.headers  # and, as documented, whole seconds
    finally:
        reset_engine()


@pytest.mark.parametrize(
    ("limit", "path"),
    [("RATE_LIMIT_SESSIONS_PER_MINUTE", "/create_session"), ("RATE_LIMIT_MESSAGES_PER_MINUTE", "/post_message")],
)
def test_going_over_a_rate_limit_is_a_documented_429(base_url, real_session, settings_env, limit, path):
    settings_env(**{limit: "1"})
    case = real_session.valid_case(path, "POST")
    statuses = [case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code for _ in range(2)]
    assert statuses[-1] == 429


UNREADABLE = {
    400: ("{not json", "application/json"),
    413: ("x" * 70_000, "application/json"),
    415: ("{}", "text/plain"),
}


def test_unreadable_bodies_are_documented(base_url, real_session, subtests):
    for (path, method), (status, (data, content_type)) in itertools.product(BODY_CALLS, UNREADABLE.items()):
        with subtests.test(f"{method} {path} {status}"):
            headers = {**real_session.auth, "Content-Type": content_type}
            response = httpx.request(method, f"{base_url}{path}", content=data, headers=headers)
            real_session.valid_case(path, method).validate_response(response, checks=[not_a_server_error, *DOCUMENTED])
            assert response.status_code == status


def test_a_method_not_listed_is_a_405_that_names_the_listed_ones(base_url, subtests):
    for path, documented in PATHS.items():
        with subtests.test(path):
            response = httpx.put(f"{base_url}{path}", json={})
            assert response.status_code == 405
            assert response.json()["error"]["code"] == "method_not_allowed"
            assert {m.strip() for m in response.headers["Allow"].split(",")} == {m.upper() for m in documented}


@pytest.mark.parametrize(
    "retry",
    [{"content": "Hello", "client_message_id": "other"}, {"content": "Something else"}],
    ids=["key-differs-from-client-message-id", "key-reused-for-other-content"],
)
def test_idempotency_key_misuse_is_a_documented_422(base_url, real_session, retry):
    case = real_session.valid_case("/post_message", "POST")
    case.headers["Idempotency-Key"] = "key-1"
    case.body = {**case.body, "content": "Hello"}
    assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 200
    case.body = {**case.body, **retry}
    assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 422


def test_state_conflicts_are_documented_409s(base_url):
    fresh = httpx.post(f"{base_url}/create_session").json()
    auth = {"Authorization": f"Bearer {fresh['session_token']}"}
    nothing_said = SCHEMA["/summarize_session"]["POST"].Case(body={"session_id": fresh["session_id"]}, headers=auth)
    assert nothing_said.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 409


# Defects the fuzzer found (each was a 500), pinned by their minimal reproductions.


def test_an_overlong_locale_is_a_documented_422(base_url):
    case = SCHEMA["/create_session"]["POST"].Case(body={"locale": "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"})
    assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 422


def test_deeply_nested_json_is_a_documented_4xx(base_url):
    case = SCHEMA["/create_session"]["POST"].Case()
    nested = "[" * 1000 + "]" * 1000
    response = httpx.post(f"{base_url}/create_session", content=nested, headers={"Content-Type": "application/json"})
    case.validate_response(response, checks=[not_a_server_error, *DOCUMENTED])
