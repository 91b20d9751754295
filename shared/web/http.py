"""The HTTP edge every function shares: CORS, methods, JSON in and out, errors, one log line."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import flask
from pydantic import BaseModel, ValidationError

from shared.core import errors
from shared.core.addresses import is_loopback
from shared.core.settings import Settings, get_settings
from shared.web import storable
from shared.web.logs import configure_logging, trace_field

log = logging.getLogger("support.http")
ModelT = TypeVar("ModelT", bound=BaseModel)
_CORS_HEADERS = "Authorization, Content-Type, Accept, Last-Event-ID, Idempotency-Key"
# What a JSON answer may do if a browser is ever made to render it: nothing.
_API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_NOT_CONFIGURED = "This service is not configured yet."
_IDEMPOTENCY_KEY_CHARS = 64


@dataclass(frozen=True)
class Reply:
    """What a handler returns: a status and a JSON body, or a stream of text chunks."""

    status: int = 200
    body: BaseModel | dict[str, Any] | None = None
    stream: Iterable[str] | None = None
    media_type: str = "application/json"
    content: bytes | None = None  # a page or a static file, sent as is
    headers: tuple[tuple[str, str], ...] = ()  # set on top of (or instead of) the defaults


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
        except RecursionError as exc:
            raise errors.BadRequest("The body's JSON is nested too deeply.") from exc
        if not isinstance(data, dict):
            raise errors.ValidationFailed("The JSON body must be an object.")
        return _validate(model, data)

    def query(self, model: type[ModelT]) -> ModelT:
        """The query string validated as `model`."""
        return _validate(model, self.request.args.to_dict())

    def idempotency_key(self) -> str | None:
        """The `Idempotency-Key` header, if sent."""
        key = self.request.headers.get("Idempotency-Key")
        if key is None:
            return None
        problem = storable.problem(key)
        if problem or not key.strip() or len(key) > _IDEMPOTENCY_KEY_CHARS:
            message = problem or f"must be 1 to {_IDEMPOTENCY_KEY_CHARS} characters"
            raise errors.ValidationFailed(
                "The request is not valid.", details=[{"field": "Idempotency-Key", "message": message}]
            )
        return key

    def client_ip(self) -> str:
        """The caller's address: from X-Forwarded-For, believing only entries our trusted proxies appended."""
        return client_ip(self.request, get_settings().trusted_proxy_hops)

    def from_loopback(self) -> bool:
        """Whether the socket's peer is this machine (never X-Forwarded-For, which anyone can write)."""
        return is_loopback(self.request.remote_addr)

    def params(self, model: type[ModelT]) -> ModelT:
        """The JSON body when there is one, the query string otherwise."""
        return self.body(model) if self._raw_body().strip() else self.query(model)

    def bearer_token(self) -> str:
        """The session token from `Authorization: Bearer ...`."""
        token = self.optional_bearer_token()
        if token is None:
            raise errors.Unauthorized("Unknown session or invalid token.")
        return token

    def optional_bearer_token(self) -> str | None:
        """The token from `Authorization: Bearer ...`, if one was sent."""
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def wants_stream(self) -> bool:
        """Whether the client asked for server-sent events."""
        return "text/event-stream" in self.request.headers.get("Accept", "")

    def _raw_body(self) -> bytes:
        limit = get_settings().max_request_bytes
        if (self.request.content_length or 0) > limit:
            raise errors.PayloadTooLarge(f"The body is larger than {limit} bytes.")
        try:
            data = self.request.get_data(cache=True)
        except Exception as exc:
            # The server could not decode the body (broken chunked framing, a client gone mid-body).
            # Cache it as empty, or functions-framework's after-request hook reads the broken stream
            # again and answers a plain-text 500.
            self.request._cached_data = b""
            raise errors.BadRequest("The body could not be read.") from exc
        if len(data) > limit:
            raise errors.PayloadTooLarge(f"The body is larger than {limit} bytes.")
        return data


