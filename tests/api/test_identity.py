"""Signed identity from the host site: tokens signed here (HS256) or by a local shop serving its keys (RS256/ES256)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.utils import base64url_encode

from devtools.fake_identity import SECRET, FakeShop
from shared.auth.identity import verify_identity_token
from shared.core import errors


@pytest.fixture(scope="module")
def shop():
    fake = FakeShop().start()
    yield fake
    fake.stop()


@pytest.fixture
def hmac_shop(settings_env):
    settings_env(IDENTITY_SIGNING_SECRET=SECRET)
    return FakeShop()


@pytest.fixture
def keys_shop(shop, settings_env):
    settings_env(IDENTITY_JWKS_URL=shop.jwks_url)
    return shop


def _reason(token: str) -> str:
    with pytest.raises(errors.IdentityInvalid) as refused:
        verify_identity_token(token)
    assert refused.value.details
    return str(refused.value.details[0]["message"])


def test_an_hs256_token_names_its_customer_with_their_claims(hmac_shop):
    token = hmac_shop.sign("cust-7", algorithm="HS256", name="Ada", email="ada@shop.example", locale="fr-FR",
                           attributes={"plan": "pro", "country": "FR"})  # fmt: skip
    customer = verify_identity_token(token)
    assert customer.customer_id == "cust-7" and customer.name == "Ada" and customer.email == "ada@shop.example"
    assert customer.locale == "fr-FR" and customer.attributes == {"plan": "pro", "country": "FR"}


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_a_token_signed_with_a_published_key_is_verified_against_the_shops_jwks(keys_shop, algorithm):
    assert verify_identity_token(keys_shop.sign("cust-8", algorithm=algorithm)).customer_id == "cust-8"


def test_without_a_configuration_every_identity_token_is_refused(settings_env):
    settings_env()
    assert _reason(FakeShop().sign(algorithm="HS256")) == "not_configured"


def _none_token() -> str:
    return jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, None, algorithm="none")  # type: ignore[arg-type]


def _other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


HMAC_REFUSALS = {
    "alg none": (lambda shop: _none_token(), "algorithm"),
    "an RS token while a secret is configured": (lambda shop: shop.sign(), "algorithm"),
    "a wrong secret": (lambda shop: shop.sign(algorithm="HS256", key="another-secret-of-32-characters!!"), "signature"),
    "expired": (lambda shop: shop.sign(algorithm="HS256", lifetime=-5), "expired"),
    "nbf in the future": (lambda shop: shop.sign(algorithm="HS256", nbf=int(time.time()) + 120), "not_yet_valid"),
    "no sub": (lambda shop: shop.sign(None, algorithm="HS256"), "claims"),
    "an empty sub": (lambda shop: shop.sign("", algorithm="HS256"), "claims"),
    "a sub that is a number": (lambda shop: shop.sign(42, algorithm="HS256"), "claims"),
    "exp too far ahead": (lambda shop: shop.sign(algorithm="HS256", lifetime=2 * 3600), "claims"),
    "over 4 KB": (lambda shop: shop.sign(algorithm="HS256", name="x" * 4100), "size"),
    "malformed": (lambda shop: "not.a.token", "malformed"),
    "garbage": (lambda shop: "%%%", "malformed"),
    "aud present but unconfigured": (lambda shop: shop.sign(algorithm="HS256", aud="widget"), "claims"),
    "iss present but unconfigured": (lambda shop: shop.sign(algorithm="HS256", iss="https://shop"), "claims"),
    "nested attributes": (lambda shop: shop.sign(algorithm="HS256", attributes={"a": {"b": "c"}}), "claims"),
    "a NUL in the name": (lambda shop: shop.sign(algorithm="HS256", name="A\x00da"), "claims"),
}


@pytest.mark.parametrize("case", HMAC_REFUSALS)
def test_identity_tokens_refused_with_a_secret_configured(hmac_shop, case):
    make, reason = HMAC_REFUSALS[case]
    assert _reason(make(hmac_shop)) == reason


def _hs_signed_with_the_public_key(shop: FakeShop) -> str:
    public_pem = (
        shop.keys["RS256"][1]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # PyJWT refuses to sign with a PEM as an HMAC secret: an attacker signs by hand.
    header = {"alg": "HS256", "typ": "JWT", "kid": shop.keys["RS256"][0]}
    payload = {"sub": "x", "exp": int(time.time()) + 60}
    signing_input = b".".join(base64url_encode(json.dumps(part).encode()) for part in (header, payload))
    signature = base64url_encode(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()


KEY_REFUSALS = {
    "an HS token while keys are configured": (lambda shop: shop.sign(algorithm="HS256"), "algorithm"),
    "HS256 signed with the published public key": (_hs_signed_with_the_public_key, "algorithm"),
    "alg none": (lambda shop: _none_token(), "algorithm"),
    "a wrong key under a known kid": (lambda shop: shop.sign(key=_other_rsa_key()), "signature"),
    "an ES256 token naming the RSA key's kid": (
        lambda shop: shop.sign(algorithm="ES256", headers={"kid": shop.keys["RS256"][0]}),
        "algorithm",
    ),
    "no kid": (
        lambda shop: jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, shop.keys["RS256"][1], algorithm="RS256"),
        "signature",
    ),
    "expired": (lambda shop: shop.sign(algorithm="ES256", lifetime=-5), "expired"),
}


@pytest.mark.parametrize("case", KEY_REFUSALS)
def test_identity_tokens_refused_with_published_keys_configured(keys_shop, case):
    make, reason = KEY_REFUSALS[case]
    assert _reason(make(keys_shop)) == reason


def test_audience_and_issuer_are_checked_when_configured(hmac_shop, settings_env):
    settings_env(IDENTITY_AUDIENCE="support-widget", IDENTITY_ISSUER="https://shop.example")
    good = {"aud": "support-widget", "iss": "https://shop.example"}
    assert verify_identity_token(hmac_shop.sign("c", algorithm="HS256", **good)).customer_id == "c"
    assert _reason(hmac_shop.sign(algorithm="HS256", **{**good, "aud": "other"})) == "claims"
    assert _reason(hmac_shop.sign(algorithm="HS256", **{**good, "iss": "https://evil.example"})) == "claims"
    assert _reason(hmac_shop.sign(algorithm="HS256", iss="https://shop.example")) == "claims"  # no aud


def test_a_leeway_tolerates_a_few_seconds_of_clock_skew(hmac_shop, settings_env):
    settings_env(IDENTITY_LEEWAY_SECONDS="30")
    assert verify_identity_token(hmac_shop.sign("c", algorithm="HS256", lifetime=-10)).customer_id == "c"


def test_an_unknown_kid_refetches_the_keys_at_most_once_a_minute(settings_env, monkeypatch):
    rotating = FakeShop().start()
    try:
        settings_env(IDENTITY_JWKS_URL=rotating.jwks_url)
        verify_identity_token(rotating.sign())
        rotating.rotate()
        for _ in range(3):
            assert _reason(rotating.sign()) == "signature"
        assert rotating.fetches == 1
        later = time.monotonic() + 61
        monkeypatch.setattr(jwt.jwks_client.time, "monotonic", lambda: later)
        assert verify_identity_token(rotating.sign("rotated")).customer_id == "rotated"
        assert rotating.fetches == 2
    finally:
        rotating.stop()


def test_an_unreachable_key_endpoint_is_an_outage_not_a_bad_token(settings_env):
    gone = FakeShop().start()
    url = gone.jwks_url
    gone.stop()
    settings_env(IDENTITY_JWKS_URL=url)
    with pytest.raises(errors.ServiceUnavailable):
        verify_identity_token(gone.sign())
