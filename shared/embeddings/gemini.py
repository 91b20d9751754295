"""Gemini embeddings through google-genai (`gemini-embedding-001` at 768 dimensions by default).

What is sent leaves for Google: it is redacted like every other model input, whoever calls. Each
call's tokens are recorded (`answering.metering`): Vertex AI reports them per text; the Developer
API reports none, so they are estimated at four characters a token.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from shared.clients import metering
from shared.clients.genai import get_client
from shared.core.errors import ModelFailed
from shared.core.settings import get_settings
from shared.embeddings.base import Vector, normalized
from shared.text.redaction import for_model

BATCH = 100  # texts per batchEmbedContents request
CHARS_PER_TOKEN = 4


class GeminiEmbedder:
    """Document and query embeddings with their task types, L2-normalised (Matryoshka truncation needs it)."""

    def __init__(self) -> None:
        settings = get_settings()
        self.model_name = settings.gemini_embedding_model
        self.dimensions = settings.gemini_embedding_dimensions
        self.model = f"gemini/{self.model_name}/{self.dimensions}"

    def embed_documents(self, texts: Sequence[str]) -> list[Vector]:
        """Vectors for knowledge-base texts, in batches."""
        vectors: list[Vector] = []
        for start in range(0, len(texts), BATCH):
            vectors += self._embed(list(texts[start : start + BATCH]), "RETRIEVAL_DOCUMENT")
        return vectors

    def embed_query(self, text: str) -> Vector:
        """The vector of a customer's question."""
        return self._embed([text], "RETRIEVAL_QUERY")[0]

    def _embed(self, texts: list[str], task_type: str) -> list[Vector]:
        from google.genai import errors as genai_errors
        from google.genai import types

        config = types.EmbedContentConfig(task_type=task_type, output_dimensionality=self.dimensions)
        sent = [for_model(text) for text in texts]
        try:
            response = get_client().models.embed_content(model=self.model_name, contents=sent, config=config)
        except genai_errors.APIError as exc:
            raise ModelFailed(f"Gemini embeddings answered {exc.code} {exc.status}") from exc
        embeddings = response.embeddings or []
        if len(embeddings) != len(texts) or any(not e.values for e in embeddings):
            raise ModelFailed("Gemini returned an unexpected number of embeddings")
        metering.record({"model": self.model, "input_tokens": _tokens(sent, embeddings), "output_tokens": 0})
        return [normalized(e.values or []) for e in embeddings]


def _tokens(texts: list[str], embeddings: list[Any]) -> int:
    """The tokens the call was billed: Vertex AI's count per text, else an estimate."""
    counted = [e.statistics.token_count if e.statistics else None for e in embeddings]
    return sum(
        int(count) if count is not None else math.ceil(len(text) / CHARS_PER_TOKEN)
        for text, count in zip(texts, counted, strict=True)
    )
