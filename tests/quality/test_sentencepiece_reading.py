"""Reading a SentencePiece model's vocabulary all at once finds exactly what a walk record by record finds."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from shared.embeddings import multilingual, sentencepiece


def _record(text: str, score_bytes: bytes, piece_type: int | None = None) -> bytes:
    encoded = text.encode()
    body = b"\x0a" + bytes([len(encoded)]) + encoded + b"\x15" + score_bytes
    if piece_type is not None:
        body += b"\x18" + bytes([piece_type])
    return b"\x0a" + bytes([len(body)]) + body


def _model(records: list[bytes]) -> bytes:
    # After the pieces, a trainer-spec field (2) whose bytes also look like records' starts.
    return b"".join(records) + b"\x12\x08\x0a\x02\x0a\x00\x0a\x01\x0a\x00"


def test_a_score_whose_bytes_look_like_a_record_does_not_change_the_vocabulary():
    deceptive = b"\x0a\x07\x0a\x01"  # a float32 whose bytes read as the start of a record
    records = [_record("<unk>", struct.pack("<f", 0.0), 2), _record("▁a", deceptive), _record("b", deceptive, 1)]
    records += [_record(f"▁w{n}", struct.pack("<f", -n / 7)) for n in range(40)]
    data = _model(records)

    pieces, scores, end = sentencepiece._read_pieces(data)

    walked, walked_end = sentencepiece._walked_record_starts(data)
    assert list(sentencepiece._record_starts(data)[0]) == list(walked)
    assert end == walked_end == len(b"".join(records))
    assert pieces == ["<unk>", "▁a", "b", *(f"▁w{n}" for n in range(40))]
    assert scores[1] == struct.unpack("<f", deceptive)[0] and scores[3 + 8] == pytest.approx(-8 / 7)


def test_the_shipped_model_reads_the_same_at_once_as_walked():
    folder = multilingual.resources()
    if folder is None:
        pytest.skip("the multilingual encoder's package is not installed")
    data = (folder / "sp.model").read_bytes()
    starts, end = sentencepiece._record_starts(data)
    walked, walked_end = sentencepiece._walked_record_starts(data)
    assert end == walked_end and np.array_equal(starts, walked)
    assert len(sentencepiece._read_pieces(data)[0]) == len(walked)
