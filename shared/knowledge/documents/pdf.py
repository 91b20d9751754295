"""A PDF's text as sections (pypdf): one per entry of its outline (bookmarks), else one for the whole file.

Each section's anchor is `page=N` of its first page (browsers open `file.pdf#page=N` there).
Lines broken by the layout are joined back into paragraphs. What cannot be read is a clear
reason: a password (pypdf opens PDFs with an empty one by itself), no text on any page (scanned:
it needs OCR), a damaged file, too many pages. Pages without text among others are left out and
named in a note.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from shared.knowledge.documents.sections import Section

MAX_PAGES = 2000
_BULLET = re.compile(r"^\s*([-•*▪‣◦]|\d+[.)])\s")
_SENTENCE_END = re.compile(r"[.:!?)]$")


class PdfUnreadable(Exception):
    """Why a PDF gives no text: `code` is encrypted, needs_ocr, corrupt or too_large."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PdfDocument:
    title: str | None
    sections: list[Section]
    note: str | None  # pages left out


def parse_pdf(body: bytes) -> PdfDocument:
    """The PDF's title, its text in sections along its outline, and what was left out."""
    import logging
    import warnings

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every repair it makes to a damaged file
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        title, texts, outline = _read(body)
    empty = [index + 1 for index, text in enumerate(texts) if not text.strip()]
    if len(empty) == len(texts):
        raise PdfUnreadable("needs_ocr", f"no text on any of its {len(texts)} pages (scanned? it needs OCR)")
    note = f"pages without text (scanned? they need OCR): {_ranges(empty)}" if empty else None
    return PdfDocument(title, _sections(title, texts, outline), note)


def _read(body: bytes) -> tuple[str | None, list[str], list[tuple[tuple[str, ...], int]]]:
    """The metadata title, each page's raw text, and the outline."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise PdfUnreadable("too_large", f"{count:,} pages, over the limit of {MAX_PAGES:,}")
        return _metadata_title(reader), [_page_text(reader, index) for index in range(count)], _outline(reader)
    except (FileNotDecryptedError, DependencyError):
        raise PdfUnreadable("encrypted", "the PDF is encrypted with a password") from None
    except PdfUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise PdfUnreadable("corrupt", f"not a readable PDF ({type(error).__name__})") from None


def _page_text(reader: Any, index: int) -> str:
    from pypdf.errors import FileNotDecryptedError

    try:
        return str(reader.pages[index].extract_text() or "")
    except FileNotDecryptedError:
        raise
    except Exception:  # one damaged page (a broken font, a bad stream) loses that page only
        return ""


def _paragraphs(text: str, headings: set[str]) -> list[str]:
    """Lines broken by the page's layout joined back into paragraphs.

    A line breaks after it when it ends a sentence, before it when it starts a bullet, and on
    both sides when it is one of the page's `headings` (casefolded outline titles).
    """
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # a word hyphenated at the end of a line
    out: list[str] = []
    joinable = False
    for line in (" ".join(raw.split()) for raw in text.split("\n")):
        if not line:
            joinable = False
            continue
        heading = line.casefold() in headings
        if out and joinable and not heading and not _BULLET.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
        joinable = not heading and not _SENTENCE_END.search(out[-1])
    return out


def _outline(reader: Any) -> list[tuple[tuple[str, ...], int]]:
    """(titles from the top down, page index) of each outline entry, in page order."""
    found: list[tuple[tuple[str, ...], int]] = []

    def walk(items: list[Any], parents: tuple[str, ...]) -> None:
        last = parents
        for item in items:
            if isinstance(item, list):  # the entries under the one before
                walk(item, last)
                continue
            name = " ".join(str(getattr(item, "title", "") or "").split())
            last = (*parents, name)
            try:
                page = reader.get_destination_page_number(item)
            except Exception:
                continue
            if name and page is not None and page >= 0:
                found.append((last, page))

    try:
        walk(reader.outline, ())
    except Exception:  # a damaged outline: read the file as one section
        return []
    return sorted(found, key=lambda entry: entry[1])


def _sections(title: str | None, texts: list[str], outline: list[tuple[tuple[str, ...], int]]) -> list[Section]:
    """Sections cut where each outline entry's title stands on its page (else at the top of its page)."""
    sections: list[tuple[tuple[str, ...], int, list[str]]] = [((), 1, [])]
    for index, text in enumerate(texts):
        entries = [path for path, page in outline if page == index]
        paragraphs = _paragraphs(text, {path[-1].casefold() for path in entries})
        found = {paragraph.casefold() for paragraph in paragraphs}
        for path in [path for path in entries if path[-1].casefold() not in found]:
            sections.append((path, index + 1, []))
        waiting = [path for path in entries if path[-1].casefold() in found]
        for paragraph in paragraphs:
            if waiting and paragraph.casefold() == waiting[0][-1].casefold():
                sections.append((waiting.pop(0), index + 1, []))
            else:
                sections[-1][2].append(paragraph)
    return [
        Section(
            path if not title or path[:1] == (title,) else (title, *path),
            f"page={page}",
            "\n\n".join(paragraphs),
            len(path) + 1,
        )
        for path, page, paragraphs in sections
        if paragraphs
    ]


def _metadata_title(reader: Any) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return None
    return " ".join(str(title).split()) or None if title else None


def _ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] as "1-3, 7"."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
