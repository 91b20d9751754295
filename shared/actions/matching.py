"""Which action a message asks for, without a model: the nearest of the actions' `examples`.

Each action's examples are embedded once (with the knowledge base's embedder) and a message is
scored by its nearest example, blended with how many of the message's content words the
action's examples and description use; with no embedder, by those words alone. An action is
chosen only above its own threshold, and only when the runner-up action is not as close: a
message near two actions is left to the knowledge base rather than guessed.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import numpy as np

from shared.actions.catalogue import Catalogue
from shared.actions.spec import ActionSpec
from shared.embeddings import get_embedder
from shared.embeddings.base import Embedder
from shared.text.small_words import FUNCTION_WORDS

log = logging.getLogger("support.actions")

DENSE_THRESHOLD = 0.53
LEXICAL_THRESHOLD = 0.6
RUNNER_UP_MARGIN = 0.03
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_vectors: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
_embedding = threading.Lock()


@dataclass(frozen=True)
class Match:
    action: ActionSpec
    score: float


def best_action(message: str, actions: Catalogue) -> Match | None:
    """The action `message` asks for, if one is clearly nearest and near enough."""
    if not actions:
        return None
    query = _query_vector(message)
    scored = sorted(((_score(message, query, action), action) for action in actions.actions), key=lambda s: -s[0])
    (score, action), runner_up = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    threshold = DENSE_THRESHOLD if get_embedder() is not None else LEXICAL_THRESHOLD
    if score < threshold or score - runner_up < RUNNER_UP_MARGIN:
        return None
    return Match(action, score)


def scores(message: str, actions: Catalogue) -> dict[str, float]:
    """Every action's score for `message` (for evaluation and the console's "Try it")."""
    query = _query_vector(message)
    return {action.name: _score(message, query, action) for action in actions.actions}


def _query_vector(message: str) -> np.ndarray | None:
    embedder = get_embedder()
    if embedder is None:
        return None
    try:
        return np.asarray(embedder.embed_query(message))
    except Exception:
        log.exception("embedding for action matching failed; matching by words")
        return None


def _score(message: str, query: np.ndarray | None, action: ActionSpec) -> float:
    lexical = _word_overlap(message, action)
    embedder = get_embedder()
    if embedder is None or query is None or not action.examples:
        return lexical
    dense = float(np.max(_example_vectors(embedder, action) @ query))
    return 0.8 * dense + 0.2 * lexical


def _example_vectors(embedder: Embedder, action: ActionSpec) -> np.ndarray:
    key = (f"{embedder.model}:{action.name}", tuple(action.examples))
    with _embedding:
        if key not in _vectors:
            _vectors[key] = np.asarray(embedder.embed_documents(action.examples))
        return _vectors[key]


def _word_overlap(message: str, action: ActionSpec) -> float:
    """The share of the message's content words that the action's examples or description use."""
    words = _content_words(message)
    if not words:
        return 0.0
    known = _content_words(" ".join([*action.examples, action.description]))
    return sum(1 for word in words if _known(word, known)) / len(words)


def _known(word: str, known: set[str]) -> bool:
    return word in known or any(len(word) > 4 and other.startswith(word[:5]) for other in known)


def _content_words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in FUNCTION_WORDS and len(word) > 1}
