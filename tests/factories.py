"""Random test data, so tests never depend on each other's rows."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from shared.schemas import SessionCreate
from shared.services import sessions


@dataclass(frozen=True)
class NewSession:
    id: uuid.UUID
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_session() -> NewSession:
    """Open a session through the service, as a client would."""
    created = sessions.create_session(SessionCreate(attributes={"test": secrets.token_hex(4)}))
    return NewSession(created.session_id, created.session_token)


def client_message_id() -> str:
    return f"c-{secrets.token_hex(8)}"
