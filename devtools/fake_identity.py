"""A local stand-in for a shop's backend that signs its customers' identity tokens.

`FakeShop().start()` serves its public keys at `GET /jwks.json` (RFC 7517, one RSA and one EC
P-256 key, each with its `kid`) and counts the fetches; `sign(...)` makes an RS256, ES256 or
HS256 token the way a shop would. `rotate()` replaces the published keys, as a shop rotating them.

For `./dev run`, with IDENTITY_SIGNING_SECRET in `.env`:
    python -m devtools.fake_identity --sub cust-1 --name Ada
prints a token for the widget's `data-identity-token` (or `SupportWidget.identify(...)`).
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any

from devtools import local_server
from shared.core.settings import get_settings

SECRET = "a-local-identity-secret-of-at-least-32-chars"


class FakeShop:
    def __init__(self, *, secret: str = SECRET) -> None:
        self.secret = secret
        self.fetches = 0
        self.rotate()

    def rotate(self) -> None:
        """New RSA and EC keys under new kids; the old ones are no longer published."""
        from cryptography.hazmat.primitives.asymmetric import ec, rsa

        suffix = uuid.uuid4().hex[:8]
        self.keys = {
            "RS256": (f"rsa-{suffix}", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "ES256": (f"ec-{suffix}", ec.generate_private_key(ec.SECP256R1())),
        }

    def jwks(self) -> dict[str, Any]:
        """The published key set: public halves only."""
        from jwt.algorithms import ECAlgorithm, RSAAlgorithm

        published = []
        for algorithm, (kid, key) in self.keys.items():
            to_jwk = RSAAlgorithm.to_jwk if algorithm == "RS256" else ECAlgorithm.to_jwk
            jwk = to_jwk(key.public_key(), as_dict=True)  # type: ignore[arg-type]
            published.append({**jwk, "kid": kid, "alg": algorithm, "use": "sig"})
        return {"keys": published}

    def start(self) -> FakeShop:
        self._server = local_server.serve(get=self._send_jwks)
        return self

    def _send_jwks(self, handler: BaseHTTPRequestHandler) -> None:
        self.fetches += 1
        local_server.send_json(handler, 200, self.jwks())

    def stop(self) -> None:
        local_server.stop(self._server)

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/jwks.json"

    def sign(
        self,
        sub: str | None = "customer-1",
        *,
        algorithm: str = "RS256",
        lifetime: int = 600,
        headers: dict[str, Any] | None = None,
        key: Any = None,
        **claims: Any,
    ) -> str:
        """A token for customer `sub` (None: no sub) valid for `lifetime` seconds; `claims` add or override."""
        import jwt

        payload: dict[str, Any] = {"iat": int(time.time()), "exp": int(time.time()) + lifetime}
        if sub is not None:
            payload["sub"] = sub
        payload.update(claims)
        if algorithm == "HS256":
            return jwt.encode(payload, key or self.secret, algorithm="HS256", headers=headers)
        kid, private = self.keys[algorithm]
        return jwt.encode(payload, key or private, algorithm=algorithm, headers={"kid": kid, **(headers or {})})


def main() -> None:
    parser = argparse.ArgumentParser(description="Print an HS256 identity token signed with IDENTITY_SIGNING_SECRET.")
    parser.add_argument("--sub", default="customer-1")
    parser.add_argument("--name")
    parser.add_argument("--email")
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--attributes", default="{}", help='a JSON object of short strings, e.g. {"plan": "pro"}')
    args = parser.parse_args()
    claims = {name: value for name, value in (("name", args.name), ("email", args.email)) if value}
    secret = get_settings().identity_signing_secret
    shop = FakeShop(secret=secret.get_secret_value() if secret else SECRET)
    attributes = json.loads(args.attributes)
    print(shop.sign(args.sub, algorithm="HS256", lifetime=args.minutes * 60, attributes=attributes, **claims))


if __name__ == "__main__":
    main()
