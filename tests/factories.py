"""Random test data, so tests never depend on each other's rows."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from shared.schemas.public import SessionCreate
from shared.services import sessions


@dataclass(frozen=True)
class NewSession:
    id: uuid.UUID
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_session(locale: str | None = None, attributes: dict[str, str] | None = None) -> NewSession:
    """Open a session through the service, as a client would."""
    attributes = {"test": secrets.token_hex(4), **(attributes or {})}
    created = sessions.create_session(SessionCreate(locale=locale, attributes=attributes))
    return NewSession(created.session_id, created.session_token)


def client_message_id() -> str:
    return f"c-{secrets.token_hex(8)}"


def unique_marker() -> str:
    """Digits that make a question unique: a hex marker can be corrected into a knowledge-base word."""
    return str(10**7 + secrets.randbelow(9 * 10**7))


def ask_bot(function_client, content: str) -> dict:  # type: ignore[no-untyped-def]
    """The bot's reply to `content`, posted in a fresh session through the post_message function."""
    session = new_session()
    body = {"session_id": str(session.id), "content": content}
    reply: dict = function_client("post_message").post("/", json=body, headers=session.auth).json["reply"]
    return reply


@dataclass(frozen=True)
class NewOperator:
    id: uuid.UUID
    email: str
    name: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_operator(role: str = "agent") -> NewOperator:
    """An operator with a random email, signed in (a live token)."""
    from shared.auth.tokens import hash_token, new_session_token
    from shared.db import operators as operators_db
    from shared.db.engine import connection
    from shared.schemas.console import OperatorCreate
    from shared.services import operators

    name = f"Agent {secrets.token_hex(3)}"
    created = operators.add_operator(
        OperatorCreate(email=f"{secrets.token_hex(5)}@team.example", display_name=name, role=role)  # type: ignore[arg-type]
    )
    token = new_session_token()
    with connection() as conn:
        operators_db.store_token(conn, token_hash=hash_token(token), operator_id=created.id, hours=1)
    return NewOperator(created.id, created.email, name, token)
