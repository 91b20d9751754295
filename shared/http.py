"""The HTTP edge every function shares: CORS, methods, JSON in and out, errors, one log line."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import flask
from pydantic import BaseModel, ValidationError

from shared import errors
from shared.logs import configure_logging, trace_field
from shared.settings import get_settings

log = logging.getLogger("support.http")
ModelT = TypeVar("ModelT", bound=BaseModel)
_CORS_HEADERS = "Authorization, Content-Type, Accept, Last-Event-ID"


@dataclass(frozen=True)
class Reply:
    """What a handler returns: a status and a JSON body, or a stream of text chunks."""

    status: int = 200
    body: BaseModel | dict[str, Any] | None = None
    stream: Iterable[str] | None = None
    media_type: str = "application/json"


class Call:
    """One incoming request, with typed accessors that raise our own errors."""

    def __init__(self, request: flask.Request) -> None:
        self.request = request

    def body(self, model: type[ModelT], *, optional: bool = False) -> ModelT:
        """The JSON body validated as `model`; an absent body only when `optional`."""
        raw = self._raw_body()
        if not raw.strip():
            if optional:
                return _validate(model, {})
            raise errors.ValidationFailed("A JSON body is required.")
        if self.request.mimetype != "application/json":
            raise errors.UnsupportedMediaType("Send the body as application/json.")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise errors.BadRequest("The body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise errors.ValidationFailed("The JSON body must be an object.")
        return _validate(model, data)

    def query(self, model: type[ModelT]) -> ModelT:
        """The query string validated as `model`."""
        return _validate(model, self.request.args.to_dict())

    def params(self, model: type[ModelT]) -> ModelT:
        """The JSON body when there is one, the query string otherwise."""
        return self.body(model) if self._raw_body().strip() else self.query(model)

    def bearer_token(self) -> str:
        """The session token from `Authorization: Bearer ...`."""
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise errors.Unauthorized("Unknown session or invalid token.")
        return token.strip()

    def wants_stream(self) -> bool:
        """Whether the client asked for server-sent events."""
        return "text/event-stream" in self.request.headers.get("Accept", "")

    def _raw_body(self) -> bytes:
        limit = get_settings().max_request_bytes
        if (self.request.content_length or 0) > limit:
            raise errors.PayloadTooLarge(f"The body is larger than {limit} bytes.")
        data = self.request.get_data(cache=True)
        if len(data) > limit:
            raise errors.PayloadTooLarge(f"The body is larger than {limit} bytes.")
        return data


def _validate(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()]
        raise errors.ValidationFailed("The request is not valid.", details=details) from None


Handler = Callable[[Call], Reply]


def endpoint(*methods: str) -> Callable[[Handler], Callable[[flask.Request], flask.Response]]:
    """Wrap a handler as a Cloud Functions HTTP entry point accepting `methods`."""
    allowed = tuple(m.upper() for m in methods)

    def decorate(handler: Handler) -> Callable[[flask.Request], flask.Response]:
        @functools.wraps(handler)
        def entry_point(request: flask.Request) -> flask.Response:
            configure_logging(get_settings().log_level)
            started = time.perf_counter()
            response = _respond(handler, request, allowed)
            _apply_cors(request, response, allowed)
            _log_request(handler.__name__, request, response, started)
            return response

        return entry_point

    return decorate


def _respond(handler: Handler, request: flask.Request, allowed: tuple[str, ...]) -> flask.Response:
    try:
        if request.method == "OPTIONS":
            return _preflight(request)
        if request.method not in allowed:
            raise errors.MethodNotAllowed(f"Use {' or '.join(allowed)}.", allowed=allowed)
        return _to_response(handler(Call(request)))
    except errors.AppError as exc:
        return _error_response(exc)
    except Exception:
        log.exception("unhandled error", extra={"function": handler.__name__})
        return _error_response(errors.AppError("Something went wrong on our side. Please try again."))


def _to_response(reply: Reply) -> flask.Response:
    if reply.stream is not None:
        response = flask.Response(reply.stream, reply.status, mimetype=reply.media_type)
        response.headers["X-Accel-Buffering"] = "no"
    elif reply.body is None:
        response = flask.Response(status=reply.status)
    else:
        body = reply.body.model_dump(mode="json") if isinstance(reply.body, BaseModel) else reply.body
        response = flask.Response(json.dumps(body), reply.status, mimetype=reply.media_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_response(exc: errors.AppError) -> flask.Response:
    response = flask.Response(json.dumps(exc.to_body()), exc.status, mimetype="application/json")
    if isinstance(exc, errors.MethodNotAllowed):
        response.headers["Allow"] = ", ".join((*exc.allowed, "OPTIONS"))
    if isinstance(exc, errors.Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _allowed_origin(request: flask.Request) -> str | None:
    origin = request.headers.get("Origin")
    origins = get_settings().allowed_origins
    if origin is None:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/") in origins else None


def _preflight(request: flask.Request) -> flask.Response:
    if request.headers.get("Origin") and _allowed_origin(request) is None:
        raise errors.Forbidden("This origin may not call the support API.")
    return flask.Response(status=204)


def _apply_cors(request: flask.Request, response: flask.Response, allowed: tuple[str, ...]) -> None:
    origin = _allowed_origin(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if origin is None:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    if origin != "*":
        response.headers.add("Vary", "Origin")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ", ".join((*allowed, "OPTIONS"))
        response.headers["Access-Control-Allow-Headers"] = _CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "3600"


def _log_request(name: str, request: flask.Request, response: flask.Response, started: float) -> None:
    latency = time.perf_counter() - started
    severity = (
        logging.ERROR
        if response.status_code >= 500
        else logging.WARNING
        if response.status_code >= 400
        else logging.INFO
    )
    fields: dict[str, Any] = {
        "function": name,
        "httpRequest": {
            "requestMethod": request.method,
            "requestUrl": request.script_root + request.path,
            "status": response.status_code,
            "userAgent": request.headers.get("User-Agent", ""),
            "latency": f"{latency:.6f}s",
        },
        **trace_field(request.headers, get_settings().google_cloud_project),
    }
    log.log(severity, f"{request.method} {name} {response.status_code}", extra=fields)
