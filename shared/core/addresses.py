"""Addresses we judge: a socket peer on this machine, an origin on a host many parties share."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Hosts whose one origin many unrelated parties publish on: a page of ours there is same-origin with
# anyone else's page there (every public bucket, every function of a project, every Firebase site).
SHARED_HOSTS = (
    "storage.googleapis.com",
    "storage.cloud.google.com",
    "cloudfunctions.net",
    "appspot.com",
    "firebaseapp.com",
    "web.app",
    "github.io",
    "githubusercontent.com",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "herokuapp.com",
)


def is_loopback(address: str | None) -> bool:
    """Whether a socket peer's address is this machine's own (127.0.0.0/8, ::1, or IPv4-mapped)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def shared_host(url: str) -> str | None:
    """The shared host `url` (an origin or a URL) is on, if any: see SHARED_HOSTS."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").rstrip(".").lower()
    return next((shared for shared in SHARED_HOSTS if host == shared or host.endswith(f".{shared}")), None)
