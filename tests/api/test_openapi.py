"""openapi.json: current, complete, valid OpenAPI 3.1, and what the running functions answer (fuzzed)."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import unquote

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
from devtools.fake_identity import SECRET as IDENTITY_SECRET
from devtools.fake_identity import FakeShop
from functions.operator_api import ROUTES as OPERATOR_ROUTES
from shared.core import errors
from shared.core.settings import PROJECT_ROOT
from shared.db.engine import reset_engine
from tests.factories import new_operator

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
OPERATOR_API = "/operator_api"
CUSTOMER_SCHEMA = SCHEMA.exclude(path_regex=f"^{OPERATOR_API}")
OPERATOR_SCHEMA = SCHEMA.include(path_regex=f"^{OPERATOR_API}")
ALL_PATHS = json.loads(DOCUMENT.read_text(encoding="utf-8"))["paths"]
PATHS = {path: item for path, item in ALL_PATHS.items() if not path.startswith(OPERATOR_API)}
OPERATIONS = [(path, method.upper()) for path, item in PATHS.items() for method in item]
CALLS = [(path, method) for path, method in OPERATIONS if method != "OPTIONS"]
BODY_CALLS = [(path, method) for path, method in CALLS if method == "POST"]
NO_LIMITS = {
    "RATE_LIMIT_SESSIONS_PER_MINUTE": "0",
    "RATE_LIMIT_SESSIONS_PER_DAY": "0",
    "RATE_LIMIT_MESSAGES_PER_MINUTE": "0",
    "RATE_LIMIT_SESSION_TOKENS_PER_DAY": "0",
    "RATE_LIMIT_TOKENS_PER_DAY": "0",
    "RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE": "0",
    "RATE_LIMIT_OPERATOR_COSTLY_PER_MINUTE": "0",
}


def _methods(item: dict) -> list[str]:
    """A path item's methods (it may also hold the path's `parameters`)."""
    return [key for key in item if key != "parameters"]


def _document() -> dict:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def test_committed_document_is_what_the_generator_writes():
    assert DOCUMENT.read_text(encoding="utf-8") == openapi.render(), "stale: run python -m devtools.openapi"


def test_every_public_function_and_operator_route_is_a_path_and_the_private_ones_are_not():
    operator_routes = {f"{OPERATOR_API}{route.pattern}" for route in OPERATOR_ROUTES}
    assert set(_document()["paths"]) == {f"/{name}" for name in main.PUBLIC_ENTRY_POINTS} | operator_routes
    documented = {(path, m.upper()) for path, item in ALL_PATHS.items() for m in _methods(item) if m != "options"}
    assert documented == {(f"{OPERATOR_API}{r.pattern}", r.method) for r in OPERATOR_ROUTES} | set(CALLS)
    assert not {"/purge_expired", "/deliver_notifications", "/sync_knowledge"} & set(_document()["paths"])


def test_every_operator_route_but_the_public_ones_needs_an_operator_token():
    for route in OPERATOR_ROUTES:
        operation = ALL_PATHS[f"{OPERATOR_API}{route.pattern}"][route.method.lower()]
        assert (operation["security"] == []) == (route.access == "public"), route.pattern
        assert "401" in operation["responses"] or route.access == "public", route.pattern
        assert ("429" in operation["responses"]) == (route.cost is not None), route.pattern
        keyed = {"$ref": "#/components/parameters/OperatorIdempotencyKey"} in operation["parameters"]
        assert keyed == route.idempotent, route.pattern


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
    identity_token: str  # the shop's signed token for the customer this session belongs to

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def identity_auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.identity_token}"}

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
        if path == "/get_conversations":
            return operation.Case(headers=self.identity_auth)
        if path == "/resume_session":
            return operation.Case(body={"session_id": self.id}, headers=self.identity_auth)
        if method in ("GET", "DELETE"):
            return operation.Case(query={"session_id": self.id}, headers=self.auth)
        ref = {"session_id": self.id}
        bodies = {
            "/create_session": {"locale": "en-GB"},
            "/post_message": {**ref, "content": "Where is my order?"},
            "/post_feedback": {**ref, "message_id": self.reply_id, "rating": "up"},
            "/post_contact": {**ref, "email": "jane@example.com"},
            "/post_csat": {**ref, "rating": 5},
            "/identify": {**ref, "identity_token": self.identity_token},
            "/confirm_action": {**ref, "action_request_id": str(uuid.uuid4()), "decision": "confirm"},
        }
        return operation.Case(body=bodies.get(path, ref), headers=self.auth)


@pytest.fixture
def base_url(local_run, settings_env) -> str:
    """The local run, with the abuse limits off (429s would hide every other answer), taking identity tokens."""
    settings_env(**NO_LIMITS, IDENTITY_SIGNING_SECRET=IDENTITY_SECRET)
    return local_run


@pytest.fixture
def real_session(base_url) -> RealSession:
    """A session of a known customer, opened and answered once through the local run."""
    identity_token = FakeShop().sign(f"customer-{secrets.token_hex(4)}", algorithm="HS256")
    created = httpx.post(f"{base_url}/create_session", json={"identity_token": identity_token}).json()
    auth = {"Authorization": f"Bearer {created['session_token']}"}
    body = {"session_id": created["session_id"], "content": "How do I return an item?"}
    exchange = httpx.post(f"{base_url}/post_message", json=body, headers=auth).json()
    return RealSession(created["session_id"], created["session_token"], exchange["reply"]["id"], identity_token)


# Bounded: the coverage phase's boundary cases, then 25 generated requests per operation.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)


@SCHEMA.parametrize()
@FUZZ
def test_answers_to_made_up_sessions_and_tokens_are_documented(case, base_url):
    if _routable(case):
        case.call_and_validate(base_url=base_url, checks=CONFORMS)


@CUSTOMER_SCHEMA.parametrize()
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


# The operator API, fuzzed signed in as an admin, with real ids to borrow.

OPERATOR_PATHS = {path: item for path, item in ALL_PATHS.items() if path.startswith(OPERATOR_API)}
OPERATOR_OPERATIONS = [(path, method.upper()) for path, item in OPERATOR_PATHS.items() for method in _methods(item)]
OPERATOR_CALLS = [(path, method) for path, method in OPERATOR_OPERATIONS if method != "OPTIONS"]
SIGNED_IN_CALLS = [
    (path, method) for path, method in OPERATOR_CALLS if OPERATOR_PATHS[path][method.lower()]["security"]
]
OPERATOR_BODY_CALLS = [(p, m) for p, m in OPERATOR_CALLS if "requestBody" in OPERATOR_PATHS[p][m.lower()]]


@dataclass(frozen=True)
class RealConsole:
    """A signed-in admin, and ids of real things (a conversation, an entry, an agent) requests may borrow."""

    token: str
    ids: dict[str, str]
    message_id: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def lend_to(self, case: schemathesis.Case) -> None:
        """Sign the case in as the admin; half the cases also name real things instead of made-up ones."""
        case.headers = {**(case.headers or {}), **self.auth}
        if case.operation.path == f"{OPERATOR_API}/sign-out":
            case.headers.update(new_operator("admin").auth)  # signing out would end the token the others borrow
        if hash(repr(case.path_parameters) + repr(case.body)) % 2:
            return
        case.path_parameters = {name: self.ids.get(name, value) for name, value in (case.path_parameters or {}).items()}
        if isinstance(case.body, dict) and "message_ids" in case.body:
            case.body["message_ids"] = [self.message_id]

    def case(self, path: str, method: str, **kwargs: object) -> schemathesis.Case:
        """A case for the operation on real things, signed in."""
        names = re.findall(r"\{(\w+)\}", path)
        headers = {**self.auth, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        return OPERATOR_SCHEMA[path][method].Case(
            path_parameters={name: self.ids[name] for name in names if name in self.ids}
            | {name: "inbox.js" for name in names if name not in self.ids},
            headers=headers,
            **kwargs,
        )

    def url(self, base_url: str, path: str) -> str:
        return base_url + re.sub(r"\{(\w+)\}", lambda m: self.ids.get(m.group(1), "inbox.js"), path)


@pytest.fixture
def real_console(base_url, real_session, restore_knowledge_base) -> RealConsole:
    """An admin signed in; the knowledge base is the repository's again after the test, whatever was saved."""
    admin, agent = new_operator("admin"), new_operator("agent")
    ids = {"conversation_id": real_session.id, "entry_id": "return-policy", "operator_id": str(agent.id)}
    return RealConsole(admin.token, ids, real_session.reply_id)


