"""The OpenAPI 3.1 description of every public function, generated from the code so it cannot drift.

`python -m devtools.openapi` writes openapi.json at the repo root; `--check` exits 1 when that file is
stale. Bodies are the pydantic models of shared/schemas/public.py and shared/schemas/console.py, error codes
the `AppError` classes of shared/core/errors.py; `OPERATIONS` says which customer function takes and
answers what, and the operator API's own route table (who may call, rate limit, Idempotency-Key)
with devtools/openapi_operator.py (bodies and answers) says it for each of its routes.
purge_expired, deliver_notifications and sync_knowledge are left out: they are private (Cloud Scheduler
calls them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, Field
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from typing_extensions import TypedDict  # pydantic needs it before Python 3.12

import main
from devtools import openapi_operator
from devtools.openapi_operator import PATH_PARAMETERS, OperatorCall
from functions.operator_api import ROUTES as OPERATOR_ROUTES
from shared.core import errors
from shared.core.settings import PROJECT_ROOT, Settings
from shared.schemas.customers import ConversationList, IdentifyCreate, SessionIdentified, SessionResumed
from shared.schemas.privacy import DataExport, DataRequest
from shared.schemas.public import (
    ActionDecided,
    ActionDecision,
    ContactCreate,
    CsatCreate,
    FeedbackCreate,
    MessageCreate,
    MessageExchange,
    MessageList,
    MessagePublic,
    MessagesQuery,
    SessionCreate,
    SessionCreated,
    SessionRef,
    SummaryPublic,
)
from shared.web.routing import Route

OUTPUT = PROJECT_ROOT / "openapi.json"
DEFAULTS = Settings.model_fields


def client_errors() -> list[type[errors.AppError]]:
    """Every error a client can receive, by status: AppError's tree less ModelFailed's branch."""
    found, pending = [], [errors.AppError]
    while pending:
        cls = pending.pop()
        if not issubclass(cls, errors.ModelFailed):
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: (cls.status, len(cls.__mro__), cls.code))


class FieldError(TypedDict):
    field: Annotated[str, Field(description="Dotted path of the field, a header's name, or `body`")]
    message: str


class ErrorDetail(TypedDict):
    code: Literal[tuple(cls.code for cls in client_errors())]  # type: ignore[misc]
    message: Annotated[str, Field(description="Fit to show the customer; never a stack trace")]
    details: NotRequired[Annotated[list[FieldError], Field(min_length=1, description="What is wrong where")]]


class ErrorBody(BaseModel):
    """Every error answer: `{"error": {"code", "message", "details"?}}`."""

    error: ErrorDetail


class StreamStart(BaseModel):
    """`event: start`: the customer's message, stored."""

    user_message: MessagePublic


class StreamDelta(BaseModel):
    """`event: delta`: the next piece of the reply's text."""

    text: str


class StreamDone(MessageExchange):
    """`event: done`: the stored exchange, as without streaming."""

    replaced: bool = Field(description="The stored reply differs from the streamed text: show `reply.content`")


# `error` is a failure after the first event; one before it is answered as a JSON error instead.
STREAM_EVENTS: dict[str, type[BaseModel]] = {
    "start": StreamStart,
    "delta": StreamDelta,
    "done": StreamDone,
    "error": ErrorBody,
}

EVERY_CALL = (403, 500, 503)
BODY_ERRORS = (400, 413, 415, 422)


@dataclass(frozen=True)
class Operation:
    """One method of one public function: what it takes and what it answers."""

    function: str
    method: str
    summary: str
    success: int
    response: type[BaseModel] | None = None  # None: no body
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()  # besides EVERY_CALL
    notes: dict[int, str] = field(default_factory=dict)  # what a status means here, besides ERROR_MEANINGS
    session: bool = True  # needs `Authorization: Bearer <session_token>`
    identity: bool = False  # takes `Authorization: Bearer <the shop's identity token>` (instead, or as well)
    headers: tuple[str, ...] = ()  # request headers, by their name in PARAMETERS
    stream: bool = False  # answers server-sent events to `Accept: text/event-stream`


