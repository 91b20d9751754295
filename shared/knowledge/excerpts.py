"""The sentences of a passage that answer a message, and the section they sit in.

A passage is up to a few hundred words of a page; the reply quotes only what answers the message.
The passage's text is read as units (a sentence of a paragraph, a list item, a table row given
with its column names: "Service: Express; Delivery time: 1 to 2 business days; Price: $14.99"),
each scored by the message's words it contains, the rarer within the passage the more (a word in
every unit says nothing about which one answers). Words are compared with their common endings
taken off, so "shipped", "shipping" and "ships" meet. The best unit is taken with the units that follow it in
its section, up to a budget of words, and the section of the best unit is the one cited. A
message that shares no word with the passage (a paraphrase, another language) gets the passage's
opening units.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shared.text.small_words import FUNCTION_WORDS, VAGUE

MAX_WORDS = 70
_ENDINGS = ("ing", "ed", "ies", "es", "s", "ly", "y")
_DOUBLED = re.compile(r"([bcdfgklmnprtz])\1$")  # not "ss": "passed" -> "pass"
_WORD = re.compile(r"\w+", re.UNICODE)
_HEADING = re.compile(r"^ {0,3}#{1,6}\s")
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}\s+(.*)$", re.MULTILINE)
HEADING_SHARE = 0.5
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_STEP = re.compile(r"^\d+[.)]\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# A sentence ends at . ! ? followed by a space and a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9ÀÁÂÄÇÈÉÊÍÓÖÚÜÑ])")


@dataclass(frozen=True)
class Unit:
    offset: int  # where it starts in the passage's text
    text: str
    block: int  # units of one paragraph, list or table share a block
    row: bool = False  # a list item or a table row: read alone, not as a paragraph's sentence


@dataclass(frozen=True)
class Excerpt:
    text: str
    offset: int  # where its best unit starts in the passage's text: the section to cite


def excerpt(
    content: str, query: str, *, sections: list[dict[str, Any]] | None = None, max_words: int = MAX_WORDS
) -> Excerpt:
    """The units of `content` that best answer `query`, in the passage's order, within `max_words`.

    `sections` (each with its `offset` and `heading_path`) name the headings the units sit under,
    the first of which is not in the passage's text; without them, the text's own headings do.
    """
    units = units_of(content)
    if not units:
        return Excerpt(content.strip(), 0)
    scores = _scores(units, query, _headings_of(units, content, sections))
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0:
        best = 0
    chosen = _around(units, best, max_words, scores)
    return Excerpt(_joined([units[i] for i in chosen]), units[best].offset)


def section_at(sections: list[dict[str, Any]], offset: int) -> dict[str, Any] | None:
    """The section (of a passage's `sections`, each with its `offset`) that holds `offset`."""
    holding = [s for s in sections if int(s.get("offset", 0)) <= offset]
    return holding[-1] if holding else (sections[0] if sections else None)


def units_of(content: str) -> list[Unit]:
    """The passage's sentences, list items and table rows, headings left out."""
    units: list[Unit] = []
    block, offset, header, paragraph = 0, 0, None, None
    for line in content.splitlines(keepends=True):
        start, stripped = offset, line.strip()
        offset += len(line)
        if not stripped or _HEADING.match(line) or _TABLE_RULE.match(stripped):
            block, paragraph = block + (not _TABLE_RULE.match(stripped)), None
            continue
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if header is None or len(cells) != len(header):
                header = cells
                continue
            row = "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c)
            units.append(Unit(start, row, block, row=True))
            continue
        header = None
        if _LIST_ITEM.match(line):
            units.append(Unit(start, stripped, block, row=True))
            paragraph = None
            continue
        if paragraph is not None and units:  # a paragraph's next line continues its last sentence
            last = units.pop()
            text = last.text + " " + stripped
            units.extend(_sentences(text, last.offset, block))
        else:
            units.extend(_sentences(stripped, start, block))
        paragraph = block
    return units


def _sentences(text: str, offset: int, block: int) -> list[Unit]:
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    if len(parts) <= 1:
        return [Unit(offset, text, block)]
    return [Unit(offset, part, block) for part in parts]


def content_stems(text: str) -> set[str]:
    """The stems of the words of `text` that say something (not function words, not vague ones)."""
    words = (w.lower() for w in _WORD.findall(text))
    return {stem(w) for w in words if len(w) > 1 and w not in FUNCTION_WORDS and w not in VAGUE}


@lru_cache(maxsize=50_000)  # a page's words recur in every search that quotes it
def stem(word: str) -> str:
    """`word` without a common English ending (a doubled consonant left single): enough to match forms."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if ending == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                continue
            if ending == "s" and word.endswith("ss"):
                continue
            # "shipped" -> "ship", but "addresses" -> "address": only these endings double a consonant
            return _DOUBLED.sub(r"\1", word[: -len(ending)]) if ending in ("ing", "ed") else word[: -len(ending)]
    return word


def _scores(units: list[Unit], query: str, headings: list[str]) -> list[float]:
    """Each unit's score: the rarity of the message's words it holds, and half that for those its
    section's heading holds ("in winter" meets the sentences under "Winter storage")."""
    wanted = content_stems(query)
    unit_stems = [content_stems(u.text) for u in units]
    heading_stems = [content_stems(heading) for heading in headings]
    rarity = {stem: math.log(1 + len(units) / (1 + sum(stem in s for s in unit_stems))) for stem in wanted}
    return [
        sum(rarity[s] for s in wanted & stems) + HEADING_SHARE * sum(rarity[s] for s in wanted & above - stems)
        for stems, above in zip(unit_stems, heading_stems, strict=True)
    ]


def _headings_of(units: list[Unit], content: str, sections: list[dict[str, Any]] | None) -> list[str]:
    """The heading each unit sits under ("" before the first)."""
    if sections:
        return [_last_heading(section_at(sections, unit.offset)) for unit in units]
    headings = [(m.start(), m.group(1)) for m in _HEADING_LINE.finditer(content)]
    return [next((text for start, text in reversed(headings) if start <= unit.offset), "") for unit in units]


def _last_heading(section: dict[str, Any] | None) -> str:
    path = (section or {}).get("heading_path") or [""]
    return str(path[-1])


def _around(units: list[Unit], best: int, max_words: int, scores: list[float]) -> list[int]:
    """The best unit with its paragraph's sentences after it, then before it, while they fit; of a list
    or a table, the other items that match the message as well."""
    chosen, words = [best], len(units[best].text.split())
    for step in (1, -1):
        i = best + step
        while 0 <= i < len(units) and units[i].block == units[best].block:
            size = len(units[i].text.split())
            if words + size > max_words:
                break
            if not units[i].row or scores[i] >= scores[best] > 0 or (step == 1 and _is_step(units[i])):
                chosen.append(i)
                words += size
            i += step
    return sorted(chosen)


def _is_step(unit: Unit) -> bool:
    """A numbered list's item: the steps after the best one belong to its answer."""
    return unit.row and bool(_STEP.match(unit.text))


def _joined(units: list[Unit]) -> str:
    lines: list[str] = []
    for i, unit in enumerate(units):
        if i and units[i - 1].block == unit.block and not unit.row:
            lines[-1] += " " + unit.text
        else:
            lines.append(unit.text)
    return "\n".join(lines)
