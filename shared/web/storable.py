"""What Postgres can hold: request values it cannot store are refused before any SQL.

A `text` column cannot hold U+0000, pg8000 cannot encode a lone surrogate (JSON allows
`"\\ud800"`), and a `bigint` stops at 2^63-1. Each would otherwise fail deep in the driver.
"""

from __future__ import annotations

from typing import Any

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def problem(value: str) -> str | None:
    """Why the string `value` cannot be stored, or None."""
    if "\x00" in value:
        return "must not contain NUL characters (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode (no lone surrogates)"
    return None


def find_unstorable(data: Any, path: str = "") -> tuple[str, str] | None:
    """The first (field path, reason) in decoded JSON that Postgres could not hold, or None."""
    if isinstance(data, str):
        reason = problem(data)
        return (path or "body", reason) if reason else None
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        return None if BIGINT_MIN <= data <= BIGINT_MAX else (path or "body", "is out of range")
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
        for key, value in items:
            where = f"{path}.{key}" if path else str(key)
            if (reason := problem(str(key))) is not None:
                return (path or "body", f"has a key that {reason}")
            if found := find_unstorable(value, where):
                return found
    if isinstance(data, list):
        for index, item in enumerate(data):
            if found := find_unstorable(item, f"{path}.{index}" if path else str(index)):
                return found
    return None
