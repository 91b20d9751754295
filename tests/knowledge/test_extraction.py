"""Documents into sections and passages: headings kept with their anchors, sizes bounded, bad PDFs named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devtools.pdf_writer import text_pdf
from shared.knowledge.documents.chunking import MAX_WORDS, chunk
from shared.knowledge.documents.extract import Unreadable, extract, kind_of
from shared.knowledge.documents.sections import parse_markdown

SENTENCE = "the parcel leaves our warehouse the same day and arrives within three business days"


def _words(count: int, seed: int = 0) -> str:
    """`count` words of plain sentences (a full stop every 12 words)."""
    vocabulary = SENTENCE.split()
    words = [vocabulary[(seed + i) % len(vocabulary)] for i in range(count)]
    return " ".join(w + ("." if (i + 1) % 12 == 0 else "") for i, w in enumerate(words)).capitalize() + "."


def _html(body: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><title>Returns | Help</title></head><body>
        <nav><a href="/">Home</a> <a href="/shop">Shop</a> <a href="/account">Account settings menu</a></nav>
        <main><article>{body}</article></main>
        <footer><p>Copyright 2019 InnovateTech. All rights reserved. Privacy. Terms.</p></footer>
        </body></html>""".encode()


def test_an_html_page_keeps_its_headings_with_the_heading_id_or_the_enclosing_section_id():
    page = _html(f"""
        <h1 id="returns">Returns guide</h1><p>{_words(30)}</p>
        <section id="exceptions"><h2>Exceptions</h2><p>{_words(40, 1)}</p>
          <h3 id="engraved">Engraved items</h3><p>{_words(70, 2)}</p>
          <h3>Opened <em>earbuds</em></h3><p>{_words(70, 3)}</p></section>
        <h2><a id="abroad"></a>Returns from abroad</h2><p>{_words(70, 4)}</p>
        <h2>Refunds</h2><p>{_words(70, 5)}</p>""")
    document = extract(page, kind="html", location="https://help.example/returns.html")
    anchors = {section.heading_path[-1]: section.anchor for section in document.sections}
    assert document.title == "Returns guide" and document.language == "en"
    assert anchors == {
        "Returns guide": "returns",
        "Exceptions": "exceptions",
        "Engraved items": "engraved",
        "Opened earbuds": "exceptions",  # no id of its own: its section's
        "Returns from abroad": "abroad",
        "Refunds": None,  # a slug would point nowhere on this page
    }
    assert dict((s.heading_path[-1], s.heading_path) for s in document.sections)["Engraved items"] == (
        "Returns guide", "Exceptions", "Engraved items"
    )  # fmt: skip
    text = " ".join(section.text for section in document.sections)
    assert "Copyright" not in text and "Account settings menu" not in text


def test_markdown_headings_take_github_slugs_numbered_when_repeated_or_their_explicit_id():
    markdown = parse_markdown(
        "---\ntitle: Setup guide\n---\nIntro.\n\n# Setup\n\nText.\n\n## What's new? (2026)\n\nA.\n\n"
        "## FAQ\n\nB.\n\n## FAQ\n\nC.\n\n## Pairing {#pair}\n\nD.\n\n```\n# not a heading\n```\n\n"
        "Charging *fast*\n---------------\n\nE.\n"
    )
    assert markdown.title == "Setup guide"
    assert [(s.heading_path[-1] if s.heading_path else None, s.anchor) for s in markdown.sections] == [
        (None, None),
        ("Setup", "setup"),
        ("What's new? (2026)", "whats-new-2026"),
        ("FAQ", "faq"),
        ("FAQ", "faq-1"),
        ("Pairing", "pair"),
        ("Charging fast", "charging-fast"),
    ]
    assert "# not a heading" in markdown.sections[5].text


def test_long_sections_are_cut_between_paragraphs_then_sentences_and_stay_in_bounds():
    paragraphs = "\n\n".join(_words(70, i) for i in range(6))  # 420 words in paragraphs of 70
    run_on = _words(500, 7)  # one paragraph of 500 words
    document = parse_markdown(f"# Guide\n\n## Long\n\n{paragraphs}\n\n## Run-on\n\n{run_on}\n")
    passages = chunk(document.sections)
    assert all(passage.words <= MAX_WORDS for passage in passages)
    long_ones = [p for p in passages if p.heading_path[-1] == "Long"]
    assert len(long_ones) == 3 and all(p.words == 140 for p in long_ones)  # two whole paragraphs each
    assert all(p.content.rstrip().endswith(".") for p in passages if p.heading_path[-1] == "Run-on")
    assert sum(p.words for p in passages) == 920


