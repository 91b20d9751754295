"""Both local encoders at once: the multilingual Universal Sentence Encoder beside the English MiniLM.

Each text's two unit vectors are weighted, put end to end and scaled back to unit length, so a
cosine is a weighted mean of the two models' cosines. Neither model alone is as good as the
pair: on the banking77 dev set the multilingual encoder finds 85.2% of the right entries and the
MiniLM 87.5%, the pair 88.3%; and only the pair keeps French, Spanish and German questions near
their English phrasings while doing as well in English (README, "Retrieval quality").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from shared.embeddings.base import ArrayEncoder
from shared.embeddings.local import LocalEmbedder
from shared.embeddings.multilingual import MultilingualEmbedder

MODEL = "combined/use-multilingual-3+all-MiniLM-L6-v2"
# The multilingual encoder's share (MiniLM's is 1): chosen on the dev sets (bench/tune_fusion.py).
MULTILINGUAL_WEIGHT = 0.7


class CombinedEmbedder(ArrayEncoder):
    """Unit vectors of 512 + 384 dimensions; both models load on first use, once per process."""

    model = MODEL
    dimensions = 512 + 384
    # Reads French, Spanish and German: entries' translated phrasings are embedded too (see knowledge/vectors).
    multilingual = True

    def __init__(self) -> None:
        super().__init__()  # one queue for both models: a batch of questions passes through each in turn
        self.multilingual_encoder, self.english_encoder = MultilingualEmbedder(), LocalEmbedder()

    def knows_word(self, word: str) -> bool:
        """Whether either model knows `word` as a word (knowledge/spelling)."""
        return self.english_encoder.knows_word(word) or self.multilingual_encoder.knows_word(word)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 896) array of unit vectors, in input order."""
        multilingual = MULTILINGUAL_WEIGHT * self.multilingual_encoder.encode(texts)
        both = np.hstack([multilingual, self.english_encoder.encode(texts)])
        unit: np.ndarray = both / np.linalg.norm(both, axis=1, keepdims=True)
        return unit

    def load(self) -> None:
        """Load both models now rather than on the first question."""
        self.multilingual_encoder.load()
