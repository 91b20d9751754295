"""Fetching a help center's pages politely and safely.

Every request, and every redirect hop (followed here, at most MAX_REDIRECTS), is checked first:
http or https only, on the source's own host (or its www. twin, or a host the settings allow),
allowed by that origin's robots.txt (Protego, read once per origin and fetch), and to an address
that is public unless the settings name the host and port (shared/clients/outbound.py). The
connection goes to the checked address. A fetch sends a descriptive User-Agent and, when the
caller has them, `If-None-Match` and `If-Modified-Since`: a 304 is an unchanged page. A body is
read up to a size limit, and the whole fetch, redirects included, ends at its deadline.

    FetchError (.code: what a document's status says)
    ├── Refused       refused: not http(s), another host, a private address; robots: robots.txt
    ├── TooLarge      too_large: the body passes the size limit
    ├── TimedOut      timeout: no complete answer before the deadline (the address lookup included)
    └── Unreachable   unreachable: no connection, a broken answer, too many redirects
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from shared.clients.outbound import HostRefused, checked_address, default_port, host_and_port, pinned_url

USER_AGENT = "SupportBot/1.0 (help-center sync of a customer-support assistant)"
ROBOTS_TOKEN = "SupportBot"  # the name robots.txt rules address
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
_REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A page that could not be fetched; `code` is the short reason a document's status carries."""

    code = "unreachable"


class Refused(FetchError):
    code = "refused"

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


class TooLarge(FetchError):
    code = "too_large"


class TimedOut(FetchError):
    code = "timeout"


class Unreachable(FetchError):
    code = "unreachable"


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do: its deadline, its size limit, and the hosts it may reach besides the site's own."""

    timeout: float
    max_bytes: int
    allowed_hosts: frozenset[str] = frozenset()  # host names, any port
    private_hosts: frozenset[str] = frozenset()  # host:port that may resolve to private addresses