def _routable(case: schemathesis.Case) -> bool:
    """Whether functions-framework hands the path to the function: its router matches no line break in a path
    (a `%0A` in a path parameter), and answers such a path with its own HTML 404 before any code of ours runs."""
    return "\n" not in unquote(case.formatted_path)


OPERATOR_TIMEOUT_SECONDS = 60


@OPERATOR_SCHEMA.parametrize()
@FUZZ
def test_answers_to_a_signed_in_admin_are_documented(case, base_url, real_console):
    if not _routable(case):
        return
    real_console.lend_to(case)
    # A knowledge-base write re-indexes and retrains, and Gaps groups up to 500 questions: seconds on a busy machine.
    case.call_and_validate(base_url=base_url, checks=CONFORMS, timeout=OPERATOR_TIMEOUT_SECONDS)


def test_a_disallowed_console_origin_is_a_documented_403_on_every_operator_method(
    base_url, real_console, settings_env, subtests
):
    settings_env(CONSOLE_ORIGINS="https://support.shop.example")
    for path, method in OPERATOR_OPERATIONS:
        with subtests.test(f"{method} {path}"):
            case = real_console.case(path, method, headers={"Origin": "https://shop.example"})
            assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 403


def test_a_database_outage_is_a_documented_503_on_every_signed_in_route(base_url, real_console, settings_env, subtests):
    cases = {f"{method} {path}": real_console.case(path, method) for path, method in SIGNED_IN_CALLS}
    database_url = os.environ["DATABASE_URL"]
    settings_env(DATABASE_URL="postgresql+pg8000://nobody@127.0.0.1:9/nowhere", DB_POOL_TIMEOUT_SECONDS="1")
    reset_engine()
    try:
        for label, case in cases.items():
            with subtests.test(label):
                response = case.call_and_validate(base_url=base_url, checks=DOCUMENTED)
                assert response.status_code == 503 and "retry-after" in response.headers
    finally:
        settings_env(DATABASE_URL=database_url)  # before the knowledge base is restored
        reset_engine()


