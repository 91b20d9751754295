"""Grouping the questions the bot could not answer, so the team sees each missing topic once.

Greedy single pass, newest question first: a question joins the first group whose centroid it
is close to (cosine of the active embedder's vectors), else starts a group. Without an
embedder, closeness is the overlap of the questions' word sets. Groups with more questions
come first, then the most recently seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.embeddings.base import Embedder

# Paraphrases of one question score about 0.6-0.9 with the multilingual encoder, different
# questions of one shop 0.2-0.5: 0.55 keeps paraphrases together and topics apart.
VECTOR_SIMILARITY = 0.55
WORD_OVERLAP = 0.4
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Question:
    message_id: int
    text: str


@dataclass
class Group:
    questions: list[Question] = field(default_factory=list)
    centroid: Any = None
    words: set[str] = field(default_factory=set)


def group(questions: Sequence[Question], embedder: Embedder | None) -> list[list[Question]]:
    """`questions` (newest first) in groups of the same topic, the largest first."""
    import numpy as np  # here, not at the top: the operator API starts without it

    groups: list[Group] = []
    vectors = np.array(embedder.embed_documents([q.text for q in questions])) if embedder and questions else None
    for index, question in enumerate(questions):
        vector = _unit(vectors[index]) if vectors is not None else None
        words = set(_WORD.findall(question.text.lower()))
        home = next((g for g in groups if _close(g, vector, words)), None)
        if home is None:
            home = Group()
            groups.append(home)
        _add(home, question, vector, words)
    ordered = sorted(enumerate(groups), key=lambda item: (-len(item[1].questions), item[0]))
    return [g.questions for _, g in ordered]


def _close(candidate: Group, vector: Any, words: set[str]) -> bool:
    if vector is not None:
        return float(_unit(candidate.centroid) @ vector) >= VECTOR_SIMILARITY
    union = candidate.words | words
    return bool(union) and len(candidate.words & words) / len(union) >= WORD_OVERLAP


def _add(target: Group, question: Question, vector: Any, words: set[str]) -> None:
    count = len(target.questions)
    if vector is not None:
        target.centroid = vector if count == 0 else (target.centroid * count + vector) / (count + 1)
    target.words = target.words | words if count else words
    target.questions.append(question)


def _unit(vector: Any) -> Any:
    import numpy as np

    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
