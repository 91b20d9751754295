"""Calling the shop's own API for an action: allowed hosts only, checked addresses, no redirects.

A request goes out only to a host in ACTIONS_ALLOWED_HOSTS, over https unless the host is listed
with its port (a local or private test shop). The host is resolved here and every address it
resolves to is checked (shared/clients/outbound.py): a private, loopback, link-local or multicast
address is refused unless the host is listed with its port. The connection goes to the checked
address (TLS still verifies the host's name), so a second DNS answer cannot swap it. A redirect
is a failure, not followed.
The response body is read up to MAX_RESPONSE_BYTES and must be JSON.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from shared.clients.outbound import HostRefused, checked_address, default_port, host_and_port, pinned_url

if TYPE_CHECKING:
    import httpx

MAX_RESPONSE_BYTES = 1_000_000
_shared: httpx.Client | None = None
_building = threading.Lock()
Failure = Literal[
    "not_configured",
    "refused_host",
    "unreachable",
    "timeout",
    "redirect",
    "not_found",
    "rejected",
    "server_error",
    "garbage",
]


@dataclass(frozen=True)
class ShopResponse:
    """What the shop answered: a status and JSON body, or why there is none."""

    status: int | None
    body: Any
    latency_ms: int
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class OutgoingRequest:
    """A request as it leaves: the URL already filled and checked against its template."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None


def send(request: OutgoingRequest, *, allowed_hosts: list[str], timeout: float) -> ShopResponse:
    """Send `request` to the shop and read its JSON answer; every failure is a value, not an exception."""
    import httpx  # on first use: the answering function's cold start does not wait for it (about 70 ms)

    started = time.perf_counter()
    try:
        target, host = _checked_target(request.url, allowed_hosts)
        response = _exchange(request, target, host, timeout)
    except HostRefused:
        return ShopResponse(None, None, _since(started), "refused_host")
    except httpx.TimeoutException:
        return ShopResponse(None, None, _since(started), "timeout")
    except (httpx.HTTPError, OSError):
        return ShopResponse(None, None, _since(started), "unreachable")
    status, body = response
    return ShopResponse(status, _parsed(body), _since(started), _failure(status, body))


def host_allowed(url: str, allowed_hosts: list[str]) -> bool:
    """Whether `url`'s scheme and host may be called at all (before any address is looked up)."""
    try:
        _listing(url, allowed_hosts)
    except HostRefused:
        return False
    return True


def _listing(url: str, allowed_hosts: list[str]) -> bool:
    """Whether the host is listed with its port (which also allows http and private addresses)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host_and_port(url) in allowed_hosts:
        return True
    if host in allowed_hosts and parts.scheme == "https":
        return False
    raise HostRefused


def _checked_target(url: str, allowed_hosts: list[str]) -> tuple[str, str]:
    """The URL with the host replaced by a checked address of it, and the host's name."""
    listed_with_port = _listing(url, allowed_hosts)
    parts = urlsplit(url)
    host = parts.hostname or ""
    address = checked_address(host, default_port(parts), private_allowed=listed_with_port)
    return pinned_url(url, address), host


def _client() -> httpx.Client:
    """One client for the process, built on first use: its TLS context and kept connections are reused."""
    global _shared
    import httpx

    with _building:
        if _shared is None:
            _shared = httpx.Client(follow_redirects=False, trust_env=False)
        return _shared


def _exchange(request: OutgoingRequest, target: str, host: str, timeout: float) -> tuple[int, bytes]:
    import httpx

    port = urlsplit(request.url).port
    headers = {**request.headers, "Host": host if port is None else f"{host}:{port}", "Accept": "application/json"}
    client = _client()
    outgoing = client.build_request(
        request.method,
        target,
        headers=headers,
        content=request.body,
        timeout=timeout,
        extensions={"sni_hostname": host},
    )
    deadline = time.monotonic() + timeout  # httpx's timeout is per read: a trickling answer gets no more than this
    response = client.send(outgoing, stream=True)
    try:
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_RESPONSE_BYTES:
                return response.status_code, b""
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("the shop's answer took too long")
        return response.status_code, body
    finally:
        response.close()


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def _failure(status: int, body: bytes) -> Failure | None:
    if 300 <= status < 400:
        return "redirect"
    if status == 404:
        return "not_found"
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "rejected"
    if _parsed(body) is None:
        return "garbage"
    return None


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