def test_unreadable_operator_bodies_are_documented(base_url, real_console, subtests):
    for (path, method), (status, (data, content_type)) in itertools.product(OPERATOR_BODY_CALLS, UNREADABLE.items()):
        with subtests.test(f"{method} {path} {status}"):
            headers = {**real_console.auth, "Content-Type": content_type}
            response = httpx.request(method, real_console.url(base_url, path), content=data, headers=headers)
            real_console.case(path, method).validate_response(response, checks=[not_a_server_error, *DOCUMENTED])
            assert response.status_code == status


def test_a_method_no_operator_route_takes_is_a_405_that_names_the_paths_methods(base_url, real_console, subtests):
    for path, documented in OPERATOR_PATHS.items():
        with subtests.test(path):
            response = httpx.patch(real_console.url(base_url, path), json={}, headers=real_console.auth)
            assert response.status_code == 405
            assert {m.strip() for m in response.headers["Allow"].split(",")} == {
                m.upper() for m in _methods(documented)
            }


@pytest.mark.parametrize(
    ("limit", "path", "body"),
    [
        ("RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE", "/conversations/{conversation_id}/messages", {"content": "Hi"}),
        ("RATE_LIMIT_OPERATOR_COSTLY_PER_MINUTE", "/kb/try", {"question": "Where is my parcel?"}),
    ],
)
def test_an_operator_over_a_rate_limit_gets_a_documented_429(base_url, real_console, settings_env, limit, path, body):
    settings_env(**{limit: "1"})
    case = real_console.case(OPERATOR_API + path, "POST", body=body)
    statuses = [case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code for _ in range(2)]
    assert statuses == [201 if "messages" in path else 200, 429]


def test_an_operator_idempotency_key_replays_and_its_misuse_is_a_documented_422(base_url, real_console, settings_env):
    path = f"{OPERATOR_API}/conversations/{{conversation_id}}/actions"
    case = real_console.case(path, "POST", body={"action": "take_over"}, headers={"Idempotency-Key": "key-1"})
    first = case.call_and_validate(base_url=base_url, checks=CONFORMS)
    assert case.call_and_validate(base_url=base_url, checks=CONFORMS).json() == first.json()
    case.body = {"action": "resolve"}
    assert case.call_and_validate(base_url=base_url, checks=CONFORMS).status_code == 422


# Defects the operator fuzzer found (each was a 500), pinned by their minimal reproductions.

# 2,082 characters that the URL type accepts, and that normalising (a trailing slash) makes too long to store.
LONG_URL = "https://" + "0" * 63 + "." + ".".join(["a" * 63] * 31) + "." + "a" * 27


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/kb/entries", {"question": "0", "answer": "0", "url": LONG_URL}),
        ("/kb/check", {"question": "0", "answer": "0", "url": LONG_URL}),
        ("/kb/gaps/approve", {"message_ids": [1], "new_entry": {"question": "0", "answer": "0", "url": LONG_URL}}),
    ],
)
def test_an_entry_url_too_long_once_normalised_is_a_documented_422(base_url, real_console, path, body):
    case = real_console.case(OPERATOR_API + path, "POST", body=body)
    response = case.call_and_validate(base_url=base_url, checks=CONFORMS)
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"].endswith("url")
