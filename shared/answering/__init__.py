"""Choosing the answer provider: Gemini when credentials are configured, the offline provider otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from shared.answering.offline import OfflineProvider
from shared.answering.types import AnswerProvider
from shared.settings import get_settings

_override: AnswerProvider | None = None
_offline = OfflineProvider()


def get_provider() -> AnswerProvider:
    """The provider answering this process's messages."""
    if _override is not None:
        return _override
    return _gemini() if get_settings().gemini_configured else _offline


def offline_provider() -> OfflineProvider:
    """The model-free provider, also the fallback when a model fails."""
    return _offline


@lru_cache(maxsize=1)
def _gemini() -> AnswerProvider:
    # Imported on first use: the offline path never loads the model SDK.
    from shared.answering.gemini import GeminiProvider

    return GeminiProvider()


@contextmanager
def use_provider(provider: AnswerProvider) -> Iterator[None]:
    """Answer with `provider` inside the block (for tests and tools)."""
    global _override
    previous, _override = _override, provider
    try:
        yield
    finally:
        _override = previous
