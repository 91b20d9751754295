"""A local SMTP server for tests (aiosmtpd): records the messages it accepts, can refuse the first N.

`FakeSmtp(fail_first=1).start()` answers the first message's DATA with a temporary failure (451),
then accepts. With `login=("user", "password")` it offers AUTH (over plain text: it only ever
listens on 127.0.0.1), refuses any other login, and records whether each message came logged in.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    authenticated: bool


@dataclass
class FakeSmtp:
    fail_first: int = 0
    login: tuple[str, str] | None = None
    received: list[Received] = field(default_factory=list)
    refused: int = 0

    def start(self) -> FakeSmtp:
        from aiosmtpd.controller import Controller

        self.port = _free_port()
        auth: dict[str, Any] = {}
        if self.login:
            auth = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused < self.fail_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        authenticated = bool(getattr(session, "authenticated", False))
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, authenticated))
        return "250 OK"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        given = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=given == self.login)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
