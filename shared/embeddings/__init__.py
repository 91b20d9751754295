"""Choosing the embedder: `EMBEDDER` = auto (the default), none, combined, multilingual, local or gemini.

`auto` takes the best of what is installed: `combined` (the multilingual Universal Sentence
Encoder beside the English all-MiniLM-L6-v2) when both models' files are there, else
`multilingual` alone, else none: lexical retrieval only. Both encoders run on the CPU with numpy
and load in a fraction of a second on the first question; the multilingual one places questions
in French, Spanish, German and other languages near their English paraphrases. The deploy
archive carries MiniLM's files (devtools/archive.py); `./dev` installs both. `gemini` calls the
Gemini API. Each model's scores have their own scale: thresholds are calibrated per model.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from shared.core.settings import get_settings
from shared.embeddings.base import Embedder

_override: list[Embedder | None] = []
_choosing = threading.Lock()


def get_embedder() -> Embedder | None:
    """The process's embedder, or None for lexical-only retrieval; loaded on first use."""
    if _override:
        return _override[-1]
    with _choosing:  # two first requests must not build two embedders
        return _configured()


@contextmanager
def use_embedder(embedder: Embedder | None) -> Iterator[None]:
    """Embed with `embedder` inside the block (for tests and tools)."""
    _override.append(embedder)
    try:
        yield
    finally:
        _override.pop()


def automatic_choice() -> str:
    """What `EMBEDDER=auto` means on this installation."""
    from shared.embeddings import local, multilingual

    if multilingual.installed():
        return "combined" if local.installed() else "multilingual"
    return "none"


def describe_retrieval() -> str:
    """The active retrieval mode in one line, for the start-up log."""
    embedder = get_embedder()
    if embedder is not None:
        return f"hybrid retrieval ({_label(embedder)}, {embedder.dimensions} dimensions)"
    if not _override and get_settings().embedder == "auto":
        from shared.embeddings.multilingual import PACKAGE

        return f"lexical retrieval only: {PACKAGE} is not installed"
    return "lexical retrieval only (EMBEDDER=none)" if not _override else "lexical retrieval only"


def _label(embedder: Embedder) -> str:
    kind = embedder.model.split("/", 1)[0]
    labels = {
        "combined": "multilingual encoder + English MiniLM",
        "multilingual": "multilingual encoder",
        "local": "English MiniLM",
    }
    return labels.get(kind, embedder.model)


@lru_cache(maxsize=1)
def _configured() -> Embedder | None:
    configured = get_settings().embedder
    choice = automatic_choice() if configured == "auto" else configured
    if choice == "combined":
        from shared.embeddings.combined import CombinedEmbedder

        return CombinedEmbedder()
    if choice == "multilingual":
        from shared.embeddings.multilingual import MultilingualEmbedder

        return MultilingualEmbedder()
    if choice == "gemini":
        from shared.embeddings.gemini import GeminiEmbedder

        return GeminiEmbedder()
    if choice == "local":
        from shared.embeddings.local import LocalEmbedder

        return LocalEmbedder()
    return None
