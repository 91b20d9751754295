"""Paths below one function: `/conversations/{conversation_id}/messages` patterns to handlers.

Cloud Functions hands a function the path after its name; locally the dispatcher does the same.
An unknown path is a 404, a known path with another method a 405 naming the methods it takes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from shared import errors
from shared.http import Call, Reply

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Callable[..., Reply]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        parts = [
            f"(?P<{param.group(1)}>[^/]+)" if (param := _PARAM.fullmatch(part)) else re.escape(part)
            for part in self.pattern.split("/")
        ]
        return re.compile("^" + "/".join(parts) + "$")


def dispatch(call: Call, routes: Sequence[Route], *, function_name: str) -> Reply:
    """Run the handler whose method and pattern match the request's path, with the path's parameters."""
    path = call.request.path.rstrip("/") or "/"
    if path.startswith(f"/{function_name}/") or path == f"/{function_name}":
        path = path[len(function_name) + 1 :] or "/"
    matching = [(route, found) for route in routes if (found := route.regex.match(path))]
    if not matching:
        raise errors.NotFound("No such path.")
    for route, found in matching:
        if route.method == call.request.method:
            return route.handler(call, **found.groupdict())
    raise errors.MethodNotAllowed(
        f"Use {' or '.join(r.method for r, _ in matching)}.", allowed=tuple(r.method for r, _ in matching)
    )
