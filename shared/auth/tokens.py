"""Bearer tokens: random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_session_token() -> str:
    """A fresh bearer token with 256 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token; a fast hash suffices for 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()