def test_short_sections_join_a_related_one_and_say_where_each_starts():
    document = parse_markdown(
        f"# Shipping\n\n## Canada {{#ca}}\n\n{_words(20)}\n\n## Mexico\n\n{_words(25, 1)}\n\n"
        f"## Japan\n\n{_words(150, 2)}\n\n# Payments\n\n{_words(20, 3)}\n"
    )
    passages = chunk(document.sections)
    assert [(p.heading_path, p.anchor) for p in passages] == [
        (("Shipping", "Canada"), "ca"),
        (("Shipping", "Japan"), "japan"),
        (("Payments",), "payments"),  # another top heading: not merged into the shipping passages
    ]
    first = passages[0]
    assert [(s.heading_path[-1], s.anchor) for s in first.sections] == [("Canada", "ca"), ("Mexico", "mexico")]
    assert first.content[first.sections[1].offset :].startswith("## Mexico\n\n")


def test_a_pdf_is_read_along_its_outline_with_page_anchors():
    pdf = text_pdf(
        [["# Warranty", _words(60), "# Claims", _words(60, 1)], [], ["# Exclusions", _words(60, 2)]],
        title="Warranty policy",
    )
    document = extract(pdf, kind="pdf", location="https://help.example/warranty.pdf")
    assert document.title == "Warranty policy"
    assert [(s.heading_path, s.anchor) for s in document.sections] == [
        (("Warranty policy", "Warranty"), "page=1"),
        (("Warranty policy", "Claims"), "page=1"),
        (("Warranty policy", "Exclusions"), "page=3"),
    ]
    assert document.note == "pages without text (scanned? they need OCR): 2"
    assert "arrives within three business days" in document.sections[2].text


@pytest.mark.parametrize(
    ("pdf", "code"),
    [
        (text_pdf([["A secret policy."]], password="hunter2"), "encrypted"),
        (text_pdf([[], []]), "needs_ocr"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "corrupt"),
        (text_pdf([["# Claims", _words(80)]])[:900], "corrupt"),
    ],
    ids=["encrypted", "scanned", "garbage", "truncated"],
)
def test_a_pdf_without_readable_text_says_why(pdf, code):
    with pytest.raises(Unreadable) as raised:
        extract(pdf, kind="pdf", location="/docs/policy.pdf")
    assert raised.value.code == code


def test_an_empty_page_and_a_binary_file_are_unreadable():
    with pytest.raises(Unreadable, match="no readable text"):
        extract(_html("<div></div>"), kind="html", location="https://help.example/empty")
    with pytest.raises(Unreadable) as raised:
        extract(b"\x00\x01binary", kind="text", location="/docs/blob.txt")
    assert raised.value.code == "unsupported"


def test_the_kind_comes_from_the_content_type_else_the_name():
    assert kind_of("text/html", "https://help.example/a") == "html"
    assert kind_of("text/plain", "https://help.example/guide.md") == "markdown"
    assert kind_of("application/octet-stream", "https://help.example/policy.pdf") == "pdf"
    assert kind_of("", "/docs/notes.txt") == "text"
    assert kind_of("image/png", "https://help.example/logo.png") is None


def test_a_text_file_is_one_section_titled_after_its_name():
    document = extract(_words(30).encode(), kind="text", location="/docs/store-pickup_hours.txt")
    assert document.title == "Store pickup hours" and len(document.sections) == 1


def test_every_anchor_of_the_demo_help_center_exists_on_its_page(project_root):
    folder = project_root / "helpcenter"
    kinds = {".md": "markdown", ".html": "html", ".pdf": "pdf"}
    for path in sorted(p for p in folder.rglob("*") if p.suffix in kinds):
        document = extract(path.read_bytes(), kind=kinds[path.suffix], location=str(path))
        passages = chunk(document.sections)
        assert passages and all(p.words <= MAX_WORDS for p in passages), path
        anchors = {start.anchor for passage in passages for start in passage.sections}
        assert None not in anchors, path
        for anchor in anchors:
            assert _has_anchor(path, anchor), (path, anchor)


def _has_anchor(path: Path, anchor: str) -> bool:
    if path.suffix == ".html":
        return f'id="{anchor}"' in path.read_text()
    if path.suffix == ".pdf":
        return re.fullmatch(r"page=\d+", anchor) is not None
    headings = [line.lstrip("#").strip() for line in path.read_text().splitlines() if line.startswith("#")]
    return anchor in {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