IDENTITY_REFUSED = (
    "Also `identity_invalid`: the identity token was refused; `details[0].message` says why (not_configured, "
    "size, malformed, algorithm, signature, expired, not_yet_valid, claims)."
)
OPERATIONS = (
    Operation(
        "create_session", "post", "Open a conversation", 201, SessionCreated,
        body=SessionCreate, body_required=False, errors=(*BODY_ERRORS, 401, 429), session=False,
        notes={401: IDENTITY_REFUSED, 429: "Too many sessions opened from this client address, per minute or per day."},
    ),
    Operation(
        "identify", "post", "Tie the session to the shop's signed-in customer", 200, SessionIdentified,
        body=IdentifyCreate, errors=(*BODY_ERRORS, 401, 409),
        notes={401: IDENTITY_REFUSED, 409: "The session already belongs to another customer."},
    ),
    Operation(
        "get_conversations", "get", "List the signed-in customer's conversations, newest first", 200,
        ConversationList, errors=(401,), session=False, identity=True, notes={401: IDENTITY_REFUSED},
    ),
    Operation(
        "resume_session", "post", "Get a fresh session token for one of the customer's conversations", 200,
        SessionResumed, body=SessionRef, errors=(*BODY_ERRORS, 401, 404), session=False, identity=True,
        notes={401: IDENTITY_REFUSED, 404: "No conversation of this customer has this id."},
    ),
    Operation(
        "post_message", "post", "Send the customer's message; get the bot's reply", 200, MessageExchange,
        body=MessageCreate, errors=(*BODY_ERRORS, 401, 409, 429), headers=("IdempotencyKey",), stream=True,
        notes={
            409: "`in_progress`: the same message is still being "
            "answered; retry after `Retry-After` seconds.",
            422: "Also: `Idempotency-Key` and `client_message_id` differ, or the key was used for another message.",
            429: "Too many messages in this session per minute, or a model-token budget is used up.",
        },
    ),
    Operation(
        "confirm_action", "post", "Confirm (runs it once) or cancel a write the bot proposed", 200, ActionDecided,
        body=ActionDecision, errors=(*BODY_ERRORS, 401, 404, 409, 410),
        notes={
            404: "This conversation proposed no action with this id.",
            409: "The action was already confirmed or cancelled.",
            410: "`expired`: the ten minutes to decide have passed; ask the bot again.",
        },
    ),
    Operation(
        "get_messages", "get", "Read the session's status, summary and messages", 200, MessageList,
        query=MessagesQuery, errors=(401, 422),
    ),
    Operation(
        "summarize_session", "post", "Summarise the conversation for a person", 200, SummaryPublic,
        body=SessionRef, errors=(*BODY_ERRORS, 401, 409, 429),
        notes={409: "The customer has not written anything yet.", 429: "A summary counts as one of the messages."},
    ),
    Operation(
        "delete_session", "post", "Erase the session and everything in it", 204,
        body=SessionRef, errors=(*BODY_ERRORS, 401),
    ),
    Operation(
        "delete_session", "delete", "Erase the session (a JSON body may replace the query)", 204,
        query=SessionRef, errors=(*BODY_ERRORS, 401),
    ),
    Operation(
        "export_my_data", "post", "Download everything held about the customer: the session's conversation, "
        "or, with the shop's identity token and no `session_id`, all the signed-in customer's", 200,
        DataExport, body=DataRequest, errors=(*BODY_ERRORS, 401), identity=True, notes={401: IDENTITY_REFUSED},
    ),
    Operation(
        "export_my_data", "get", "Download as with POST (a JSON body may replace the query)", 200,
        DataExport, query=DataRequest, errors=(*BODY_ERRORS, 401), identity=True, notes={401: IDENTITY_REFUSED},
    ),
    Operation(
        "erase_my_data", "post", "Erase every copy of the customer's words: the session's conversation, or, with "
        "the shop's identity token and no `session_id`, all the signed-in customer's", 204,
        body=DataRequest, errors=(*BODY_ERRORS, 401), identity=True,
        notes={401: "Also: the conversation was erased already (its token no longer opens anything). "
               + IDENTITY_REFUSED},
    ),
    Operation(
        "erase_my_data", "delete", "Erase as with POST (a JSON body may replace the query)", 204,
        query=DataRequest, errors=(*BODY_ERRORS, 401), identity=True, notes={401: IDENTITY_REFUSED},
    ),
    Operation(
        "post_feedback", "post", "Rate one of the bot's replies; rating again replaces it", 204,
        body=FeedbackCreate, errors=(*BODY_ERRORS, 401),
        notes={422: "Also: `message_id` is not one of the bot's replies in this session."},
    ),
    Operation(
        "post_contact", "post", "Leave an email address for the answer while the team is away", 204,
        body=ContactCreate, errors=(*BODY_ERRORS, 401),
    ),
    Operation(
        "post_csat", "post", "Rate a resolved conversation from 1 to 5; rating again replaces it", 204,
        body=CsatCreate, errors=(*BODY_ERRORS, 401, 409),
        notes={409: "The conversation has not been resolved."},
    ),
)  # fmt: skip

