"""Choosing the answer provider: a model when one is configured, the offline provider otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from shared.answering.offline import OfflineProvider
from shared.answering.types import AnswerProvider

_override: AnswerProvider | None = None
_offline = OfflineProvider()


def get_provider() -> AnswerProvider:
    """The provider answering this process's messages."""
    return _override or _offline


def offline_provider() -> OfflineProvider:
    """The model-free provider, also the fallback when a model fails."""
    return _offline


@contextmanager
def use_provider(provider: AnswerProvider) -> Iterator[None]:
    """Answer with `provider` inside the block (for tests and tools)."""
    global _override
    previous, _override = _override, provider
    try:
        yield
    finally:
        _override = previous
