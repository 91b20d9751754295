"""An action's arguments: checked against its parameters, and found in a customer's message.

Whoever proposes a value (the customer's words or a model's tool call), it is a string checked
here by the parameter's type, pattern, enum, lengths and bounds before it goes near a request.
Offline, a parameter is looked for in the message by its pattern without the anchors, as a whole
token; an enum by its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shared.actions.spec import ActionSpec, ParameterSpec

_TYPE_PATTERNS = {"integer": r"-?[0-9]{1,18}", "number": r"-?[0-9]{1,15}(?:\.[0-9]{1,6})?"}


class ArgumentInvalid(ValueError):
    """A value a parameter does not accept (the message says which parameter, never the value)."""


@dataclass(frozen=True)
class Extracted:
    """What a message gives for an action: the values found, and what is missing or ambiguous."""

    arguments: dict[str, str]
    missing: tuple[str, ...] = ()
    ambiguous: dict[str, tuple[str, ...]] | None = None

    @property
    def complete(self) -> bool:
        return not self.missing and not self.ambiguous


def validated(action: ActionSpec, arguments: dict[str, Any]) -> dict[str, str]:
    """The arguments as strings, each accepted by its parameter; unknown names refused, none missing."""
    accepted = checked(action, arguments)
    missing = [name for name in action.parameters.required if name not in accepted]
    if missing:
        raise ArgumentInvalid(f"{action.name}: missing {missing[0]}")
    return accepted


def checked(action: ActionSpec, arguments: dict[str, Any]) -> dict[str, str]:
    """The values given, as strings, each accepted by its parameter; unknown names refused (some may be missing)."""
    properties = action.parameters.properties
    unknown = [name for name in arguments if name not in properties]
    if unknown:
        raise ArgumentInvalid(f"{action.name}: unknown parameter {unknown[0]}")
    return {name: _checked(name, properties[name], value) for name, value in arguments.items() if value is not None}


def _checked(name: str, spec: ParameterSpec, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        if not (spec.type == "boolean" and isinstance(value, bool)):
            raise ArgumentInvalid(f"{name}: not a {spec.type}")
        return "true" if value else "false"
    text = str(value).strip()
    if not text or len(text) > spec.max_length or (spec.min_length and len(text) < spec.min_length):
        raise ArgumentInvalid(f"{name}: length")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text) or text in (".", ".."):
        raise ArgumentInvalid(f"{name}: characters")
    if spec.type in _TYPE_PATTERNS:
        _check_number(name, spec, text)
    if spec.type == "boolean" and text not in ("true", "false"):
        raise ArgumentInvalid(f"{name}: not a boolean")
    if spec.enum is not None and text not in {str(option) for option in spec.enum}:
        raise ArgumentInvalid(f"{name}: not one of the allowed values")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        raise ArgumentInvalid(f"{name}: does not match its pattern")
    return text


def _check_number(name: str, spec: ParameterSpec, text: str) -> None:
    if not re.fullmatch(_TYPE_PATTERNS[spec.type], text):
        raise ArgumentInvalid(f"{name}: not an {spec.type}")
    number = float(text)
    if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
        raise ArgumentInvalid(f"{name}: out of bounds")


def extracted(action: ActionSpec, message: str, known: dict[str, str] | None = None) -> Extracted:
    """The required parameters' values found in `message`, on top of those `known` from before."""
    arguments = dict(known or {})
    missing: list[str] = []
    ambiguous: dict[str, tuple[str, ...]] = {}
    for name in action.parameters.required:
        found = candidates(action.parameters.properties[name], message)
        if len(found) == 1:
            arguments[name] = found[0]
        elif len(found) > 1:
            ambiguous[name] = found
        elif name not in arguments:
            missing.append(name)
    return Extracted(arguments, tuple(missing), ambiguous or None)


def candidates(spec: ParameterSpec, message: str) -> tuple[str, ...]:
    """The distinct values in `message` that the parameter accepts, in the order they appear."""
    if spec.enum is not None:
        words = re.findall(r"[\w-]+", message.lower())
        return tuple(dict.fromkeys(str(o) for o in spec.enum if str(o).lower() in words))
    pattern = _unanchored(spec.pattern) if spec.pattern else _TYPE_PATTERNS.get(spec.type)
    if pattern is None:
        return ()
    found = []
    for match in re.finditer(rf"(?<![\w]){pattern}(?![\w])", message):
        try:
            found.append(_checked("value", spec, match.group(0)))
        except ArgumentInvalid:
            continue
    return tuple(dict.fromkeys(found))


def _unanchored(pattern: str) -> str:
    """The pattern without the ^ and $ (or \\A and \\Z) that tie it to a whole value, as a group."""
    core = re.sub(r"^(\^|\\A)", "", pattern)
    core = re.sub(r"(?<!\\)(\$|\\Z|\\z)$", "", core)
    return f"(?:{core})"


def reply_value(spec: ParameterSpec, message: str) -> tuple[str, ...]:
    """The values a reply to "what is your X?" gives: the candidates, or a short free text as a whole."""
    found = candidates(spec, message)
    if found or spec.pattern or spec.enum is not None or spec.type != "string":
        return found
    try:
        return (_checked("value", spec, message),)
    except ArgumentInvalid:
        return ()
