"""The output guard: a reply that leaks the canary or much of the system prompt never reaches a customer."""

from __future__ import annotations

import base64
import binascii
import re

SHINGLE_WORDS = 6
LEAK_FRACTION = 0.2
_WORD = re.compile(r"\w+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


class OutputGuard:
    """Checks text against one prompt's canary and wording."""

    def __init__(self, system_prompt: str, canary: str) -> None:
        self.canary = canary
        self._shingles = _shingles(system_prompt)

    def leaks(self, text: str) -> bool:
        """Whether `text` contains the canary or reproduces a large part of the system prompt."""
        if self._shows_canary(text):
            return True
        if not self._shingles:
            return False
        shared = self._shingles & _shingles(text)
        return len(shared) >= max(3, LEAK_FRACTION * len(self._shingles))

    def _shows_canary(self, text: str) -> bool:
        # Also catches the marker spelled out, reversed, or base64-encoded on request.
        secret = self.canary.split("-", 1)[-1].lower()
        flat = re.sub(r"[^0-9a-z]", "", text.lower())
        if secret in flat or secret[::-1] in flat:
            return True
        return any(secret in _base64_text(token) for token in _BASE64.findall(text))


def _base64_text(token: str) -> str:
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=False)
    except (ValueError, binascii.Error):
        return ""
    return re.sub(r"[^0-9a-z]", "", decoded.decode("latin-1").lower())


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
