"""Where an outgoing request may connect: the address check the shop's client and the page fetcher share.

A host is resolved here and every address it resolves to is checked: a private, loopback,
link-local or multicast address (an IPv4-mapped IPv6 one is judged as its IPv4 address) is
refused unless the caller allows private addresses for that host and port. The request then
goes to the checked address with the host's name as `Host` and TLS server name, so a second
DNS answer cannot swap the address between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import queue
import socket
import threading
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit


class HostRefused(Exception):
    """The request's host or one of its addresses is not allowed."""


def default_port(parts: SplitResult) -> int:
    """The URL's port, or its scheme's."""
    return parts.port or (443 if parts.scheme == "https" else 80)


def host_and_port(url: str) -> str:
    """`host:port` of `url` (`[v6]:port` for an IPv6 literal), lowercased, the way allow-lists name them."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = default_port(parts)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_public(address: str) -> bool:
    """Whether `address` is a global unicast address (not private, loopback, link-local or multicast)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_address(host: str, port: int, *, private_allowed: bool, timeout: float | None = None) -> str:
    """An address of `host` to connect to, after checking every address it resolves to.

    `timeout` bounds the lookup (the resolver has none of its own); a lookup that fails or takes
    longer raises OSError.
    """
    addresses = {str(info[4][0]) for info in _resolve(host, port, timeout)}
    if not addresses:
        raise OSError(f"{host} has no address")
    for address in addresses:
        if not private_allowed and not is_public(address):
            raise HostRefused(f"{host} resolves to a private or local address")
    return sorted(addresses)[0]


def pinned_url(url: str, address: str) -> str:
    """`url` with its host replaced by `address` (its port kept or made explicit), without a fragment."""
    parts = urlsplit(url)
    port = default_port(parts)
    netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def _resolve(host: str, port: int, timeout: float | None) -> list[tuple[Any, ...]]:
    if timeout is None:
        return list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    # getaddrinfo cannot be interrupted: a daemon thread asks, and we stop waiting at the deadline.
    answers: queue.Queue[list[tuple[Any, ...]] | BaseException] = queue.Queue(maxsize=1)

    def ask() -> None:
        try:
            answers.put(list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        except BaseException as error:  # handed to the waiting thread, raised there
            answers.put(error)

    threading.Thread(target=ask, daemon=True).start()
    try:
        answer = answers.get(timeout=timeout)
    except queue.Empty:
        raise TimeoutError(f"looking up {host} took over {timeout:g} s") from None
    if isinstance(answer, BaseException):
        raise answer
    return answer
