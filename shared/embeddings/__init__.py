"""Choosing the embedder: `EMBEDDER` = none (the default, lexical only), local, gemini, or auto.

`auto` picks Gemini embeddings when Gemini credentials exist. It is not the default because
the hybrid threshold was chosen on the evaluation sets with the local model; Gemini's scores
have another scale and need their own run of bench/tune_fusion.py first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from shared.embeddings.base import Embedder
from shared.settings import get_settings

_override: list[Embedder | None] = []


def get_embedder() -> Embedder | None:
    """The process's embedder, or None for lexical-only retrieval; loaded on first use."""
    return _override[-1] if _override else _configured()


@contextmanager
def use_embedder(embedder: Embedder | None) -> Iterator[None]:
    """Embed with `embedder` inside the block (for tests and tools)."""
    _override.append(embedder)
    try:
        yield
    finally:
        _override.pop()


@lru_cache(maxsize=1)
def _configured() -> Embedder | None:
    settings = get_settings()
    choice = settings.embedder
    if choice == "auto":
        choice = "gemini" if settings.gemini_configured else "none"
    if choice == "gemini":
        from shared.embeddings.gemini import GeminiEmbedder

        return GeminiEmbedder()
    if choice == "local":
        from shared.embeddings.local import LocalEmbedder

        return LocalEmbedder()
    return None
