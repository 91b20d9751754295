"""A local stand-in for Google's token issuer: it signs ID tokens and serves their certificates.

`FakeIssuer().start()` serves `GET /certs` in the shape of Google's v1 certs endpoint
(`{key_id: PEM certificate}`); `issue(...)` signs a token with the matching private key, so
the real `google.oauth2.id_token.verify_token` verifies it when pointed at `certs_url`.
"""

from __future__ import annotations

import datetime
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from devtools import local_server

KEY_ID = "fake-issuer-key"


class FakeIssuer:
    def __init__(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-issuer")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .sign(key, hashes.SHA256())
        )
        self.private_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        self.certs = {KEY_ID: certificate.public_bytes(serialization.Encoding.PEM).decode()}

    def start(self) -> FakeIssuer:
        self._server = local_server.serve(get=self._send_certs)
        return self

    def _send_certs(self, handler: BaseHTTPRequestHandler) -> None:
        local_server.send_json(handler, 200, self.certs)

    def stop(self) -> None:
        local_server.stop(self._server)

    @property
    def certs_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/certs"

    def issue(self, *, audience: str, email: str, lifetime: int = 3600, **claims: Any) -> str:
        """A signed ID token; `claims` override or add to the usual Google ones."""
        from google.auth import crypt, jwt

        now = int(time.time())
        payload = {
            "iss": "https://accounts.google.com",
            "aud": audience,
            "sub": "1" + str(abs(hash(email)))[:20],
            "email": email,
            "email_verified": True,
            "iat": now,
            "exp": now + lifetime,
            **claims,
        }
        signer = crypt.RSASigner.from_string(self.private_pem, key_id=KEY_ID)
        return jwt.encode(signer, payload).decode()
