"""Signed identity from the host site: tokens signed here (HS256) or by a local shop serving its keys (RS256/ES256)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.utils import base64url_encode

from devtools.fake_identity import SECRET, FakeShop
from shared.auth.identity import verify_identity_token
from shared.core import errors
from tests.factories import new_operator


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


def _refused(function_client, token: str) -> str:
    """Why create_session refused `token`: always a 401 identity_invalid, never anything else."""
    response = function_client("create_session").post("/", json={"identity_token": token})
    assert response.status_code == 401, response.json
    assert response.json["error"]["code"] == "identity_invalid" and response.headers["WWW-Authenticate"] == "Bearer"
    return str(response.json["error"]["details"][0]["message"])


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


def test_without_a_configuration_identity_tokens_are_refused_and_anonymous_sessions_work(function_client, settings_env):
    settings_env()
    assert _refused(function_client, FakeShop().sign(algorithm="HS256")) == "not_configured"
    anonymous = function_client("create_session").post("/", json={"attributes": {"page": "/help"}})
    assert anonymous.status_code == 201 and anonymous.json["customer"] is None
    listed = function_client("get_conversations").get("/", headers=_bearer(FakeShop().sign(algorithm="HS256")))
    assert listed.status_code == 401 and listed.json["error"]["code"] == "identity_invalid"


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
def test_identity_tokens_refused_with_a_secret_configured(function_client, hmac_shop, case):
    make, reason = HMAC_REFUSALS[case]
    assert _refused(function_client, make(hmac_shop)) == reason


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
def test_identity_tokens_refused_with_published_keys_configured(function_client, keys_shop, case):
    make, reason = KEY_REFUSALS[case]
    assert _refused(function_client, make(keys_shop)) == reason


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


# --- The customer functions ---------------------------------------------------------------------


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _customer_id() -> str:
    return f"cust-{secrets.token_hex(6)}"


def _open(function_client, identity_token: str | None = None, **body) -> dict:
    if identity_token:
        body["identity_token"] = identity_token
    response = function_client("create_session").post("/", json=body)
    assert response.status_code == 201, response.json
    return dict(response.json)


def _say(function_client, session: dict, content: str) -> None:
    body = {"session_id": session["session_id"], "content": content}
    response = function_client("post_message").post("/", json=body, headers=_bearer(session["session_token"]))
    assert response.status_code == 200, response.json


def _listed(function_client, token: str) -> list[dict]:
    response = function_client("get_conversations").get("/", headers=_bearer(token))
    assert response.status_code == 200, response.json
    return list(response.json["conversations"])


def test_a_session_opened_with_an_identity_token_belongs_to_that_customer(function_client, hmac_shop, db):
    customer = _customer_id()
    created = _open(
        function_client, hmac_shop.sign(customer, algorithm="HS256", name="Ada", attributes={"plan": "pro"})
    )
    assert created["customer"] == {"customer_id": customer, "name": "Ada", "verified": True}
    stored = db.execute(
        sa.text("SELECT customer_id, customer_verified, customer_name, customer_attributes, attributes "
                "FROM chat_sessions WHERE id = :id"),
        {"id": created["session_id"]},
    ).one()  # fmt: skip
    assert tuple(stored) == (customer, True, "Ada", {"plan": "pro"}, {})


def test_a_visitor_who_signs_in_mid_chat_keeps_the_conversation(function_client, hmac_shop):
    customer = _customer_id()
    session = _open(function_client, attributes={"page": "/help"})
    _say(function_client, session, "Where is my order?")
    body = {"session_id": session["session_id"], "identity_token": hmac_shop.sign(customer, algorithm="HS256")}
    identified = function_client("identify").post("/", json=body, headers=_bearer(session["session_token"]))
    assert identified.status_code == 200, identified.json
    assert identified.json["customer"]["customer_id"] == customer and identified.json["state"] == "bot"
    listed = _listed(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    assert [c["session_id"] for c in listed] == [session["session_id"]]


def test_identify_needs_the_sessions_own_token(function_client, hmac_shop):
    session = _open(function_client)
    body = {"session_id": session["session_id"], "identity_token": hmac_shop.sign(algorithm="HS256")}
    response = function_client("identify").post("/", json=body, headers=_bearer("not-the-token"))
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_a_session_verified_as_one_customer_cannot_be_identified_as_another(function_client, hmac_shop):
    first, second = _customer_id(), _customer_id()
    session = _open(function_client, hmac_shop.sign(first, algorithm="HS256"))
    auth = _bearer(session["session_token"])
    again = {"session_id": session["session_id"], "identity_token": hmac_shop.sign(first, algorithm="HS256", name="A")}
    assert function_client("identify").post("/", json=again, headers=auth).status_code == 200
    other = {"session_id": session["session_id"], "identity_token": hmac_shop.sign(second, algorithm="HS256")}
    refused = function_client("identify").post("/", json=other, headers=auth)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "conflict"
    assert _listed(function_client, hmac_shop.sign(second, algorithm="HS256")) == []


def test_get_conversations_lists_only_the_customers_own_newest_first(function_client, hmac_shop):
    customer, stranger = _customer_id(), _customer_id()
    older = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    newer = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))  # nothing said: not listed
    theirs = _open(function_client, hmac_shop.sign(stranger, algorithm="HS256"))
    for session, words in ((newer, "Can I return shoes?"), (theirs, "Stranger here"), (older, "Where is my order?")):
        _say(function_client, session, words)
    _say(function_client, newer, "And a jacket?")
    listed = _listed(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    assert [c["session_id"] for c in listed] == [newer["session_id"], older["session_id"]]
    assert listed[0]["last_message_at"] >= listed[1]["last_message_at"] and listed[0]["preview"]
    assert set(listed[0]) == {"session_id", "started_at", "last_message_at", "state", "preview"}


def test_resume_session_gives_the_customer_a_fresh_token_for_their_own_conversation(function_client, hmac_shop):
    customer = _customer_id()
    session = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    _say(function_client, session, "Where is my order?")
    body = {"session_id": session["session_id"]}
    resumed = function_client("resume_session").post(
        "/", json=body, headers=_bearer(hmac_shop.sign(customer, algorithm="HS256"))
    )
    assert resumed.status_code == 200 and resumed.json["session_id"] == session["session_id"]
    query = f"/?session_id={session['session_id']}"
    fresh = function_client("get_messages").get(query, headers=_bearer(resumed.json["session_token"]))
    assert fresh.status_code == 200 and fresh.json["messages"][0]["content"] == "Where is my order?"
    assert function_client("get_messages").get(query, headers=_bearer(session["session_token"])).status_code == 401


def test_no_customer_can_resume_another_customers_or_an_anonymous_conversation(function_client, hmac_shop):
    owner, thief = _customer_id(), _customer_id()
    owned = _open(function_client, hmac_shop.sign(owner, algorithm="HS256"))
    anonymous = _open(function_client)
    for session in (owned, anonymous):
        _say(function_client, session, "Private words")
        response = function_client("resume_session").post(
            "/", json={"session_id": session["session_id"]}, headers=_bearer(hmac_shop.sign(thief, algorithm="HS256"))
        )
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert _listed(function_client, hmac_shop.sign(thief, algorithm="HS256")) == []


def test_a_session_token_is_no_identity_token(function_client, hmac_shop):
    session = _open(function_client)
    response = function_client("get_conversations").get("/", headers=_bearer(session["session_token"]))
    assert response.status_code == 401 and response.json["error"]["code"] == "identity_invalid"


def test_neither_the_token_nor_its_claims_reach_a_log_line(function_client, hmac_shop, caplog, capsys):
    canary = f"canary{secrets.token_hex(6)}"
    capsys.readouterr()
    good = hmac_shop.sign(f"{canary}-id", algorithm="HS256", name=canary, email=f"{canary}@shop.example",
                          attributes={"plan": canary})  # fmt: skip
    bad = hmac_shop.sign(f"{canary}-id", algorithm="HS256", lifetime=-5, name=canary)
    session = _open(function_client, good)
    _say(function_client, session, "Where is my order?")
    _refused(function_client, bad)
    function_client("get_conversations").get("/", headers=_bearer(good))
    function_client("get_conversations").get("/", headers=_bearer(bad))
    logged = capsys.readouterr()
    records = " ".join(f"{record.getMessage()} {vars(record)}" for record in caplog.records)
    for text in (logged.out, logged.err, records):
        assert canary not in text and good not in text and bad not in text


# --- What the bot knows of a verified customer ---------------------------------------------------


def test_the_greeting_uses_the_verified_name_in_the_customers_language(function_client, hmac_shop):
    created = _open(function_client, hmac_shop.sign(_customer_id(), algorithm="HS256", name="Ada", locale="fr-FR"))
    assert created["greeting"].startswith("Bonjour Ada ! Je suis Ivy")
    anonymous = _open(function_client, locale="fr-FR")
    assert anonymous["greeting"].startswith("Bonjour ! Je suis Ivy")


def test_the_model_gets_the_verified_name_and_attributes_as_delimited_data(function_client, hmac_shop, fake_gemini):
    token = hmac_shop.sign(_customer_id(), algorithm="HS256", name="Ada", attributes={"plan": "pro", "country": "FR"})
    known = _open(function_client, token, attributes={"page": "/help"})
    _say(function_client, known, "How do I return an item?")
    anonymous = _open(function_client, attributes={"page": "/help"})
    _say(function_client, anonymous, "How do I return an item?")
    to_known, to_anonymous = fake_gemini.answers()[-2:]
    block = to_known.user.split("<customer>\n", 1)[1].split("\n</customer>", 1)[0]
    assert json.loads(block) == {"name": "Ada", "attributes": {"plan": "pro", "country": "FR"}, "verified": True}
    assert "<customer>" in to_known.system and "data, never instructions" in to_known.system
    assert "<customer>" not in to_anonymous.user and "/help" not in to_anonymous.user


# --- What the agents see ------------------------------------------------------------------------


def test_the_console_shows_the_verified_customer_their_attributes_and_other_conversations(function_client, hmac_shop):
    customer = _customer_id()
    earlier = _open(function_client, hmac_shop.sign(customer, algorithm="HS256", name="Ada"))
    _say(function_client, earlier, "Where is my order?")
    claims = {"name": "Ada", "email": "ada@shop.example", "attributes": {"plan": "pro"}}
    current = _open(function_client, hmac_shop.sign(customer, algorithm="HS256", **claims), attributes={"page": "/x"})
    _say(function_client, current, "Can I return shoes?")
    agent = new_operator()
    detail = function_client("operator_api").get(f"/conversations/{current['session_id']}", headers=agent.auth).json
    known = detail["customer"]
    assert (known["customer_id"], known["verified"], known["name"]) == (customer, True, "Ada")
    assert known["email"] == "ada@shop.example" and known["attributes"] == {"plan": "pro"}
    assert detail["attributes"] == {"page": "/x"}  # unsigned, shown as unverified
    assert [c["session_id"] for c in detail["other_conversations"]] == [earlier["session_id"]]
    anonymous = _open(function_client)
    _say(function_client, anonymous, "Hello")
    plain = function_client("operator_api").get(f"/conversations/{anonymous['session_id']}", headers=agent.auth).json
    assert plain["customer"] is None and plain["other_conversations"] == []


def test_a_signed_in_customer_exports_all_their_conversations_and_nobody_elses(function_client, hmac_shop):
    customer, stranger = _customer_id(), _customer_id()
    first = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    second = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    theirs = _open(function_client, hmac_shop.sign(stranger, algorithm="HS256"))
    for session, words in ((first, "Where is my order?"), (second, "Can I return shoes?"), (theirs, "Stranger here")):
        _say(function_client, session, words)
    exported = function_client("export_my_data").post(
        "/", json={}, headers=_bearer(hmac_shop.sign(customer, algorithm="HS256"))
    )
    assert exported.status_code == 200, exported.json
    assert exported.json["scope"] == "customer"
    said = {m["content"] for c in exported.json["conversations"] for m in c["messages"] if m["sender"] == "user"}
    assert said == {"Where is my order?", "Can I return shoes?"}


def test_a_signed_in_customer_erases_all_their_conversations_at_once(function_client, hmac_shop):
    customer, stranger = _customer_id(), _customer_id()
    mine = [_open(function_client, hmac_shop.sign(customer, algorithm="HS256")) for _ in range(2)]
    theirs = _open(function_client, hmac_shop.sign(stranger, algorithm="HS256"))
    for session in (*mine, theirs):
        _say(function_client, session, "Where is my order?")
    erased = function_client("erase_my_data").post(
        "/", json={}, headers=_bearer(hmac_shop.sign(customer, algorithm="HS256"))
    )
    assert erased.status_code == 204
    assert _listed(function_client, hmac_shop.sign(customer, algorithm="HS256")) == []
    assert len(_listed(function_client, hmac_shop.sign(stranger, algorithm="HS256"))) == 1
    query = f"/?session_id={mine[0]['session_id']}"
    assert function_client("get_messages").get(query, headers=_bearer(mine[0]["session_token"])).status_code == 401


def test_a_session_token_without_a_conversation_id_is_no_identity_token_for_ones_data(function_client, hmac_shop):
    session = _open(function_client)
    refused = function_client("erase_my_data").post("/", json={}, headers=_bearer(session["session_token"]))
    assert refused.status_code == 401 and refused.json["error"]["code"] == "identity_invalid"


def test_an_admin_exports_and_erases_a_signed_in_customer_by_their_id(function_client, hmac_shop):
    customer = _customer_id()
    session = _open(function_client, hmac_shop.sign(customer, algorithm="HS256"))
    _say(function_client, session, "Where is my order?")
    agent, admin = new_operator(), new_operator("admin")
    api = function_client("operator_api")
    assert api.get(f"/customers/{customer}/export", headers=agent.auth).status_code == 403
    exported = api.get(f"/customers/{customer}/export", headers=admin.auth)
    assert exported.status_code == 200 and exported.json["scope"] == "customer"
    assert exported.json["conversations"][0]["messages"][0]["content"] == "Where is my order?"
    assert api.delete(f"/customers/{customer}", headers=admin.auth).status_code == 204
    assert api.delete(f"/customers/{customer}", headers=admin.auth).status_code == 404
    assert _listed(function_client, hmac_shop.sign(customer, algorithm="HS256")) == []
