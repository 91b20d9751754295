"""Sending one notification: a Slack-compatible incoming webhook, or a generic webhook signed with HMAC.

The generic webhook's body is JSON; `X-Support-Timestamp` carries the Unix time and
`X-Support-Signature` is `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the shared
secret, so a receiver can check both origin and freshness.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from shared.core.settings import Settings

TIMEOUT_SECONDS = 5.0


class DeliveryFailed(Exception):
    """The receiver could not be reached or did not accept the notification."""


def slack_text(event: dict[str, Any]) -> str:
    """The Slack message of a handover: reason, summary, contact, link."""
    lines = [f"New conversation waiting for a person ({event['reason'] or 'handover'})."]
    if event.get("summary"):
        lines.append(event["summary"])
    if event.get("contact_email"):
        lines.append(f"Contact: {event['contact_email']}")
    if event.get("console_url"):
        lines.append(f"Open it: {event['console_url']}")
    return "\n".join(lines)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send(kind: str, event: dict[str, Any], settings: Settings) -> None:
    """Post `event` to the target `kind` names (slack or webhook); DeliveryFailed unless a 2xx comes back."""
    import httpx

    if kind == "slack" and settings.slack_webhook_url:
        url, data, headers = settings.slack_webhook_url.get_secret_value(), _json({"text": slack_text(event)}), {}
    elif kind == "webhook" and settings.notify_webhook_url:
        url, data = settings.notify_webhook_url.get_secret_value(), _json(event)
        headers = _signed_headers(data, settings)
    else:
        return  # the target was configured when the row was written and is not any more
    try:
        response = httpx.post(
            url, content=data, headers={"Content-Type": "application/json", **headers}, timeout=TIMEOUT_SECONDS
        )
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{kind}: {type(exc).__name__}") from exc
    if not response.is_success:
        raise DeliveryFailed(f"{kind}: HTTP {response.status_code}")


def _signed_headers(body: bytes, settings: Settings) -> dict[str, str]:
    timestamp = str(int(time.time()))
    secret = settings.notify_webhook_secret.get_secret_value() if settings.notify_webhook_secret else ""
    return {"X-Support-Timestamp": timestamp, "X-Support-Signature": sign(secret, timestamp, body)}


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()
