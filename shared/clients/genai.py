"""The process's one google-genai client, shared by answers, summaries and embeddings.

It is built on first use under a lock: two threads building one each would leave one of
them calling a client that the garbage collector closes ("the client has been closed").
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from shared.core.settings import Settings, get_settings

if TYPE_CHECKING:
    from google import genai

RETRYABLE_STATUS = [408, 429, 500, 502, 503, 504]
_lock = threading.Lock()
_client: genai.Client | None = None


def get_client() -> genai.Client:
    """The shared client, built from the settings on first use."""
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = build_client(get_settings())
    return _client


def forget_client() -> None:
    """Build a new client on next use (after the settings changed); the old one is left to its users."""
    global _client
    with _lock:
        _client = None


def build_client(settings: Settings) -> genai.Client:
    """A client for the configured backend, with the API version pinned for it, a timeout and retries."""
    from google import genai
    from google.genai import types

    http_options = types.HttpOptions(
        api_version=settings.genai_api_version,
        timeout=int(settings.gemini_timeout_seconds * 1000),
        retry_options=types.HttpRetryOptions(
            attempts=settings.gemini_retry_attempts,
            initial_delay=0.5,
            max_delay=4.0,
            exp_base=2.0,
            http_status_codes=RETRYABLE_STATUS,
        ),
    )
    if settings.google_genai_use_vertexai:
        return genai.Client(
            vertexai=True,
            project=settings.google_cloud_project,
            location=settings.google_cloud_location,
            http_options=http_options,
        )
    api_key = settings.google_api_key.get_secret_value() if settings.google_api_key else None
    return genai.Client(api_key=api_key, http_options=http_options)
