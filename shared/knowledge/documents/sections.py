"""A document as sections: each heading's text, its path of headings, and the anchor a link to it takes.

Markdown (a `.md` file, or a page turned into Markdown) is read line by line: ATX headings
(`## Returns`), setext headings (a line underlined with `===` or `---`), fenced code left alone,
YAML front matter skipped (its `title:` kept). A heading's anchor is an explicit `{#id}` after
it, else whatever `anchor_of` says: GitHub's slug of the heading for a Markdown file, the id the
page gave it for a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_EXPLICIT_ID = re.compile(r"[ \t]*\{#([A-Za-z][\w:.-]*)\}[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}([-*+>|#]|\d+[.)]\s|```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*`]|<[^>]+>|(?<!\w)_+|_+(?!\w)")
_NOT_SLUG = re.compile(r"[^\w\- ]", re.UNICODE)

AnchorOf = Callable[[str, int], str | None]


@dataclass(frozen=True)
class Section:
    """The text under one heading (up to the next heading of any level), with the headings above it."""

    heading_path: tuple[str, ...]
    anchor: str | None
    text: str
    level: int = 0  # the heading's level; 0 before the first heading


@dataclass(frozen=True)
class MarkdownDocument:
    title: str | None  # the front matter's, else the first level-1 heading's
    sections: list[Section]


def plain_heading(text: str) -> str:
    """A heading's words as a reader sees them: links to their text, emphasis and tags removed."""
    return " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split())


class GitHubSlugs:
    """GitHub's anchors for a Markdown file's headings: lowercased, punctuation dropped, spaces to hyphens,
    a repeated one numbered (`faq`, `faq-1`)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, heading: str, level: int) -> str | None:
        slug = _NOT_SLUG.sub("", heading.lower()).replace(" ", "-")
        count = self.seen.get(slug, 0)
        self.seen[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"


def parse_markdown(text: str, *, anchor_of: AnchorOf | None = None) -> MarkdownDocument:
    """`text`'s sections in order; the text before the first heading is a section with an empty path."""
    anchor_of = anchor_of or GitHubSlugs()
    title, lines = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    current: tuple[int, str | None] = (0, None)
    body: list[str] = []
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = None if fence else _heading(lines, index)
        if fence is not None or heading is None:
            fence = _next_fence(line, fence)
            body.append(line)
            index += 1
            continue
        level, raw, consumed = heading
        sections.append(_section(path, current, body))
        words, explicit = _split_explicit_id(raw)
        plain = plain_heading(words)
        path = [(lvl, name) for lvl, name in path if lvl < level] + [(level, plain)]
        current, body = (level, explicit or (anchor_of(plain, level) if plain else None)), []
        title = title or (plain if level == 1 else None)
        index += consumed
    sections.append(_section(path, current, body))
    return MarkdownDocument(title, [s for s in sections if s.text or s.heading_path])


def _heading(lines: list[str], index: int) -> tuple[int, str, int] | None:
    """(level, text, lines it takes) when a heading starts at `index`."""
    if match := _ATX.match(lines[index]):
        return len(match.group(1)), (match.group(2) or "").strip(), 1
    line = lines[index]
    if index + 1 < len(lines) and line.strip() and not _NOT_PARAGRAPH.match(line):
        underline = _SETEXT.match(lines[index + 1])
        previous_blank = index == 0 or not lines[index - 1].strip()
        if underline and previous_blank:
            return (1 if underline.group(1)[0] == "=" else 2), line.strip(), 2
    return None


def _next_fence(line: str, fence: str | None) -> str | None:
    """The fence still open after `line` (None when outside code)."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    return None if marker[0] == fence[0] and len(marker) >= len(fence) else fence


def _split_explicit_id(raw: str) -> tuple[str, str | None]:
    match = _EXPLICIT_ID.search(raw)
    return (raw[: match.start()], match.group(1)) if match else (raw, None)


def _section(path: list[tuple[int, str]], current: tuple[int, str | None], body: list[str]) -> Section:
    return Section(tuple(name for _, name in path), current[1], "\n".join(body).strip(), current[0])


def _front_matter(lines: list[str]) -> tuple[str | None, list[str]]:
    """The front matter's title, and the lines after it (all of them when there is none)."""
    if not lines or lines[0].strip() != "---":
        return None, lines
    for end in range(1, min(len(lines), 100)):
        if lines[end].strip() in ("---", "..."):
            title = next(
                (line.split(":", 1)[1].strip().strip("\"'") for line in lines[1:end] if line.startswith("title:")),
                None,
            )
            return title or None, lines[end + 1 :]
    return None, lines
