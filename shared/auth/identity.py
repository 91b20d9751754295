"""Verifying the shop's identity tokens: short-lived JWTs naming its signed-in customer.

Exactly one configuration applies (the settings refuse both): IDENTITY_SIGNING_SECRET accepts
HS256 only; IDENTITY_JWKS_URL accepts RS256/ES256 only, with the key chosen by `kid` from the
shop's published set. Each refuses the other's algorithms, so a published public key can never
be used as an HMAC secret. Every refusal is an IdentityInvalid (401 identity_invalid) whose
message names the problem and never the token or its claims.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from shared.core import errors
from shared.core.settings import Settings, get_settings

if TYPE_CHECKING:  # PyJWT (and cryptography) load on the first token: anonymous sessions never need them
    import jwt

MAX_TOKEN_BYTES = 4096
HMAC_ALGORITHMS = ("HS256",)
KEY_ALGORITHMS = ("RS256", "ES256")
# A token naming a key we do not know refetches the shop's keys, at most this often (a rotation
# is picked up within a minute; a flood of made-up kids costs one fetch a minute).
JWKS_REFRESH_COOLDOWN_SECONDS = 60
JWKS_CACHE_SECONDS = 300

_jwks_clients: dict[str, jwt.PyJWKClient] = {}
_jwks_lock = threading.Lock()

ShortClaim = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class _Claims(BaseModel):
    """The claims we use; anything else in the token is ignored."""

    model_config = ConfigDict(extra="ignore")

    sub: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    name: Annotated[str, StringConstraints(max_length=100)] | None = None
    locale: Annotated[str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] | None = (
        None
    )
    attributes: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], ShortClaim] = Field(
        default_factory=dict, max_length=20
    )


@dataclass(frozen=True)
class VerifiedCustomer:
    """Who the shop says the customer is, from a verified token."""

    customer_id: str
    name: str | None
    email: str | None
    locale: str | None
    attributes: dict[str, str]


def refuse(reason: str, message: str) -> errors.IdentityInvalid:
    """The 401 for an identity token, with a machine-readable `reason`."""
    return errors.IdentityInvalid(message, details=[{"field": "identity_token", "message": reason}])


def identity_configured(settings: Settings) -> bool:
    """Whether this deployment accepts identity tokens at all."""
    return bool(settings.identity_signing_secret or settings.identity_jwks_url)


def verify_identity_token(token: str) -> VerifiedCustomer:
    """The customer a shop-signed identity token names; IdentityInvalid if anything is wrong with it."""
    import jwt

    settings = get_settings()
    if not identity_configured(settings):
        raise refuse("not_configured", "Identity tokens are not configured on this deployment.")
    if len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
        raise refuse("size", f"The identity token is larger than {MAX_TOKEN_BYTES} bytes.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise refuse("malformed", "The identity token is malformed.") from None
    algorithm = header.get("alg")
    allowed = KEY_ALGORITHMS if settings.identity_jwks_url else HMAC_ALGORITHMS
    if not isinstance(algorithm, str) or algorithm not in allowed:
        raise refuse("algorithm", f"The identity token must be signed with {' or '.join(allowed)}.")
    claims = _decode(token, _key(header, settings), algorithm, settings)
    return _customer(claims, settings)


def _key(header: dict[str, Any], settings: Settings) -> jwt.PyJWK | str:
    import jwt

    if settings.identity_signing_secret:
        return settings.identity_signing_secret.get_secret_value()
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise refuse("signature", "The identity token names no signing key (kid).")
    assert settings.identity_jwks_url is not None
    client = _jwks_client(settings.identity_jwks_url, settings.identity_jwks_timeout_seconds)
    try:
        client.get_signing_keys()  # the shop's endpoint failing is our outage, not a bad token
    except jwt.PyJWTError:
        raise errors.ServiceUnavailable("The shop's signing keys could not be fetched.") from None
    try:
        return client.get_signing_key(kid)
    except jwt.PyJWKClientConnectionError:
        raise errors.ServiceUnavailable("The shop's signing keys could not be fetched.") from None
    except jwt.PyJWTError:
        raise refuse("signature", "The identity token's signing key is not among the shop's keys.") from None


def _jwks_client(url: str, timeout: float) -> jwt.PyJWKClient:
    """One client per URL and process: it caches the shop's keys across requests."""
    import jwt

    with _jwks_lock:
        if url not in _jwks_clients:
            _jwks_clients[url] = jwt.PyJWKClient(
                url,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=timeout,
                cooldown_duration=JWKS_REFRESH_COOLDOWN_SECONDS,
            )
        return _jwks_clients[url]


def _decode(token: str, key: jwt.PyJWK | str, algorithm: str, settings: Settings) -> dict[str, Any]:
    import jwt

    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=settings.identity_audience,
            issuer=settings.identity_issuer,
            leeway=settings.identity_leeway_seconds,
            options={"require": ["exp", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise refuse("expired", "The identity token has expired.") from None
    except jwt.ImmatureSignatureError:
        raise refuse("not_yet_valid", "The identity token is not valid yet (nbf or iat in the future).") from None
    except (jwt.InvalidSignatureError, jwt.InvalidKeyError):
        raise refuse("signature", "The identity token's signature does not verify.") from None
    except jwt.InvalidAlgorithmError:
        raise refuse("algorithm", "The identity token's algorithm does not match its key.") from None
    except jwt.DecodeError:
        raise refuse("malformed", "The identity token is malformed.") from None
    except jwt.PyJWTError:  # missing sub or exp, wrong aud or iss, a claim of the wrong type
        raise refuse("claims", "The identity token's claims are missing or not accepted.") from None
    return claims


def _customer(claims: dict[str, Any], settings: Settings) -> VerifiedCustomer:
    if "iss" in claims and settings.identity_issuer is None:
        raise refuse("claims", "The identity token has an issuer (iss) but none is configured.")
    minutes = settings.identity_max_token_minutes
    if float(claims["exp"]) - time.time() > minutes * 60 + settings.identity_leeway_seconds:
        raise refuse("claims", f"The identity token expires more than {minutes} minutes ahead.")
    try:
        parsed = _Claims.model_validate(claims)
    except ValidationError:
        raise refuse("claims", "The identity token's claims are not valid.") from None
    texts = [parsed.sub, parsed.email or "", parsed.name or "", *parsed.attributes, *parsed.attributes.values()]
    if not all(_storable(text) for text in texts):
        raise refuse("claims", "The identity token's claims contain characters that cannot be stored.")
    return VerifiedCustomer(parsed.sub, parsed.name, parsed.email, parsed.locale, dict(parsed.attributes))


def _storable(text: str) -> bool:
    """Postgres text holds no NUL, and pg8000 cannot encode a lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