@dataclass(frozen=True)
class Page:
    """What the server answered for a URL, after redirects: a 200 with its body, a 304, or another status."""

    url: str
    status: int
    media_type: str  # "text/html", lowercased, without parameters
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body decoded with its declared charset, else UTF-8 (undecodable bytes replaced)."""
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")


class PageFetcher:
    """Fetches pages under one policy; robots.txt rules are cached per origin for the fetcher's life (a sync)."""

    def __init__(self, policy: FetchPolicy, *, transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy
        self._client = httpx.Client(follow_redirects=False, trust_env=False, transport=transport)
        self._robots: dict[str, Any] = {}
        self._robots_lock = threading.Lock()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        site: str,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Page:
        """GET `url`, a page of `site` (a host name), following redirects that stay allowed."""
        deadline = time.monotonic() + self.policy.timeout
        conditions = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        headers = {name: value for name, value in conditions.items() if value}
        for _ in range(MAX_REDIRECTS + 1):
            self._check(url, site)
            if refusal := self.robots_refusal(url, deadline):
                raise Refused(refusal, code="robots")
            page = self._get(url, headers, deadline, max_bytes or self.policy.max_bytes)
            if page.status not in _REDIRECTS:
                return page
            url = page.url
        raise Unreachable(f"more than {MAX_REDIRECTS} redirects")

    def robots_refusal(self, url: str, deadline: float | None = None) -> str | None:
        """Why the origin's robots.txt keeps us from `url`, or None when it lets our User-Agent fetch it.

        Read on first use, then cached. As RFC 9309 says: no robots.txt (a 4xx) allows everything;
        one that cannot be read (a 5xx, no connection, a timeout) disallows everything.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin, deadline or time.monotonic() + self.policy.timeout)
            rules = self._robots[origin]
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(url, ROBOTS_TOKEN) else f"robots.txt disallows {parts.path or '/'}"

    def _read_robots(self, origin: str, deadline: float) -> Any:
        """The origin's rules (a Protego parser), or why they could not be read."""
        from protego import Protego

        url = f"{origin}/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                page = self._get(url, {}, deadline, ROBOTS_MAX_BYTES)
                if page.status not in _REDIRECTS:
                    break
                url = page.url
                self._check(url, urlsplit(origin).hostname or "")
        except (TooLarge, TimedOut, Unreachable) as error:
            return f"robots.txt could not be read ({error.code}), so nothing may be fetched"
        if page.status == 200:
            return Protego.parse(page.text())
        if 400 <= page.status < 500:
            return Protego.parse("")
        return f"robots.txt could not be read (HTTP {page.status}), so nothing may be fetched"

    def _check(self, url: str, site: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused(f"not an http(s) URL: {url[:200]}")
        if parts.username or parts.password:
            raise Refused("a URL with credentials")
        host = parts.hostname.lower().rstrip(".")
        if not (same_site(host, site) or host in self.policy.allowed_hosts):
            raise Refused(f"{host} is another host than {site} (KNOWLEDGE_ALLOWED_HOSTS)")

    def _get(self, url: str, headers: dict[str, str], deadline: float, max_bytes: int) -> Page:
        try:
            return self._exchange(url, headers, deadline, max_bytes)
        except HostRefused as error:
            raise Refused(f"{error} (KNOWLEDGE_ALLOWED_PRIVATE_HOSTS)") from None
        except (httpx.TimeoutException, TimeoutError):
            raise TimedOut(f"no complete answer within {self.policy.timeout:g} s") from None
        except httpx.InvalidURL:
            raise Refused(f"not a URL we fetch: {url[:200]}") from None
        except (httpx.HTTPError, OSError) as error:
            raise Unreachable(f"{type(error).__name__}: {error}"[:300]) from None

    def _exchange(self, url: str, headers: dict[str, str], deadline: float, max_bytes: int) -> Page:
        parts = urlsplit(url)
        host = parts.hostname or ""
        remaining = _remaining(deadline)
        private = host_and_port(url) in self.policy.private_hosts
        address = checked_address(host, default_port(parts), private_allowed=private, timeout=remaining)
        request = self._client.build_request(
            "GET",
            pinned_url(url, address),
            headers={**headers, "Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": USER_AGENT, "Accept": "*/*"},
            timeout=_remaining(deadline),
            extensions={"sni_hostname": host},
        )
        response = self._client.send(request, stream=True)
        try:
            return self._read(url, response, deadline, max_bytes)
        finally:
            response.close()

    def _read(self, url: str, response: httpx.Response, deadline: float, max_bytes: int) -> Page:
        status = response.status_code
        # httpx counts a 304 as a redirect: test it first.
        if status != 304 and status in _REDIRECTS:
            location = response.headers.get("location")
            if not location:
                raise Unreachable(f"a {status} redirect without a Location")
            return _page(urljoin(url, location.strip()), response, b"")
        body = _body(response, deadline, max_bytes) if status == 200 else b""
        return _page(url, response, body)


def same_site(host: str, site: str) -> bool:
    """Whether `host` is `site` or its www. twin."""
    host, site = host.lower().rstrip("."), site.lower().rstrip(".")
    return host == site or host.removeprefix("www.") == site.removeprefix("www.")


def _body(response: httpx.Response, deadline: float, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"{int(declared):,} bytes, over the limit of {max_bytes:,}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decompressed: the limit holds for what a gzip bomb unpacks to
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"over the limit of {max_bytes:,} bytes")
        if time.monotonic() > deadline:  # httpx's timeout is per read: a trickle gets no more than this
            raise httpx.ReadTimeout("the whole answer took too long")
        chunks.append(chunk)
    return b"".join(chunks)


def _page(url: str, response: httpx.Response, body: bytes) -> Page:
    media_type, _, parameters = response.headers.get("content-type", "").partition(";")
    charset = next(
        (value.strip().strip('"') for name, _, value in (p.partition("=") for p in parameters.split(";"))
         if name.strip().lower() == "charset"),
        None,
    )  # fmt: skip
    return Page(
        url=url,
        status=response.status_code,
        media_type=media_type.strip().lower(),
        charset=charset or None,
        body=body,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("the deadline passed")
    return remaining
