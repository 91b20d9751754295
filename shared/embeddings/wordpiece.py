"""BERT's uncased WordPiece tokenizer, from the model's vocab.txt, in plain Python.

The same pieces as the `tokenizers` package gives for all-MiniLM-L6-v2 (tests/test_hybrid_retrieval.py
compares them), without its 0.2 s load of tokenizer.json or its dependencies in the deployment:
clean the text, space out CJK characters, lowercase and strip accents, split at whitespace and
punctuation, then split each word into the longest pieces the vocabulary knows.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_WORD_CHARS = 100  # a longer word is one unknown piece, as in BERT
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


class WordPiece:
    """Text in, vocabulary ids out: [CLS] pieces [SEP], at most `max_tokens` in all."""

    def __init__(self, vocab: Path, max_tokens: int) -> None:
        pieces = vocab.read_text(encoding="utf-8").splitlines()
        self.ids = {piece: index for index, piece in enumerate(pieces)}
        self.unknown, self.start, self.end = (self.ids[t] for t in ("[UNK]", "[CLS]", "[SEP]"))
        self.max_tokens = max_tokens

    def encode(self, text: str) -> list[int]:
        """The ids of `text`, truncated to fit `max_tokens` with the two markers."""
        ids: list[int] = []
        for word in words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= self.max_tokens - 2:
                break
        return [self.start, *ids[: self.max_tokens - 2], self.end]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unknown]
        found, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]  # no piece fits: the whole word is unknown
            start = end
        return found


def words(text: str) -> list[str]:
    """BERT's basic tokenization: normalised words and punctuation marks, in order."""
    spaced = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or _is_control(char):
            continue
        if char.isspace() or unicodedata.category(char) == "Zs":
            spaced.append(" ")
        elif _is_cjk(code):
            spaced.append(f" {char} ")
        else:
            spaced.append(char)
    folded = "".join(c for c in unicodedata.normalize("NFD", "".join(spaced)) if unicodedata.category(c) != "Mn")
    out: list[str] = []
    for chunk in folded.lower().split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    out.append(current)
                out.append(char)
                current = ""
            else:
                current += char
        if current:
            out.append(current)
    return out


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def _is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")
