"""The request an action sends: its URL template filled so that no value can change its shape.

Every value goes into the URL percent-encoded whole (a "/", "?", "#", "@", "%" or line break in
it is encoded, never read as structure), so the request keeps the template's host, path depth
and query. `{customer.id}` and `{customer.email}` come from the verified identity token only.
`${NAME}` in headers is read from the environment when the request is made.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from shared.actions.spec import PLACEHOLDER, ActionSpec
from shared.clients.shop import OutgoingRequest

_ENVIRONMENT_NAME = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


class ActionNotConfigured(ValueError):
    """The action needs something the deployment does not have (an environment variable, a customer)."""


@dataclass(frozen=True)
class Caller:
    """Who the request is for: the verified customer, when there is one."""

    customer_id: str | None = None
    customer_email: str | None = None


def built(action: ActionSpec, arguments: dict[str, str], caller: Caller) -> OutgoingRequest:
    """The request for `action` with checked `arguments`, on behalf of `caller`."""
    values = {**arguments, **_customer_values(caller)}
    url = PLACEHOLDER.sub(lambda m: quote(_value(values, m.group(1)), safe=""), action.request.url)
    headers = {name: with_environment(value) for name, value in action.request.headers.items()}
    body = None
    if action.request.body is not None:
        body = json.dumps(_filled(action.request.body, values)).encode()
        headers.setdefault("Content-Type", "application/json")
    return OutgoingRequest(action.request.method, url, headers, body)


def with_environment(text: str) -> str:
    """`text` with each `${NAME}` replaced by that environment variable (which must be set)."""

    def value(match: re.Match[str]) -> str:
        found = os.environ.get(match.group(1))
        if not found:
            raise ActionNotConfigured(f"the environment variable {match.group(1)} is not set")
        return found

    return _ENVIRONMENT_NAME.sub(value, text)


def _customer_values(caller: Caller) -> dict[str, str]:
    values = {}
    if caller.customer_id:
        values["customer.id"] = caller.customer_id
    if caller.customer_email:
        values["customer.email"] = caller.customer_email
    return values


def _value(values: dict[str, str], name: str) -> str:
    if name not in values:
        raise ActionNotConfigured(f"no value for {{{name}}}")
    value = values[name]
    if value in (".", ".."):  # a whole path segment of dots would climb the path
        raise ActionNotConfigured(f"{{{name}}} cannot be a dot segment")
    return value


def _filled(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        return PLACEHOLDER.sub(lambda m: _value(values, m.group(1)), template)
    if isinstance(template, dict):
        return {key: _filled(item, values) for key, item in template.items()}
    if isinstance(template, list):
        return [_filled(item, values) for item in template]
    return template
