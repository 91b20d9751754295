"""The one filter between every log record and the log: no customer text, tokens or their hashes.

Our own records carry only our wording: messages are constants and `extra` fields are ours.
What can smuggle customer data in is everything else, so the filter:
- keeps only the template of other libraries' messages, never their arguments;
- writes stack traces with frames and exception types but withholds exception messages,
  except our own `AppError` wording (a driver's message can quote a statement's parameters);
- as a last net, masks token- and hash-shaped strings and personal data in whatever remains.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from shared.core.errors import AppError
from shared.text.redaction import redact

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_HASH = re.compile(r"\b[0-9a-fA-F]{64}\b")
# Session and operator tokens: long url-safe base64 runs mixing letters and digits.
_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{40,}(?![\w-])")
_WITHHELD = "[message withheld]"
_MAX_CHAIN = 5


def scrub(text: str) -> str:
    """`text` with hashes, tokens, emails, card numbers, IBANs and phone numbers masked."""
    return redact(_TOKEN.sub("[token]", _HASH.sub("[hash]", text)))


def safe_traceback(exc: BaseException) -> str:
    """A stack trace of `exc` and its causes with frames and types, but no foreign exception messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(parts) < _MAX_CHAIN:
        seen.add(id(current))
        parts.append(_one_exception(current))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\n\nwhich was caused by:\n".join(parts)


def _one_exception(exc: BaseException) -> str:
    frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    message = str(exc) if isinstance(exc, AppError) else _WITHHELD
    return f"Traceback (most recent call last):\n{frames}{kind}: {scrub(message)}"


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value]
    return value


class CustomerTextFilter(logging.Filter):
    """Rewrites each record so that it cannot carry customer text; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == "support" or record.name.startswith("support.")
        if ours:
            message = record.getMessage()
        else:  # a library's template is its own wording; its arguments may be anyone's
            message = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.stack_trace = safe_traceback(record.exc_info[1])
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        for key, value in list(vars(record).items()):
            if key not in _RESERVED:
                setattr(record, key, _scrub_value(value))
        return True
