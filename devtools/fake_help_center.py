"""A local help-center site for the documents sync's tests and bench: serves a folder like a web server would.

`FakeHelpCenter(folder).start()` answers GET on 127.0.0.1 (a free port unless told one):
- each file of the folder at its path (`/shipping.md`, `/guides/returns.html`), with its content
  type by extension; `/` is `index.html` when there is one. Pages `put(path, body)` in memory
  take precedence over the folder (a test's own pages, or the bench's 200), `remove(path)` drops one;
- an `ETag` (a hash of the body) and a `Last-Modified` (the file's time, or when it was put): a
  matching `If-None-Match`, or an `If-Modified-Since` no older, is a 304;
- `/robots.txt`: the folder's or a put one, else a 404 (everything allowed);
- `public_origin`: the origin the folder's pages are written for (the demo's sitemap names
  https://help.innovatetech.example): in served text it becomes the site's own URL.

Test knobs, each by path: `delays` (seconds before answering), `trickle` (seconds between the
body's bytes), `statuses` (answer 404, 410, 500... instead), `redirects` (a 302 to that URL),
`huge` (a body of that many bytes, sent without a Content-Length). `requests` records the path
and headers (lowercased) of each request.

Standalone: python -m devtools.fake_help_center [--folder helpcenter] [--port 8099]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from devtools import local_server

ROOT = Path(__file__).resolve().parent.parent
DEMO_FOLDER = ROOT / "helpcenter"
DEMO_ORIGIN = "https://help.innovatetech.example"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
}
TEXT_TYPES = ("text/", "application/xml")


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    modified: float  # seconds since the epoch


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class FakeHelpCenter:
    def __init__(self, folder: Path | None = None, *, public_origin: str | None = None) -> None:
        self.folder = folder
        self.public_origin = public_origin
        self.pages: dict[str, Resource] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """No test knobs set and no requests recorded (pages put stay)."""
        self.delays: dict[str, float] = {}
        self.trickle: dict[str, float] = {}
        self.statuses: dict[str, int] = {}
        self.redirects: dict[str, str] = {}
        self.huge: dict[str, int] = {}
        with self._lock:
            self.requests.clear()

    def start(self, port: int = 0) -> FakeHelpCenter:
        self._server = local_server.serve(get=self._handle, port=port)
        return self

    def stop(self) -> None:
        local_server.stop(self._server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def host_port(self) -> str:
        """What KNOWLEDGE_ALLOWED_PRIVATE_HOSTS must name for this site."""
        return f"127.0.0.1:{self._server.server_address[1]}"

    def put(self, path: str, body: str | bytes, content_type: str | None = None) -> None:
        """Serve `body` at `path` from now on (its type by extension unless given), modified now."""
        data = body.encode() if isinstance(body, str) else body
        kind = content_type or _content_type(path)
        with self._lock:
            self.pages[path] = Resource(data, kind, time.time())

    def remove(self, path: str) -> None:
        with self._lock:
            self.pages.pop(path, None)

    def fetched(self, path: str) -> list[SeenRequest]:
        """The requests for `path` so far."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = unquote(urlsplit(handler.path).path)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        with self._lock:
            self.requests.append(SeenRequest(path, headers))
        time.sleep(self.delays.get(path, 0.0))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self._answer(handler, path, headers)

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, headers: dict[str, str]) -> None:
        if path in self.statuses:
            return _send(handler, self.statuses[path], b"no", "text/plain")
        if path in self.redirects:
            return _send(handler, 302, b"", "text/plain", {"Location": self.redirects[path]})
        if path in self.huge:
            return _send_huge(handler, self.huge[path])
        resource = self._resource(path)
        if resource is None:
            return _send(handler, 404, b"not found", "text/plain")
        etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": formatdate(resource.modified, usegmt=True)}
        if _not_modified(headers, etag, resource.modified):
            return _send(handler, 304, b"", None, validators)
        if path in self.trickle:
            return _send_slowly(handler, resource, validators, self.trickle[path])
        _send(handler, 200, resource.body, resource.content_type, validators)

    def _resource(self, path: str) -> Resource | None:
        with self._lock:
            if path in self.pages:
                return self.pages[path]
        file = self._file(path)
        if file is None:
            return None
        body = file.read_bytes()
        kind = _content_type(file.name)
        if self.public_origin and kind.startswith(TEXT_TYPES):
            body = body.replace(self.public_origin.encode(), self.url.encode())
        return Resource(body, kind, file.stat().st_mtime)

    def _file(self, path: str) -> Path | None:
        if self.folder is None:
            return None
        folder = self.folder.resolve()
        file = (folder / path.lstrip("/")).resolve()
        if file.is_dir():
            file = file / "index.html"
        return file if file.is_file() and file.is_relative_to(folder) else None


def _content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _not_modified(headers: dict[str, str], etag: str, modified: float) -> bool:
    if "if-none-match" in headers:
        return etag in [tag.strip() for tag in headers["if-none-match"].split(",")]
    since = headers.get("if-modified-since")
    if not since:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    if status != 304:
        handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _send_slowly(handler: BaseHTTPRequestHandler, resource: Resource, headers: dict[str, str], gap: float) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", resource.content_type)
    handler.send_header("Content-Length", str(len(resource.body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    for index in range(len(resource.body)):
        handler.wfile.write(resource.body[index : index + 1])
        handler.wfile.flush()
        time.sleep(gap)


def _send_huge(handler: BaseHTTPRequestHandler, size: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.end_headers()
    handler.close_connection = True  # no length: the body ends when the connection does
    chunk = b"<p>" + b"lorem ipsum " * 5000 + b"</p>\n"
    sent = 0
    while sent < size:
        handler.wfile.write(chunk)
        sent += len(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a folder as a help-center site (the demo's by default).")
    parser.add_argument("--folder", type=Path, default=DEMO_FOLDER)
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args()
    site = FakeHelpCenter(args.folder, public_origin=DEMO_ORIGIN).start(args.port)
    print(f"help center: {site.url}/sitemap.xml (KNOWLEDGE_ALLOWED_PRIVATE_HOSTS={site.host_port})  (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    site.stop()


if __name__ == "__main__":
    main()
