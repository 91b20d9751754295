"""Reading one string field out of a JSON object while it is still arriving."""

from __future__ import annotations

import json
import re

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class StringFieldReader:
    """Feed JSON fragments; get back the newly decoded characters of one top-level string field."""

    def __init__(self, field: str) -> None:
        self._opening = re.compile(r'[{,]\s*"' + re.escape(field) + r'"\s*:\s*"')
        self._buffer = ""
        self._position: int | None = None
        self.done = False

    def feed(self, fragment: str) -> str:
        """Add a fragment; return the field's text decoded since the last call."""
        self._buffer += fragment
        if self.done:
            return ""
        if self._position is None:
            match = self._opening.search(self._buffer)
            if match is None:
                return ""
            self._position = match.end()
        return self._decode()

    def _decode(self) -> str:
        assert self._position is not None
        out: list[str] = []
        i, buffer = self._position, self._buffer
        while i < len(buffer):
            char = buffer[i]
            if char == '"':
                self.done = True
                i += 1
                break
            if char != "\\":
                out.append(char)
                i += 1
                continue
            if i + 1 >= len(buffer):
                break
            if buffer[i + 1] == "u":
                # A high surrogate is decoded together with the low one that follows it.
                width = 12 if buffer[i + 2 : i + 4].lower() in ("d8", "d9", "da", "db") else 6
                if i + width > len(buffer):
                    break
                out.append(json.loads(f'"{buffer[i : i + width]}"'))
                i += width
                continue
            out.append(_ESCAPES.get(buffer[i + 1], buffer[i + 1]))
            i += 2
        self._position = i
        return "".join(out)