def validate(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """`data` validated as `model`; a ValidationFailed with field details otherwise."""
    return _validate(model, data)


def _validate(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    if unstorable := storable.find_unstorable(data):
        field, message = unstorable
        raise errors.ValidationFailed("The request is not valid.", details=[{"field": field, "message": message}])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": _said(e)} for e in exc.errors()]
        raise errors.ValidationFailed("The request is not valid.", details=details) from None


def _said(error: Any) -> str:
    """A validation error's message as our own validators word it: pydantic prefixes theirs with "Value error, "."""
    message = str(error["msg"])
    return message.removeprefix("Value error, ") if error.get("type") == "value_error" else message


Handler = Callable[[Call], Reply]


Origins = Callable[[Settings], list[str]]


def _widget_origins(settings: Settings) -> list[str]:
    return settings.allowed_origins


def endpoint(
    *methods: str, origins: Origins = _widget_origins
) -> Callable[[Handler], Callable[[flask.Request], flask.Response]]:
    """Wrap a handler as a Cloud Functions HTTP entry point accepting `methods` from `origins` (settings)."""
    allowed = tuple(m.upper() for m in methods)

    def decorate(handler: Handler) -> Callable[[flask.Request], flask.Response]:
        @functools.wraps(handler)
        def entry_point(request: flask.Request) -> flask.Response:
            started = time.perf_counter()
            if missing := _not_configured():
                response = _error_response(errors.ServiceUnavailable(_NOT_CONFIGURED))
                log.error(f"not configured, answering 503: {missing}", extra={"function": handler.__name__})
                _apply_cors(request, response, allowed, None)
                return response
            origin = _allowed_origin(request, origins(get_settings()))
            response = _respond(handler, request, allowed, origin)
            _apply_cors(request, response, allowed, origin)
            _log_request(handler.__name__, request, response, started)
            return response

        return entry_point

    return decorate


def _not_configured() -> str | None:
    """What stops this process from serving (invalid or missing settings), in words naming them; None when ready."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        configure_logging()
        return "; ".join(str(error["msg"]) for error in exc.errors())
    configure_logging(settings.log_level)
    missing = settings.missing_to_serve()
    if missing:
        return f"ENVIRONMENT is production (its default when unset), which needs {', '.join(missing)}"
    return None


def _respond(handler: Handler, request: flask.Request, allowed: tuple[str, ...], origin: str | None) -> flask.Response:
    try:
        # Browsers send simple cross-origin POSTs without a preflight: check the origin on every request.
        if request.headers.get("Origin") and origin is None:
            raise errors.Forbidden("This origin may not call the support API.")
        if request.method == "OPTIONS":
            return flask.Response(status=204)
        if request.method not in allowed:
            raise errors.MethodNotAllowed(f"Use {' or '.join(allowed)}.", allowed=allowed)
        return _to_response(handler(Call(request)), handler.__name__)
    except errors.AppError as exc:
        return _error_response(exc)
    except Exception:
        log.exception("unhandled error", extra={"function": handler.__name__})
        return _error_response(errors.AppError(_INTERNAL))


_INTERNAL = "Something went wrong on our side. Please try again."


def _to_response(reply: Reply, name: str) -> flask.Response:
    if reply.stream is not None:
        response = flask.Response(_guarded_stream(reply.stream, name), reply.status, mimetype=reply.media_type)
        response.headers["X-Accel-Buffering"] = "no"
    elif reply.content is not None:
        response = flask.Response(reply.content, reply.status, mimetype=reply.media_type)
    elif reply.body is None:
        response = flask.Response(status=reply.status)
    else:
        body = reply.body.model_dump(mode="json") if isinstance(reply.body, BaseModel) else reply.body
        response = flask.Response(json.dumps(body), reply.status, mimetype=reply.media_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(dict(reply.headers))
    return response


def _guarded_stream(stream: Iterable[str], name: str) -> Iterator[str]:
    """The stream's events; a failure after the headers went out ends it with an `error` event, not a trace."""
    try:
        yield from stream
    except errors.AppError as exc:
        yield _error_event(exc)
    except Exception:
        log.exception("unhandled error while streaming", extra={"function": name})
        yield _error_event(errors.AppError(_INTERNAL))


def _error_event(exc: errors.AppError) -> str:
    return f"event: error\ndata: {json.dumps(exc.to_body())}\n\n"


def _error_response(exc: errors.AppError) -> flask.Response:
    response = flask.Response(json.dumps(exc.to_body()), exc.status, mimetype="application/json")
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, errors.MethodNotAllowed):
        response.headers["Allow"] = ", ".join((*exc.allowed, "OPTIONS"))
    if isinstance(exc, errors.Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _allowed_origin(request: flask.Request, origins: list[str]) -> str | None:
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/") in origins else None


def client_ip(request: flask.Request, trusted_hops: int) -> str:
    """The client address, counting `trusted_hops` proxies from the right of X-Forwarded-For.

    The leftmost entries are whatever the client sent; only those appended by our own proxies
    can be believed, so the client is the entry the outermost trusted proxy appended.
    """
    peer = request.remote_addr or "unknown"
    if trusted_hops == 0:
        return peer
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    if not forwarded:
        return peer
    return forwarded[-min(trusted_hops, len(forwarded))][:64]


def _apply_cors(request: flask.Request, response: flask.Response, allowed: tuple[str, ...], origin: str | None) -> None:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Content-Security-Policy", _API_POLICY)
    if origin is None:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = "Retry-After"
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
