"""A page's main text as sections: trafilatura's Markdown (navigation, footers and boilerplate left out,
headings kept), each heading given the anchor the page itself gives it.

A page that marks its main content (`<main>`, `role="main"`, or a single `<article>`) is
read from there only: its footer and menus cannot stand in for an empty article.

trafilatura drops ids, so the page is also parsed here (lxml) for its headings in order, each
with its anchor: the heading's own `id`, else an `id` or `name` on a link inside it, else the
`id` of the nearest `<section>` around it. The Markdown's headings are then matched to those by
their words, in order. A heading the page gave no anchor gets none: a slug of it would point
nowhere on that page. trafilatura's date metadata is never used (it can come from a copyright
footer): the server's Last-Modified is the page's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.knowledge.documents.sections import MarkdownDocument, parse_markdown, plain_heading

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class HtmlDocument:
    title: str | None
    language: str | None  # from <html lang>
    markdown: MarkdownDocument


class PageAnchors:
    """The anchors of a page's headings, handed out as the Markdown meets the same headings in order."""

    def __init__(self, headings: list[tuple[str, str | None]]) -> None:
        self.headings: list[tuple[str, str | None]] = headings
        self.next = 0

    def __call__(self, heading: str, level: int) -> str | None:
        wanted = _key(heading)
        for index in list(range(self.next, len(self.headings))) + list(range(self.next)):
            words, anchor = self.headings[index]
            if words == wanted:
                self.next = max(self.next, index + 1)
                return anchor
        return None


def parse_html(html: str) -> HtmlDocument | None:
    """The page's title, language and main text as sections; None when it has no main text."""
    import lxml.html
    import trafilatura
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        tree = None
    main = _main_content(tree) if tree is not None else None
    if main is not None and not main.text_content().strip():
        return None
    if main is not None:
        html = "<html><body>" + lxml.html.tostring(main, encoding="unicode") + "</body></html>"
    markdown = trafilatura.extract(
        html,
        output_format="markdown",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,  # a help article's short sections are content, not boilerplate
        deduplicate=False,
    )
    if not markdown or not markdown.strip():
        return None
    anchors = PageAnchors(_headings(tree) if tree is not None else [])
    document = parse_markdown(markdown, anchor_of=anchors)
    title = _title(tree) if tree is not None else None
    language = (tree.get("lang") or "").strip() or None if tree is not None else None
    return HtmlDocument(document.title or title, language, document)


def _main_content(tree: Any) -> Any:
    """The element the page marks as its main content, if it marks one."""
    marked = tree.xpath("//main | //*[@role='main']")
    if marked:
        return marked[0]
    articles = tree.xpath("//article")
    return articles[0] if len(articles) == 1 else None


def _headings(tree: Any) -> list[tuple[str, str | None]]:
    found = []
    for element in tree.iter(*HEADINGS):
        words = _key(element.text_content())
        if words:
            found.append((words, _anchor(element)))
    return found


def _anchor(heading: Any) -> str | None:
    own = heading.get("id")
    if own:
        return str(own).strip()
    for link in heading.iter("a"):
        if link.get("id") or link.get("name"):
            return str(link.get("id") or link.get("name")).strip()
    for ancestor in heading.iterancestors("section"):
        if ancestor.get("id"):
            return str(ancestor.get("id")).strip()
    return None


def _title(tree: Any) -> str | None:
    for path in ("//head/title", "//meta[@property='og:title']/@content", "//h1"):
        found = tree.xpath(path)
        if found:
            text = found[0] if isinstance(found[0], str) else found[0].text_content()
            if text and text.strip():
                return " ".join(text.split())
    return None


def _key(text: str) -> str:
    return plain_heading(text).casefold()
