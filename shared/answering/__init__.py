"""Choosing the answer provider from ANSWER_PROVIDER: offline, gemini, openai, or auto.

auto means Gemini when its credentials are configured, else offline. A model provider's module
(and its SDK) is imported on first use only. A new provider is one module subclassing
`structured.StructuredProvider`, plus its line in `_MODEL_PROVIDERS`; with a `tool_round` method
(`tools.ToolCaller`), its model also chooses actions by calling tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from shared.answering.providers.offline import OfflineProvider
from shared.answering.types import AnswerProvider
from shared.core.settings import get_settings

_override: AnswerProvider | None = None
_offline = OfflineProvider()


def get_provider() -> AnswerProvider:
    """The provider answering this process's messages."""
    if _override is not None:
        return _override
    settings = get_settings()
    choice = settings.answer_provider
    if choice == "auto":
        choice = "gemini" if settings.gemini_configured else "offline"
    return _offline if choice == "offline" else _model_provider(choice)


def offline_provider() -> OfflineProvider:
    """The model-free provider, also the fallback when a model fails."""
    return _offline


def _gemini() -> AnswerProvider:
    from shared.answering.providers.gemini import GeminiProvider

    return GeminiProvider()


def _openai() -> AnswerProvider:
    from shared.answering.providers.openai_compatible import OpenAICompatibleProvider

    return OpenAICompatibleProvider()


_MODEL_PROVIDERS: dict[str, Callable[[], AnswerProvider]] = {"gemini": _gemini, "openai": _openai}


@cache
def _model_provider(name: str) -> AnswerProvider:
    # Built on first use: the offline path never loads a model SDK.
    return _MODEL_PROVIDERS[name]()


@contextmanager
def use_provider(provider: AnswerProvider) -> Iterator[None]:
    """Answer with `provider` inside the block (for tests and tools)."""
    global _override
    previous, _override = _override, provider
    try:
        yield
    finally:
        _override = previous
