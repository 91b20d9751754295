"""The actions this deployment may call: the actions file, read once, checked, and limited to allowed hosts.

`${NAME}` in an action's URL is filled from the environment when the file is read (the shop's
base URL, for one), so the host is fixed from then on. An action is left out, with a warning
naming it, when its URL's variable is unset or its host is not in ACTIONS_ALLOWED_HOSTS; a file
that is not valid leaves every action out, with an error naming the problem. So an unset setting
never lets a request out.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.actions.requests import ActionNotConfigured, with_environment
from shared.actions.spec import ActionsFile, ActionSpec
from shared.clients.shop import host_allowed
from shared.core.settings import get_settings

log = logging.getLogger("support.actions")
_loaded: dict[tuple[str, float, tuple[str, ...]], Catalogue] = {}
_loading = threading.Lock()


class ActionsFileInvalid(ValueError):
    """The actions file cannot be used; the message says where."""


@dataclass(frozen=True)
class Catalogue:
    """The usable actions, by name."""

    actions: tuple[ActionSpec, ...] = ()

    def get(self, name: str) -> ActionSpec | None:
        return next((action for action in self.actions if action.name == name), None)

    def __bool__(self) -> bool:
        return bool(self.actions)


def catalogue() -> Catalogue:
    """This process's actions, read again when the file or the allowed hosts change."""
    settings = get_settings()
    path = Path(settings.actions_path)
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return Catalogue()
    key = (str(path), stamp, tuple(settings.actions_allowed_hosts))
    with _loading:
        if key not in _loaded:
            _loaded.clear()
            _loaded[key] = _usable(path, settings.actions_allowed_hosts)
        return _loaded[key]


def _usable(path: Path, allowed_hosts: list[str]) -> Catalogue:
    try:
        actions = read(path)
    except ActionsFileInvalid as exc:
        log.error("the actions file cannot be used; no action will be called", extra={"reason": str(exc)})
        return Catalogue()
    usable = [action for action in actions if _callable(action, allowed_hosts)]
    return Catalogue(tuple(usable))


def read(path: Path) -> list[ActionSpec]:
    """Every action the file declares, with the environment's values in their URLs."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ActionsFileInvalid(f"{path.name}: {exc}") from None
    return parsed(raw, source=path.name)


def parsed(raw: Any, *, source: str = "actions") -> list[ActionSpec]:
    """The actions of a parsed actions file; variables left unfilled keep their action out."""
    if not isinstance(raw, dict) or not isinstance(raw.get("actions"), list):
        raise ActionsFileInvalid(f'{source}: expected {{"actions": [...]}}')
    filled = [_with_url_environment(action) for action in raw["actions"]]
    try:
        file = ActionsFile.model_validate({**raw, "actions": [a for a in filled if a is not None]})
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ActionsFileInvalid(f"{source}: {where}: {problem['msg']}") from None
    return file.actions


def _with_url_environment(action: Any) -> Any:
    try:
        url = action["request"]["url"]
        return {**action, "request": {**action["request"], "url": with_environment(url)}}
    except (KeyError, TypeError):
        return action  # validation names what is missing
    except ActionNotConfigured as exc:
        log.warning("action left out", extra={"action": action.get("name"), "reason": str(exc)})
        return None


def _callable(action: ActionSpec, allowed_hosts: list[str]) -> bool:
    if host_allowed(action.request.url, allowed_hosts):
        return True
    log.warning(
        "action left out: its host is not in ACTIONS_ALLOWED_HOSTS (https, or a private host listed with its port)",
        extra={"action": action.name},
    )
    return False
