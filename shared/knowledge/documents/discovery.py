"""What a source holds: the page of a page URL, the pages a sitemap lists, the files of a folder.

Sitemaps: XML `urlset`s and `sitemapindex`es (followed, each read once: a loop ends there), gzipped
or not, or plain text with one URL a line; at most MAX_SITEMAPS of them and at most the page
limit of URLs, the rest counted and said. A URL on another host is left out (and said). The
listing is `complete` only when every sitemap was read: only then is a page missing from it gone.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from shared.clients.pages import FetchError, PageFetcher
from shared.knowledge.documents.extract import EXTENSIONS

SITEMAP_MAX_BYTES = 50_000_000  # the sitemaps protocol's own limit, uncompressed
MAX_SITEMAPS = 50


@dataclass
class Listing:
    """The documents of a source, whether that is all of them, and what went wrong finding them."""

    locations: list[str] = field(default_factory=list)
    complete: bool = True
    problems: list[str] = field(default_factory=list)


def source_kind(location: str) -> str:
    """sitemap, page, folder or file."""
    parts = urlsplit(location)
    if parts.scheme in ("http", "https"):
        name = parts.path.rsplit("/", 1)[-1].lower()
        return "sitemap" if name.endswith((".xml", ".xml.gz")) or "sitemap" in name else "page"
    return "folder" if Path(location).is_dir() else "file"


def list_folder(folder: Path, limit: int) -> Listing:
    """The folder's documents (by extension, hidden ones left out), in name order, up to `limit`."""
    root = folder.resolve()
    files = sorted(
        path
        for path in root.rglob("*")
        if path.suffix.lower() in EXTENSIONS
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
        and path.resolve().is_relative_to(root)
    )
    listing = Listing([str(path) for path in files[:limit]])
    if len(files) > limit:
        listing.problems.append(f"{len(files):,} files: the first {limit:,} are read (KNOWLEDGE_MAX_PAGES_PER_SOURCE)")
    return listing


def read_sitemaps(url: str, fetcher: PageFetcher, *, site: str, limit: int, allowed: Callable[[str], bool]) -> Listing:
    """The page URLs that the sitemap at `url` (and the sitemaps it lists) name, up to `limit`."""
    listing, queue, other_hosts, listed = Listing(), [url], 0, 0
    found: dict[str, None] = {}  # in the sitemaps' order, each once
    seen: set[str] = set()
    while queue:
        sitemap = queue.pop(0)
        if sitemap in seen:
            listing.problems.append(f"sitemap {sitemap} is listed again (a loop): read once")
            continue
        if len(seen) == MAX_SITEMAPS:
            listing.problems.append(f"more than {MAX_SITEMAPS} sitemaps: the others are not read")
            listing.complete = False
            break
        seen.add(sitemap)
        entries = _read_one(sitemap, fetcher, site, listing)
        if entries is None:
            continue
        kind, locations = entries
        for location in locations:
            if not allowed(location):
                other_hosts += 1
            elif kind == "index":
                queue.append(location)
            elif location not in found:
                listed += 1
                if len(found) < limit:
                    found[location] = None
    listing.locations = list(found)
    if other_hosts:
        listing.problems.append(f"{other_hosts:,} URLs on other hosts left out (KNOWLEDGE_ALLOWED_HOSTS)")
    if listed > limit:
        listing.problems.append(
            f"the sitemaps list {listed:,} pages: the first {limit:,} are read (KNOWLEDGE_MAX_PAGES_PER_SOURCE)"
        )
    return listing


def _read_one(url: str, fetcher: PageFetcher, site: str, listing: Listing) -> tuple[str, list[str]] | None:
    """("index" or "urlset", the URLs) of one sitemap; None, with the problem noted, when it cannot be read."""
    try:
        page = fetcher.fetch(url, site=site, max_bytes=SITEMAP_MAX_BYTES)
        if page.status != 200:
            raise ValueError(f"HTTP {page.status}")
        return parse_sitemap(_unzipped(page.body))
    except FetchError as error:
        problem = f"{error.code}: {error}"
    except ValueError as error:
        problem = str(error)
    listing.problems.append(f"sitemap {url}: {problem}")
    listing.complete = False
    return None


def parse_sitemap(body: bytes) -> tuple[str, list[str]]:
    """("index" or "urlset", the URLs of its `<loc>`s); a plain-text sitemap is a urlset. ValueError if neither."""
    if not body.lstrip().startswith(b"<"):
        lines = body.decode("utf-8", errors="replace").split()
        listed = [line for line in lines if urlsplit(line).scheme in ("http", "https")]
        if not listed:
            raise ValueError("not a sitemap")
        return "urlset", listed
    from lxml import etree

    kind: str | None = None
    urls: list[str] = []
    try:
        events = etree.iterparse(
            io.BytesIO(body), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False
        )
        for event, element in events:
            name = etree.QName(element).localname
            if event == "start" and kind is None:
                kind = {"sitemapindex": "index", "urlset": "urlset"}.get(name)
                if kind is None:
                    raise ValueError(f"not a sitemap (<{name}>)")
            elif event == "end" and name == "loc" and element.text and element.text.strip():
                urls.append(element.text.strip())
            if event == "end" and name in ("url", "sitemap"):
                element.clear()  # a 50 MB sitemap is read in constant memory
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML ({error.msg})") from None
    return kind or "urlset", [url for url in urls if urlsplit(url).scheme in ("http", "https")]


def _unzipped(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipping:
            data = unzipping.read(SITEMAP_MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        raise ValueError("a damaged gzip file") from None
    if len(data) > SITEMAP_MAX_BYTES:
        raise ValueError(f"over {SITEMAP_MAX_BYTES:,} bytes once unzipped")
    return data
