"""Small text PDFs, written with pypdf: the demo help center's warranty policy, and the documents tests' PDFs.

`text_pdf(pages)` lays each page's paragraphs out in Helvetica (wrapped at WRAP characters, a
heading in bold when a paragraph starts with "# "), with an outline entry for every heading,
the title in the metadata, and optionally a password (`password=`) or pages with no text at
all (an empty list: what a scanned page gives a text extractor).
"""

from __future__ import annotations

import io
import textwrap

from pypdf import PageObject, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

WIDTH, HEIGHT, MARGIN = 612, 792, 72
WRAP = 90
LEADING = 15


def text_pdf(pages: list[list[str]], *, title: str | None = None, password: str | None = None) -> bytes:
    """A PDF of `pages`, each a list of paragraphs; "# Heading" paragraphs are bold and in the outline."""
    writer = PdfWriter()
    for paragraphs in pages:
        page = writer.add_blank_page(WIDTH, HEIGHT)
        _fonts(page)
        _write(writer, page, paragraphs)
        for paragraph in paragraphs:
            if paragraph.startswith("# "):
                writer.add_outline_item(title=paragraph[2:], page_number=page)
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fonts(page: PageObject) -> None:
    fonts = DictionaryObject()
    for name, base in (("/F1", "/Helvetica"), ("/F2", "/Helvetica-Bold")):
        fonts[NameObject(name)] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(base),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})


def _write(writer: PdfWriter, page: PageObject, paragraphs: list[str]) -> None:
    commands = [f"BT {MARGIN} {HEIGHT - MARGIN} Td {LEADING} TL"]
    for paragraph in paragraphs:
        heading = paragraph.startswith("# ")
        commands.append("/F2 13 Tf" if heading else "/F1 11 Tf")
        for line in textwrap.wrap(paragraph.removeprefix("# "), WRAP):
            commands.append(f"({_escaped(line)}) Tj T*")
        commands.append("T*")  # a blank line between paragraphs
    commands.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(commands).encode("cp1252"))
    page[NameObject("/Contents")] = writer._add_object(stream)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