ERROR_MEANINGS = {
    400: "The body is not valid JSON.",
    401: "Unknown session, or a wrong or missing token (the same answer for both).",
    403: "The `Origin` header names an origin that may not call the API (on every method).",
    405: "The function does not take this method; `Allow` lists those it takes.",
    404: "No such conversation or operator.",
    409: "The session's state does not allow this.",
    410: "The thing asked about has expired.",
    413: f"The body is larger than MAX_REQUEST_BYTES (default {DEFAULTS['max_request_bytes'].default}).",
    415: "The body is not `application/json`.",
    422: "Invalid: a missing, unknown or malformed field, a string holding U+0000 or a lone surrogate, or an "
    "integer beyond 2^63-1. `details` says which field and why.",
    429: "An abuse limit or a model-token budget is used up; retry after `Retry-After` seconds.",
    500: "Something failed on our side; the body says nothing more.",
    503: "The database (or another dependency) is unavailable; retry after `Retry-After` seconds.",
}
# The headers of each error status, name -> required (409: only `in_progress` says Retry-After).
ERROR_HEADERS = {
    401: {"WWW-Authenticate": True},
    405: {"Allow": True},
    409: {"Retry-After": False},
    429: {"Retry-After": True},
    503: {"Retry-After": True},
}
HEADERS = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 0}},
    "Allow": {"description": "The methods the function takes, OPTIONS included.", "schema": {"type": "string"}},
    "WWW-Authenticate": {"schema": {"const": "Bearer"}},
    "Access-Control-Allow-Origin": {"description": "The caller's origin, or `*`.", "schema": {"type": "string"}},
    "Access-Control-Allow-Methods": {"description": "The function's methods.", "schema": {"type": "string"}},
    "Access-Control-Allow-Headers": {"description": "Request headers a page may send.", "schema": {"type": "string"}},
    "Access-Control-Max-Age": {"description": "Seconds a browser may keep this.", "schema": {"type": "integer"}},
}
PREFLIGHT_HEADERS = [name for name in HEADERS if name.startswith("Access-Control-")]
PARAMETERS: dict[str, dict[str, Any]] = {
    "Origin": {
        "name": "Origin",
        "in": "header",
        "description": "Sent by browsers: an origin not in ALLOWED_ORIGINS is answered 403, on every method.",
        "schema": {"type": "string"},
    },
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "description": "Means what `client_message_id` means (send either, or both equal): a retry with the same "
        "key gets the stored exchange, answered once.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 64},
    },
    "ConsoleOrigin": {
        "name": "Origin",
        "in": "header",
        "description": "Sent by browsers: an origin not in CONSOLE_ORIGINS is answered 403, on every method.",
        "schema": {"type": "string"},
    },
    "OperatorIdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "description": "One per submit (a UUID), the same when the submit is retried: a retry with the same key "
        "from the same operator gets the first answer, status and body, and is acted on once, also when copies "
        "arrive together. Kept for 24 hours; a request that failed gives its key back.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 64},
    },
}
# Checked by a validator, since the limit is a setting, so pydantic cannot show it: the default is documented.
FIELD_CONSTRAINTS = {
    ("MessageCreate", "content"): {
        "minLength": 1,
        "maxLength": DEFAULTS["max_message_chars"].default,
        "description": "Not blank; at most MAX_MESSAGE_CHARS characters (default shown) once trimmed.",
    },
}


