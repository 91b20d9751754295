"""SentencePiece unigram tokenisation, read from a SentencePiece model file without the protobuf library.

Used by the multilingual encoder (multilingual.py): its model file holds 128,000 pieces, which
parsing message by message took half a second to load; here they are read in one pass.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

UNK, BOS, EOS = 0, 1, 2
SPACE = "\u2581"  # SentencePiece writes spaces as this
FILTER_ROUNDS = 4


class Tokenizer:
    """SentencePiece unigram segmentation after the model's own nmt_nfkc normalisation."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        pieces, scores, end = _read_pieces(data)
        self.ids = dict(zip(pieces, range(len(pieces)), strict=True))
        self.scores = scores
        self.longest = max(map(len, pieces))
        self.unknown_score = min(scores) - 10.0  # SentencePiece's penalty for an unknown character
        normalizer = next(data[s:e] for field, s, e in _fields(data, end, len(data)) if field == 3)
        charsmap = next(normalizer[s:e] for field, s, e in _fields(normalizer, 0, len(normalizer)) if field == 2)
        trie_size = struct.unpack_from("<I", charsmap)[0]
        self.trie: tuple[int, ...] = struct.unpack_from(f"<{trie_size // 4}I", charsmap, 4)
        self.replacements = charsmap[4 + trie_size :]

    def encode(self, text: str) -> list[int]:
        """Piece ids between <s> and </s>."""
        normalized = self.normalize(text)
        return [BOS, *(self.segment(normalized) if normalized else [UNK]), EOS]

    def normalize(self, text: str) -> str:
        """Charsmap rules applied, runs of spaces collapsed and trimmed, spaces written as ▁ with one in front."""
        raw = text.encode()
        out = bytearray()
        position, after_space = 0, True
        while position < len(raw):
            replacement, position = self._normalize_prefix(raw, position)
            if after_space:
                replacement = replacement.lstrip(b" ")
            if replacement:
                out += replacement
                after_space = replacement.endswith(b" ")
        return (SPACE + out.decode().replace(" ", SPACE)).rstrip(SPACE)

    def _normalize_prefix(self, raw: bytes, start: int) -> tuple[bytes, int]:
        """The longest charsmap rule at raw[start:] as (replacement, end); else the character unchanged."""
        trie = self.trie
        node = (trie[0] >> 10) << ((trie[0] & 0x200) >> 6)
        end = value = 0
        for position in range(start, len(raw)):  # a darts-clone double-array walk
            node ^= raw[position]
            unit = trie[node]
            if unit & 0x800000FF != raw[position]:
                break
            node ^= (unit >> 10) << ((unit & 0x200) >> 6)
            if unit & 0x100:
                end, value = position + 1, trie[node] & 0x7FFFFFFF
        if end:
            return self.replacements[value : self.replacements.index(0, value)], end
        lead = raw[start]
        end = start + (1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4)
        return raw[start:end], end

    def segment(self, text: str) -> list[int]:
        """The highest-scoring split of `text` into pieces (Viterbi); a character no piece covers is <unk>."""
        best = [0.0] + [-math.inf] * len(text)
        last = [(0, UNK)] * (len(text) + 1)  # the piece ending at each position on the best path
        word = 0
        for end in range(1, len(text) + 1):
            if text[end - 1] == SPACE:
                word = end - 1  # pieces are split at whitespace: none has a ▁ after its first character
            for start in range(max(word, end - self.longest), end):
                piece = self.ids.get(text[start:end])
                if piece is None and start == end - 1:
                    score = best[start] + self.unknown_score
                elif piece is None:
                    continue
                else:
                    score = best[start] + self.scores[piece]
                if score > best[end]:  # strictly: on a tie the earlier start wins, as in SentencePiece
                    best[end], last[end] = score, (start, UNK if piece is None else piece)
        ids, end = [], len(text)
        while end:
            end, piece = last[end]
            ids.append(piece)
        return ids[::-1]


def _read_pieces(data: bytes) -> tuple[list[str], list[float], int]:
    """The vocabulary (the model file's leading field 1), its scores, and where it ends.

    Every piece is `0a <size> 0a <length> <text> 15 <float32 score> [18 <type>]` with one-byte
    sizes, so two bytes say where the text is and where the next piece starts; the check at the
    end refuses a file laid out otherwise.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    starts, end = _record_starts(data)
    lengths = raw[starts + 3].astype(np.int64)
    # Each text with the length byte before it, which then becomes the \0 between two texts.
    spans = lengths + 1
    firsts = np.cumsum(spans) - spans
    joined = raw[np.repeat(starts + 3 - firsts, spans) + np.arange(int(spans.sum()))]
    joined[firsts] = 0
    pieces = joined[1:].tobytes().decode().split("\0")
    offsets = starts + 5 + lengths
    if len(pieces) != len(starts) or not (raw[offsets - 1] == 0x15).all():
        raise ValueError("unexpected SentencePiece model layout")
    scores: list[float] = raw[offsets[:, None] + np.arange(4)].view("<f4").ravel().tolist()
    return pieces, scores, end


def _record_starts(data: bytes) -> tuple[NDArray[np.int64], int]:
    """Where each piece's record starts, and where the records end.

    Found all at once (a walk record by record took 40 to 100 ms of every cold start): every place
    that looks like a record's start is a candidate. The candidates from the file's first byte
    while each one's size leads to the next are the records when the last one's leads to a byte
    that starts no record: exactly what a walk finds. A score's bytes can look like a start and
    break the run: candidates that no candidate's size leads to are dropped and the run tried
    again, a few times; then the records are walked.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    candidates = np.flatnonzero((raw[:-3] == 0x0A) & (raw[2:-1] == 0x0A))
    for _ in range(FILTER_ROUNDS):
        if not len(candidates) or candidates[0] != 0:
            break
        nexts = candidates + 2 + raw[candidates + 1]
        broken = np.flatnonzero(nexts[:-1] != candidates[1:])
        last = int(broken[0]) if len(broken) else len(candidates) - 1
        end = int(nexts[last])
        if end < len(raw) and raw[end] != 0x0A:
            return candidates[: last + 1], end
        reached = np.zeros(len(raw) + 258, dtype=bool)
        reached[nexts] = reached[0] = True
        candidates = candidates[reached[candidates]]
    return _walked_record_starts(data)


def _walked_record_starts(data: bytes) -> tuple[NDArray[np.int64], int]:
    starts, position = [], 0
    while data[position] == 0x0A:
        starts.append(position)
        position += 2 + data[position + 1]
    return np.array(starts, dtype=np.int64), position


def _fields(data: bytes, position: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(field number, start, end) of each length-delimited field of a protobuf message."""
    while position < end:
        key, position = _varint(data, position)
        if key & 7 == 2:
            size, position = _varint(data, position)
            yield key >> 3, position, position + size
            position += size
        elif key & 7 == 0:
            position = _varint(data, position)[1]
        else:
            position += 8 if key & 7 == 1 else 4


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while data[position] & 0x80:
        value |= (data[position] & 0x7F) << shift
        position, shift = position + 1, shift + 7
    return value | data[position] << shift, position + 1
