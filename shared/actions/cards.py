"""A shop's answer as a card: the title and the labelled values the action's `show` names.

Only what `show` names leaves the shop's response: the card is what the customer sees, what is
stored with the bot's message, and all a model is given to answer from. Values are short plain
strings; a link is kept only when it is http(s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shared.actions.spec import PLACEHOLDER, ActionSpec

MAX_VALUE = 200
MAX_ITEMS = 10


@dataclass(frozen=True)
class Card:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    url: str | None = None

    @classmethod
    def of(cls, public: dict[str, Any]) -> Card:
        """The card a reply carries (`public()`), as a card again."""
        fields = [(str(field["label"]), str(field["value"])) for field in public.get("fields", [])]
        return cls(str(public.get("title", "")), fields, public.get("url"))

    def public(self) -> dict[str, Any]:
        """The card as the reply carries it."""
        card: dict[str, Any] = {"title": self.title, "fields": [{"label": k, "value": v} for k, v in self.fields]}
        if self.url:
            card["url"] = self.url
        return card

    def as_text(self) -> str:
        """The card in lines of text: the reply's words, and the data a model answers from."""
        return "\n".join([self.title, *(f"{label}: {value}" for label, value in self.fields)])


def card_for(action: ActionSpec, arguments: dict[str, str], body: Any) -> Card:
    """The card `action` shows for the shop's response `body`."""
    show = action.show
    title = _rendered(show.title, {**arguments, **_flat(body)}) or action.description
    if show.each is not None:
        items = value_at(body, show.each)
        rows = items[:MAX_ITEMS] if isinstance(items, list) else []
        fields = [(_rendered(show.item, _flat(row)) or "-", _joined(row, show.fields)) for row in rows]
    else:
        fields = [(label, _plain(value_at(body, path))) for label, path in show.fields.items()]
        fields = [(label, value) for label, value in fields if value]
    url = _link(value_at(body, show.url)) if show.url else None
    return Card(_short(title), fields, url)


def value_at(body: Any, path: str) -> Any:
    """The value at a dotted path ("shipment.carrier", "items.0.name"); None when absent."""
    current = body
    for key in path.split("."):
        if isinstance(current, dict):
            current = current.get(key)
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            return None
    return current


def _joined(row: Any, paths: dict[str, str]) -> str:
    values = [_plain(value_at(row, path)) for path in paths.values()]
    return " · ".join(value for value in values if value) or "-"


def _plain(value: Any) -> str:
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return ", ".join(filter(None, (_item_name(item) for item in value[:MAX_ITEMS])))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _short(str(value))


def _item_name(item: Any) -> str:
    if isinstance(item, dict):
        name = item.get("name") or item.get("title") or ""
        quantity = item.get("quantity")
        return _short(f"{quantity} × {name}" if quantity and name else str(name))
    return _plain(item)


def _flat(body: Any) -> dict[str, str]:
    """The top-level scalar values of a JSON object, for a title's placeholders."""
    if not isinstance(body, dict):
        return {}
    return {key: str(value) for key, value in body.items() if isinstance(value, str | int | float)}


def _rendered(template: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template).strip()


def _link(value: Any) -> str | None:
    text = str(value or "")
    return text if re.match(r"https?://[^\s<>\"']+$", text) and len(text) <= 2000 else None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
