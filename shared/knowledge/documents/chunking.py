"""Sections into passages of bounded size, along the document's structure: headings, then paragraphs, then sentences.

A section longer than MAX_WORDS is cut between paragraphs (a list, a table or a code block is
one paragraph), a paragraph longer than that between sentences, a sentence longer than that
between words. A passage shorter than MIN_WORDS takes in the next section when that one shares
its parent heading (a sibling, or a section under it) and both fit in MAX_WORDS, else joins the
passage before it on the same terms. The headings of the sections a passage takes in stay in its
text as Markdown headings, and `sections` says where each one starts, with its heading path and
anchor, so an answer can cite the exact section.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from shared.knowledge.documents.sections import Section

# The English MiniLM encoder reads 256 word pieces (about 190 English words) and drops the rest:
# a passage with its heading path stays under that. Smaller passages cite more precisely.
MAX_WORDS = 180
MIN_WORDS = 50
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9À-Ý¿¡])")


@dataclass(frozen=True)
class SectionStart:
    """Where a section starts inside a passage's text."""

    offset: int
    heading_path: tuple[str, ...]
    anchor: str | None


@dataclass
class Passage:
    """A piece of a document: its first section's headings and anchor, its text, and the sections it holds."""

    heading_path: tuple[str, ...]
    anchor: str | None
    content: str
    sections: list[SectionStart] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.content.split())


def chunk(sections: list[Section]) -> list[Passage]:
    """The passages of a document's sections, in order."""
    groups: list[list[_Unit]] = []
    for section in sections:
        for piece in _pieces(section.text):
            unit = _Unit(section, piece, len(piece.split()))
            if groups and _may_take(groups[-1], unit):
                groups[-1].append(unit)
            else:
                groups.append([unit])
    merged: list[list[_Unit]] = []
    for group in groups:  # a short group that took nothing in joins the one before, when related
        if merged and _words(group) < MIN_WORDS and _may_join(merged[-1], group):
            merged[-1] += group
        else:
            merged.append(group)
    return [_passage(group) for group in merged]


@dataclass(frozen=True)
class _Unit:
    section: Section
    text: str
    words: int


def _words(group: list[_Unit]) -> int:
    return sum(unit.words for unit in group)


def _may_take(group: list[_Unit], unit: _Unit) -> bool:
    """Whether a short group takes in the next piece: room for both, and a section under the same parent."""
    return _words(group) < MIN_WORDS and _may_join(group, [unit])


def _may_join(group: list[_Unit], more: list[_Unit]) -> bool:
    if _words(group) + _words(more) > MAX_WORDS:
        return False
    first, path = group[0].section.heading_path, more[0].section.heading_path
    parent = first[:-1]
    return path == first or (path[: len(parent)] == parent and len(path) > len(parent))


def _passage(group: list[_Unit]) -> Passage:
    """One passage's text: its units, each new section's heading written in as a Markdown heading."""
    first = group[0].section
    start = SectionStart(0, first.heading_path, first.anchor)
    passage = Passage(first.heading_path, first.anchor, group[0].text, [start])
    for previous, unit in itertools.pairwise(group):
        if unit.section is previous.section:
            passage.content += "\n\n" + unit.text
            continue
        offset = len(passage.content) + 2
        path = unit.section.heading_path
        heading = f"{'#' * max(unit.section.level, 1)} {path[-1]}\n\n" if path else ""
        passage.content += "\n\n" + heading + unit.text
        passage.sections.append(SectionStart(offset, path, unit.section.anchor))
    return passage


def _pieces(text: str) -> list[str]:
    """`text` cut into pieces of at most MAX_WORDS, between paragraphs where it can."""
    pieces: list[str] = []
    for block in _blocks(text):
        for part in _bounded(block):
            if pieces and len(pieces[-1].split()) + len(part.split()) <= MAX_WORDS:
                pieces[-1] += "\n\n" + part
            else:
                pieces.append(part)
    return pieces


def _blocks(text: str) -> list[str]:
    """Paragraphs: text between blank lines, a fenced code block whole whatever blank lines it holds."""
    blocks: list[str] = []
    inside = False
    current: list[str] = []
    for line in text.split("\n"):
        if _FENCE.match(line):
            inside = not inside
        if not line.strip() and not inside:
            if current:
                blocks.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current).strip())
    return [block for block in blocks if block]


def _bounded(block: str) -> list[str]:
    """A paragraph as is, or cut between sentences (or lines of a list or table), then words, to fit MAX_WORDS."""
    if len(block.split()) <= MAX_WORDS:
        return [block]
    units = block.split("\n") if "\n" in block else _SENTENCE_END.split(block)
    parts: list[str] = []
    for unit in units:
        for piece in _by_words(unit):
            joiner = "\n" if "\n" in block else " "
            if parts and len(parts[-1].split()) + len(piece.split()) <= MAX_WORDS:
                parts[-1] += joiner + piece
            else:
                parts.append(piece)
    return parts


def _by_words(unit: str) -> list[str]:
    words = unit.split()
    if len(words) <= MAX_WORDS:
        return [unit.strip()] if unit.strip() else []
    return [" ".join(words[i : i + MAX_WORDS]) for i in range(0, len(words), MAX_WORDS)]
