"""The errors services raise; `shared.web.http` maps them to responses, nowhere else.

AppError                  500 internal
├── BadRequest            400 bad_request (malformed JSON, unreadable body)
├── Unauthorized          401 unauthorized (unknown session, wrong or missing token)
│   └── IdentityInvalid   401 identity_invalid (a shop's identity token refused; the message says why)
├── Forbidden             403 forbidden (origin not allowed, not an admin)
├── NotFound              404 not_found (no such conversation or operator)
├── MethodNotAllowed      405 method_not_allowed
├── Conflict              409 conflict (state does not allow it)
│   └── InProgress        409 in_progress (the same request is still being answered; retry)
├── Expired               410 expired (a proposed action's time to confirm it has passed)
├── PayloadTooLarge       413 payload_too_large
├── UnsupportedMediaType  415 unsupported_media_type
├── ValidationFailed      422 validation_failed (with field details)
├── RateLimited           429 rate_limited (an abuse limit or token budget; retry later)
└── ServiceUnavailable    503 unavailable (a dependency is down; safe to retry)
    └── ModelFailed       the model timed out, refused, or returned something unusable
        └── ModelOutputRejected  the output guard stopped a reply (prompt leak)

ModelFailed never reaches a client: the chat service answers offline instead. Errors with a
`retry_after` (seconds) are answered with a `Retry-After` header.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every error the bot reports to a client."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def __init__(
        self, message: str, *, details: list[dict[str, Any]] | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.retry_after = retry_after

    def to_body(self) -> dict[str, Any]:
        """The JSON error body a client receives."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class IdentityInvalid(Unauthorized):
    code = "identity_invalid"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class MethodNotAllowed(AppError):
    status, code = 405, "method_not_allowed"

    def __init__(self, message: str, *, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed


class Conflict(AppError):
    status, code = 409, "conflict"


class InProgress(Conflict):
    code = "in_progress"


class Expired(AppError):
    status, code = 410, "expired"


class PayloadTooLarge(AppError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(AppError):
    status, code = 415, "unsupported_media_type"


class ValidationFailed(AppError):
    status, code = 422, "validation_failed"


class RateLimited(AppError):
    status, code = 429, "rate_limited"


class ServiceUnavailable(AppError):
    status, code = 503, "unavailable"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None, retry_after: int = 5) -> None:
        super().__init__(message, details=details, retry_after=retry_after)


class ModelFailed(ServiceUnavailable):
    code = "model_unavailable"


class ModelOutputRejected(ModelFailed):
    code = "model_output_rejected"
