"""Structured JSON log lines on stdout, in the shape Cloud Logging reads."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from shared.web.log_safety import CustomerTextFilter

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class CloudLoggingFormatter(logging.Formatter):
    """One JSON object per line: severity, message, time and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        return json.dumps(entry, default=str)


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stdout is at the time, so redirected output is honoured."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    """Send every log record (ours at `level`, libraries' from WARNING) to stdout as JSON once; safe to call again.

    Every record passes `CustomerTextFilter` first, so no line carries customer text or tokens.
    """
    root = logging.getLogger()
    logging.getLogger("support").setLevel(level)
    if any(isinstance(h, _StdoutHandler) for h in root.handlers):
        return
    handler = _StdoutHandler()
    handler.addFilter(CustomerTextFilter())
    handler.setFormatter(CloudLoggingFormatter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)


def trace_field(headers: Any, project: str | None) -> dict[str, str]:
    """The Cloud Logging trace field from `traceparent` or `X-Cloud-Trace-Context`."""
    trace_id = None
    traceparent = headers.get("traceparent", "")
    parts = traceparent.split("-")
    if len(parts) >= 3 and len(parts[1]) == 32:
        trace_id = parts[1]
    elif cloud_trace := headers.get("X-Cloud-Trace-Context", ""):
        trace_id = cloud_trace.split("/")[0] or None
    if not trace_id or not trace_id.isalnum():
        return {}
    trace = f"projects/{project}/traces/{trace_id}" if project else trace_id
    return {"logging.googleapis.com/trace": trace}