class _Schemas(GenerateJsonSchema):
    """Pydantic's JSON Schema, with every field of an answer required: answers always carry them all."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        required = super().field_is_required(field, total)
        return required or (self.mode == "serialization" and field["type"] == "model-field")


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _models() -> dict[type[BaseModel], JsonSchemaMode]:
    """Every model a body or an event is: requests as validated, answers as serialized."""
    calls = [call for _, call in operator_calls()]
    bodies = [op.body for op in (*OPERATIONS, *calls) if op.body]
    answers = [ErrorBody, *(op.response for op in (*OPERATIONS, *calls) if op.response), *STREAM_EVENTS.values()]
    return dict.fromkeys(bodies, "validation") | dict.fromkeys(answers, "serialization")


def _schemas() -> tuple[dict[type[BaseModel], dict[str, str]], dict[str, Any]]:
    """A `$ref` for each model, and every definition, for components/schemas."""
    refs, definitions = models_json_schema(
        list(_models().items()), ref_template="#/components/schemas/{model}", schema_generator=_Schemas
    )
    schemas = definitions["$defs"]
    for (model, name), constraints in FIELD_CONSTRAINTS.items():
        schemas[model]["properties"][name].update(constraints)
    ref = {model: value for (model, _), value in refs.items()}
    events = [_event(name, ref[model]) for name, model in STREAM_EVENTS.items()]
    described = "One event of a streamed reply: `start`, `delta`*, then `done` or `error`."
    schemas["StreamEvent"] = {"description": described, "oneOf": events}
    return ref, schemas


def _event(name: str, data: dict[str, str]) -> dict[str, Any]:
    """An event as a client's SSE parser sees it: its name, and its `data` line holding JSON."""
    data_line = {"type": "string", "contentMediaType": "application/json", "contentSchema": data}
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"const": name}, "data": data_line},
    }


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """One query parameter per field; a null alternative only means that it may be left out."""
    schema = model.model_json_schema()
    parameters = []
    for name, prop in schema["properties"].items():
        alternatives = [alt for alt in prop.pop("anyOf", [{}]) if alt.get("type") != "null"]
        prop = {key: value for key, value in prop.items() if key != "default"} | alternatives[0]
        parameters.append({"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop})
    return parameters


def _operation(op: Operation, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    methods = [other.method for other in OPERATIONS if other.function == op.function]
    spec: dict[str, Any] = {
        "operationId": op.function if len(methods) == 1 else f"{op.function}_{op.method}",
        "summary": op.summary,
        "description": getattr(main, op.function).__doc__,
        "parameters": [_ref("parameters", name) for name in ("Origin", *op.headers)],
        "security": [{"sessionToken": []}] * op.session + [{"identityToken": []}] * op.identity,
        "responses": {str(op.success): _success(op, refs)},
    }
    if op.query:
        spec["parameters"] += _query_parameters(op.query)
    if op.body:
        spec["requestBody"] = {"required": op.body_required, "content": {"application/json": {"schema": refs[op.body]}}}
    for status in sorted({*EVERY_CALL, *op.errors}):
        note = {"description": f"{ERROR_MEANINGS[status]} {op.notes[status]}"} if status in op.notes else {}
        spec["responses"][str(status)] = _ref("responses", _error_name(status)) | note
    return spec


def _success(op: Operation, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    if op.response is None:
        return {"description": "Done; no body."}
    content: dict[str, Any] = {"application/json": {"schema": refs[op.response]}}
    if not op.stream:
        return {"description": "Done.", "content": content}
    content["text/event-stream"] = {"schema": _ref("schemas", "StreamEvent")}
    described = "JSON; server-sent events when the request says `Accept: text/event-stream`."
    return {"description": described, "content": content}


def _preflight(origin: str = "Origin") -> dict[str, Any]:
    return {
        "summary": "CORS preflight",
        "parameters": [_ref("parameters", origin)],
        "security": [],
        "responses": {
            "204": {
                "description": "Allowed; the CORS headers come when the request has an `Origin`.",
                "headers": {name: _ref("headers", name) for name in PREFLIGHT_HEADERS},
            },
            "403": _ref("responses", _error_name(403)),
            "500": _ref("responses", _error_name(500)),
        },
    }


OPERATOR_API = "/operator_api"
OPERATOR_NOTES = {
    401: "The operator token is missing, expired or revoked, or its operator was removed.",
    403: "Also: the route is for admins, and the operator is an agent.",
    409: "Also `in_progress`: a copy with the same `Idempotency-Key` is still being answered; retry after "
    "`Retry-After` seconds.",
    422: "Also: the `Idempotency-Key` was already used for a different request.",
}
LIMIT_NOTES = {
    "write": "This operator's writes per minute (RATE_LIMIT_OPERATOR_WRITES_PER_MINUTE, default "
    f"{DEFAULTS['rate_limit_operator_writes_per_minute'].default}) are used up.",
    "costly": "This operator's costly requests per minute (RATE_LIMIT_OPERATOR_COSTLY_PER_MINUTE, default "
    f"{DEFAULTS['rate_limit_operator_costly_per_minute'].default}) are used up.",
}


def operator_calls() -> list[tuple[Route, OperatorCall]]:
    """Each route of the operator API with what it takes and answers; every route, and only those."""
    routes = {(route.method, route.pattern): route for route in OPERATOR_ROUTES}
    described = openapi_operator.CALLS
    if missing := sorted(routes.keys() - described.keys()):
        raise SystemExit(f"devtools/openapi_operator.py: add {missing} to CALLS")
    if stale := sorted(described.keys() - routes.keys()):
        raise SystemExit(f"devtools/openapi_operator.py: {stale} in CALLS are no routes of operator_api")
    return [(route, described[key]) for key, route in routes.items()]


def _operator_errors(route: Route, call: OperatorCall) -> dict[int, list[str]]:
    """Each error status the route can answer, with what it means there (besides ERROR_MEANINGS)."""
    found: dict[int, list[str]] = {status: [] for status in (*EVERY_CALL, *call.errors)}
    if call.body:
        found.update({status: found.get(status, []) for status in BODY_ERRORS})
    if call.query or any(isinstance(PATH_PARAMETERS[name], type) for name in route.parameters):
        found.setdefault(422, [])
    if route.access != "public":
        found[401] = [OPERATOR_NOTES[401]]
    if route.access == "admin":
        found[403].append(OPERATOR_NOTES[403])
    if route.cost:
        found[429] = [LIMIT_NOTES[route.cost]]
    if route.idempotent:
        found.setdefault(409, []).append(OPERATOR_NOTES[409])
        found.setdefault(422, []).append(OPERATOR_NOTES[422])
    for status, note in call.notes.items():
        found[status].insert(0, note)
    return found


def _path_parameter(name: str) -> dict[str, Any]:
    source = PATH_PARAMETERS[name]
    schema = source.model_json_schema()["properties"][name] if isinstance(source, type) else source
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operator_operation(
    route: Route, call: OperatorCall, refs: dict[type[BaseModel], dict[str, str]]
) -> dict[str, Any]:
    headers = ["ConsoleOrigin", *(["OperatorIdempotencyKey"] if route.idempotent else [])]
    spec: dict[str, Any] = {
        "operationId": f"operator_api_{route.handler.__name__}",
        "summary": call.summary,
        "description": route.handler.__doc__,
        "tags": ["operator_api"],
        "parameters": [_ref("parameters", name) for name in headers],
        "security": [] if route.access == "public" else [{"operatorToken": []}],
        "responses": {str(call.success): _operator_success(call, refs)},
    }
    if call.query:
        spec["parameters"] += _query_parameters(call.query)
    if call.body:
        content = {"application/json": {"schema": refs[call.body]}}
        spec["requestBody"] = {"required": call.body_required, "content": content}
    for status, notes in sorted(_operator_errors(route, call).items()):
        if status == 308:
            spec["responses"]["308"] = REDIRECT
            continue
        described = {"description": " ".join([ERROR_MEANINGS[status], *notes])} if notes else {}
        spec["responses"][str(status)] = _ref("responses", _error_name(status)) | described
    return spec


REDIRECT = {
    "description": "In production, a request to another host of the function goes to CONSOLE_URL.",
    "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
}


def _operator_success(call: OperatorCall, refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, Any]:
    if call.files:
        return {"description": "The file.", "content": {media: {"schema": {"type": "string"}} for media in call.files}}
    if call.response is None:
        return {"description": "Done; no body."}
    return {"description": "Done.", "content": {"application/json": {"schema": refs[call.response]}}}


def _operator_paths(refs: dict[type[BaseModel], dict[str, str]]) -> dict[str, dict[str, Any]]:
    """The operator API's paths; a path's parameters are its own, shared by its methods and its preflight."""
    paths: dict[str, dict[str, Any]] = {}
    for route, call in operator_calls():
        slug = "".join(c if c.isalnum() else "_" for c in route.pattern).strip("_") or "console"
        preflight = _preflight("ConsoleOrigin") | {"operationId": f"operator_api_{slug}_preflight"}
        item = paths.setdefault(OPERATOR_API + route.pattern, {"options": preflight})
        if route.parameters:
            item["parameters"] = [_path_parameter(name) for name in route.parameters]
        item[route.method.lower()] = _operator_operation(route, call, refs)
    return paths


def _error_name(status: int) -> str:
    """A status's response is named by the code of the error atop its branch (409: conflict, not in_progress)."""
    return next(cls.code for cls in client_errors() if cls.status == status)


def _error_response(status: int) -> dict[str, Any]:
    codes = [cls.code for cls in client_errors() if cls.status == status]
    narrowed = {"properties": {"error": {"properties": {"code": {"enum": codes}}}}}
    response: dict[str, Any] = {
        "description": ERROR_MEANINGS[status],
        "content": {"application/json": {"schema": {"allOf": [_ref("schemas", "ErrorBody"), narrowed]}}},
    }
    if headers := ERROR_HEADERS.get(status):
        response["headers"] = {name: HEADERS[name] | {"required": required} for name, required in headers.items()}
    return response


def build() -> dict[str, Any]:
    """The whole OpenAPI document."""
    if missing := set(main.PUBLIC_ENTRY_POINTS) - {op.function for op in OPERATIONS}:
        raise SystemExit(f"devtools/openapi.py: add {', '.join(sorted(missing))} to OPERATIONS")
    refs, schemas = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path = paths.setdefault(
            f"/{op.function}", {"options": _preflight() | {"operationId": f"{op.function}_preflight"}}
        )
        path[op.method] = _operation(op, refs)
    paths.update(_operator_paths(refs))
    statuses = sorted({cls.status for cls in client_errors()})
    return {
        "openapi": "3.1.1",
        "info": _info(),
        "servers": [
            {
                "url": "https://{region}-{project}.cloudfunctions.net",
                "description": "Deployed",
                "variables": {"region": {"default": "europe-west1"}, "project": {"default": "my-project"}},
            },
            {"url": "http://127.0.0.1:8080", "description": "`./dev run`"},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {_error_name(status): _error_response(status) for status in statuses},
            "parameters": PARAMETERS,
            "headers": {name: HEADERS[name] for name in PREFLIGHT_HEADERS},
            "securitySchemes": {
                "sessionToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "create_session's `session_token`.",
                },
                "identityToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A JWT the shop's backend signed for its signed-in customer (IDENTITY_* settings).",
                },
                "operatorToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The `token` of operator_api's `POST /sign-in`; refused by the customer functions.",
                },
            },
        },
    }


def _info() -> dict[str, Any]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    description = (
        f"{project['description']}. Each function is its own URL, `<base>/<function_name>`: the widget calls the "
        "customer functions with a session token; the console calls `operator_api` (its routes below "
        "`/operator_api/`, or at the root of the function's own `run.app` URL) with an operator token. Every error "
        'is `{"error": {"code", "message", "details"?}}`; a method a path does not take is answered 405 '
        "(`method_not_allowed`) with an `Allow` header. Generated by `python -m devtools.openapi`: do not edit."
    )
    return {"title": "Support bot API", "version": project["version"], "description": description}


def render() -> str:
    """The document as committed: pretty-printed, keys sorted."""
    return json.dumps(build(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def cli(argv: list[str] | None = None) -> int:
    """Write openapi.json, or with --check say whether it is current."""
    parser = argparse.ArgumentParser(description="Write openapi.json from the code, or check that it is current.")
    parser.add_argument("--check", action="store_true", help="exit 1 when openapi.json is stale; write nothing")
    text = render()
    if parser.parse_args(argv).check:
        if OUTPUT.is_file() and OUTPUT.read_text(encoding="utf-8") == text:
            return 0
        print(f"{OUTPUT.name} is stale: run python -m devtools.openapi", file=sys.stderr)
        return 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(cli())
