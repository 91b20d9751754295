"""A fetched page or a read file as a document: its title, its language and its sections, by its kind.

The kind comes from the server's content type (`text/html`, `text/markdown`, `text/plain`,
`application/pdf`), else from the name's extension: a server that sends a `.md` file as
`text/plain` or `application/octet-stream` still gets it read as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from shared.knowledge.documents.sections import Section, parse_markdown
from shared.text.language import language_of

MEDIA_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "application/pdf": "pdf",
}
EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".pdf": "pdf",
}
_LANGUAGE_SAMPLE = 20_000  # characters read to tell the document's language


class Unreadable(Exception):
    """A document with no text to index; `code` is what its status says (empty, unsupported, encrypted...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Extracted:
    title: str
    language: str
    sections: list[Section]
    note: str | None = None  # what was left out


def kind_of(media_type: str, location: str) -> str | None:
    """html, markdown, text or pdf; None for anything else."""
    by_name = EXTENSIONS.get(PurePosixPath(unquote(urlsplit(location).path or location)).suffix.lower())
    by_type = MEDIA_TYPES.get(media_type)
    if by_type in (None, "text") and by_name is not None:
        return by_name  # a generic type says less than the name
    return by_type


def extract(body: bytes, *, kind: str, location: str, charset: str | None = None) -> Extracted:
    """The document in `body`, read as `kind`; raises Unreadable when it holds no text to index."""
    if kind == "pdf":
        return _pdf(body, location)
    text = _decoded(body, charset)
    if "\x00" in text:
        raise Unreadable("unsupported", "binary content, not text")
    if kind == "html":
        return _html(text, location)
    if kind == "markdown":
        markdown = parse_markdown(text)
        return _document(markdown.title, None, markdown.sections, location)
    return _document(None, None, [Section((), None, text.strip())] if text.strip() else [], location)


def _html(text: str, location: str) -> Extracted:
    from shared.knowledge.documents.html import parse_html

    page = parse_html(text)
    if page is None:
        raise Unreadable("empty", "no readable text on the page")
    return _document(page.title, page.language, page.markdown.sections, location)


def _pdf(body: bytes, location: str) -> Extracted:
    from shared.knowledge.documents.pdf import PdfUnreadable, parse_pdf

    try:
        document = parse_pdf(body)
    except PdfUnreadable as error:
        raise Unreadable(error.code, str(error)) from None
    return _document(document.title, None, document.sections, location, document.note)


def _document(
    title: str | None, declared: str | None, sections: list[Section], location: str, note: str | None = None
) -> Extracted:
    if not any(section.text.strip() for section in sections):
        raise Unreadable("empty", "no text")
    sample = " ".join(section.text for section in sections)[:_LANGUAGE_SAMPLE]
    language = language_of(sample, declared)
    return Extracted(title or _title_from(location), language, [s for s in sections if s.text.strip()], note)


def _title_from(location: str) -> str:
    """A readable title from a file name or a URL's last segment: `return-policy.md` -> "Return policy"."""
    path = PurePosixPath(unquote(urlsplit(location).path or location))
    words = path.stem.replace("-", " ").replace("_", " ").strip() or urlsplit(location).hostname or location
    return words[:1].upper() + words[1:]


def _decoded(body: bytes, charset: str | None) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    try:
        return body.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return body.decode("cp1252" if charset is None else "utf-8", errors="replace")
