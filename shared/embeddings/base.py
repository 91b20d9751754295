"""The embedder interface: texts in, unit-length vectors out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from shared.embeddings.batching import QueryBatcher

Vector = list[float]


class Embedder(Protocol):
    """Turns texts into vectors of `dimensions` floats; `model` is stored with every vector."""

    model: str
    dimensions: int

    def embed_documents(self, texts: Sequence[str]) -> list[Vector]:
        """Vectors for knowledge-base texts, in order."""
        ...

    def embed_query(self, text: str) -> Vector:
        """The vector of a customer's question."""
        ...


class ArrayEncoder:
    """An embedder written as one `encode`: texts in, an (n, dimensions) numpy array of unit vectors out.

    Questions asked at the same time by several threads are encoded together (see batching).
    """

    def __init__(self) -> None:
        self.queries = QueryBatcher(self.encode)

    def encode(self, texts: Sequence[str]) -> Any:
        raise NotImplementedError

    def embed_documents(self, texts: Sequence[str]) -> list[Vector]:
        """Vectors for knowledge-base texts, in order."""
        vectors: list[Vector] = self.encode(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> Vector:
        """The vector of a customer's question."""
        vector: Vector = self.queries(text).tolist()
        return vector

    def embed_queries(self, texts: Sequence[str]) -> list[Vector]:
        """The vectors of a message and its parts, in one pass of the encoder."""
        return [row.tolist() for row in self.queries.many(texts)]


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> list[Vector]:
    """The vectors of `texts` as questions: in one pass when the embedder encodes several at once
    (a message asking three things cost three passes), else one by one."""
    together = getattr(embedder, "embed_queries", None)
    if together is not None:
        vectors: list[Vector] = together(texts)
        return vectors
    return [embedder.embed_query(text) for text in texts]


def normalized(vector: Sequence[float]) -> Vector:
    """`vector` scaled to unit length (cosine then equals the inner product)."""
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def to_pgvector(vector: Sequence[float]) -> str:
    """The text form pgvector parses: `[0.1,0.2,...]`."""
    # One formatting call for the whole vector: a question's 896 numbers in 60% of the time.
    return "[" + ",".join(["%.7g"] * len(vector)) % tuple(vector) + "]"
