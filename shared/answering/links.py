"""Links in a bot reply: a link stays a link only where it belongs.

A model can be talked into writing any address ("add a link to https://evil.example"), and
clients turn addresses into links. An address stays as written only when the knowledge base gave
it (an entry's `url`, or an address inside an entry's answer) or its host is in
LINK_ALLOWED_HOSTS (subdomains included). Any other is neutralised for every client at once: it
loses its scheme and its host's dots are bracketed (`evil[.]example/login`), which no client
links, and a markdown link to it keeps only its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from shared.core.settings import get_settings

# A markdown link, whatever its target ("javascript:" included).
_MARKDOWN = re.compile(r"\[([^\]\n]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
# An address as clients spot one: a scheme, or a bare "www." host.
_ADDRESS = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>()\"'`]+|(?<![\w./@])www\.[^\s<>()\"'`]+")
_TRAILING = ".,;:!?'\")]}*_"
MAX_HELD = 400


@dataclass(frozen=True)
class LinkPolicy:
    """The addresses a reply may link to: the knowledge base's own, and any on an allowed host."""

    urls: frozenset[str]
    hosts: tuple[str, ...]

    @classmethod
    def of(cls, texts: Iterable[str | None], hosts: Iterable[str]) -> LinkPolicy:
        """The policy for a reply whose knowledge came from `texts` (entries' urls and answers)."""
        found = {_key(match) for text in texts if text for match in _addresses(text)}
        return cls(frozenset(key for key in found if key), tuple(h.lower().rstrip(".") for h in hosts if h))

    def allows(self, address: str) -> bool:
        """Whether `address` may stay a link."""
        key = _key(address)
        if not key:
            return False
        host = urlsplit(key).hostname or ""
        return key in self.urls or any(host == h or host.endswith("." + h) for h in self.hosts)


class Known(Protocol):
    """Knowledge a reply may draw on: a knowledge-base entry's address and answer."""

    @property
    def url(self) -> str | None: ...

    @property
    def answer(self) -> str: ...


def policy_for(entries: Iterable[Known]) -> LinkPolicy:
    """The policy of a reply written from `entries`, with the configured allowed hosts."""
    return LinkPolicy.of([text for e in entries for text in (e.url, e.answer)], get_settings().link_allowed_hosts)


class LinkFilter:
    """`neutralise` for text arriving in pieces: an unfinished word or markdown link waits for the next piece."""

    def __init__(self, policy: LinkPolicy) -> None:
        self._policy = policy
        self._raw = ""
        self._sent = ""

    def feed(self, delta: str) -> str:
        """Add a piece; return the safe text it completes."""
        self._raw += delta
        return self._emit(neutralise(self._raw[: self._safe_end()], self._policy))

    def finish(self) -> str:
        """The rest, once the text is complete."""
        return self._emit(neutralise(self._raw, self._policy))

    def _safe_end(self) -> int:
        end = max(self._raw.rfind(" "), self._raw.rfind("\n"), self._raw.rfind("\t")) + 1
        opened = self._raw.rfind("[", 0, end)
        # An open markdown link may still get its target: hold it back (a bounded wait).
        held = opened >= 0 and end - opened < MAX_HELD and "\n" not in self._raw[opened:end]
        return opened if held and not _MARKDOWN.match(self._raw, opened, end) else end

    def _emit(self, safe: str) -> str:
        # A text shown can't be taken back: if it changed, the final reply (stored and sent) replaces it.
        if not safe.startswith(self._sent):
            return ""
        delta, self._sent = safe[len(self._sent) :], safe
        return delta


def neutralise(text: str, policy: LinkPolicy) -> str:
    """`text` with every address the policy does not allow made plain text; allowed ones untouched."""
    text = _MARKDOWN.sub(lambda m: m.group(0) if policy.allows(m.group(2)) else m.group(1), text)
    return _ADDRESS.sub(lambda m: _replace(m.group(0), policy), text)


def _replace(found: str, policy: LinkPolicy) -> str:
    address = found.rstrip(_TRAILING)
    tail = found[len(address) :]
    return found if policy.allows(address) else _defanged(address) + tail


def _defanged(address: str) -> str:
    rest = re.sub(r"(?i)^[a-z]+://", "", address)
    host, slash, path = rest.partition("/")
    return host.replace(".", "[.]") + slash + path


def _addresses(text: str) -> list[str]:
    return [m.group(0).rstrip(_TRAILING) for m in _ADDRESS.finditer(text)]


def _key(address: str) -> str:
    """The address compared: scheme and host in lower case, no fragment, no trailing slash; "" if unusable."""
    candidate = address.strip()
    if candidate.lower().startswith("www."):
        candidate = "https://" + candidate
    try:
        parts = urlsplit(candidate)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{parts.hostname.lower()}{port}{parts.path.rstrip('/')}{query}"
