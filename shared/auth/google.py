"""Verifying Google-signed ID tokens: Cloud Scheduler's OIDC tokens (and, later, Google sign-in).

`google.oauth2.id_token.verify_token` checks the signature against Google's published
certificates, the expiry and the audience; the issuer and the verified email are checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.core import errors
from shared.core.settings import get_settings

GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")
_INVALID = "A valid Google identity token is required."


def verify_google_id_token(token: str, *, audience: str | list[str]) -> Mapping[str, Any]:
    """The claims of a Google-issued ID token for `audience` (or one of them) with a verified email."""
    import google.auth.exceptions
    from google.auth.transport import requests as google_requests
    from google.oauth2 import id_token

    try:
        claims: Mapping[str, Any] = id_token.verify_token(
            token, google_requests.Request(), audience=audience, certs_url=get_settings().google_certs_url
        )
    except google.auth.exceptions.TransportError as exc:
        raise errors.ServiceUnavailable("Google's signing certificates could not be fetched.") from exc
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        raise errors.Unauthorized(_INVALID) from exc
    if claims.get("iss") not in GOOGLE_ISSUERS or claims.get("email_verified") is not True:
        raise errors.Unauthorized(_INVALID)
    return claims


def require_scheduler(token: str | None) -> None:
    """In production, only Cloud Scheduler's service account may run maintenance (on top of IAM)."""
    settings = get_settings()
    if settings.environment != "production":
        return
    if not token or not settings.scheduler_audience:
        raise errors.Unauthorized(_INVALID)
    claims = verify_google_id_token(token, audience=settings.scheduler_audience)
    if claims.get("email") != settings.scheduler_service_account:
        raise errors.Forbidden("Only the scheduler's service account may run maintenance.")
