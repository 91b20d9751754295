"""Paths below one function: `/conversations/{conversation_id}/messages` patterns to handlers.

Cloud Functions hands a function the path after its name; locally the dispatcher does the same.
An unknown path is a 404, a known path with another method a 405 naming the methods it takes.
Each route also says who may call it, which per-caller rate limit it draws on and whether a
retry with the same `Idempotency-Key` replays the first answer: the function applies these in
one place (and the OpenAPI generator documents them), never each handler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from shared.core import errors
from shared.web.http import Call, Reply

_PARAM = re.compile(r"\{(\w+)\}")

Access = Literal["public", "operator", "admin"]
Cost = Literal["write", "costly"]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Callable[..., Reply]
    access: Access = "operator"  # public: no token; operator: any signed-in operator; admin: admins only
    cost: Cost | None = None  # the per-caller rate limit it counts against, if any
    idempotent: bool = False  # takes an Idempotency-Key: a retry gets the first answer, acted on once

    @cached_property
    def regex(self) -> re.Pattern[str]:
        parts = [
            f"(?P<{param.group(1)}>[^/]+)" if (param := _PARAM.fullmatch(part)) else re.escape(part)
            for part in self.pattern.split("/")
        ]
        return re.compile("^" + "/".join(parts) + "$")

    @property
    def parameters(self) -> list[str]:
        """The names of the path's parameters, in order."""
        return _PARAM.findall(self.pattern)


def match(call: Call, routes: Sequence[Route], *, function_name: str) -> tuple[Route, dict[str, str]]:
    """The route whose method and pattern match the request's path, with the path's parameters."""
    path = call.request.path.rstrip("/") or "/"
    if path.startswith(f"/{function_name}/") or path == f"/{function_name}":
        path = path[len(function_name) + 1 :] or "/"
    matching = [(route, found) for route in routes if (found := route.regex.match(path))]
    if not matching:
        raise errors.NotFound("No such path.")
    for route, found in matching:
        if route.method == call.request.method:
            return route, found.groupdict()
    raise errors.MethodNotAllowed(
        f"Use {' or '.join(r.method for r, _ in matching)}.", allowed=tuple(r.method for r, _ in matching)
    )


def dispatch(call: Call, routes: Sequence[Route], *, function_name: str) -> Reply:
    """Run the handler whose method and pattern match the request's path, with the path's parameters."""
    route, parameters = match(call, routes, function_name=function_name)
    return route.handler(call, **parameters)
