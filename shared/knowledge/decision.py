"""What a reply may do with what retrieval ranked: answer from an entry, suggest entries, or say it does not know.

The fused score alone asserted the nearest entry whenever it cleared the threshold, and shop
questions next to a covered topic ("a discount for students" next to "discounts for bulk
orders") clear it often. So an entry is asserted only when its score is well above the
threshold (further above when the message names something no entry mentions: such questions
reached 1.4 to 1.6 times the threshold), or when it is above it and no other evidence speaks
against it:

- key terms not in the knowledge base: words of the message that no entry uses at all (a
  product, a place, a service the knowledge base never mentions), counted only when the
  knowledge base reads the message's language (most of its words are known);
- the views of meaning disagree: the entry is not first by its nearest phrasing (the soft maximum
  of cosines) or by its centroid. The words (BM25) are no such view: a paraphrase shares few
  words with its entry and often more with another, so their disagreement refused right answers;
- a close runner-up: a second entry scores about as high, so the customer is asked which one.

Otherwise the reply suggests the nearest entries (asserting nothing, citing nothing), or, when
nothing comes near the threshold, says it does not know and offers a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from shared.core.settings import Settings
from shared.knowledge.retrieval import ScoredEntry
from shared.text import small_words

Outcome = Literal["answered", "suggested", "unknown"]
# From this multiple of the threshold up an entry is worth suggesting (from RETRIEVAL_SURE_FACTOR
# times it, it answers whatever else is known).
NEAR = 0.75
# A runner-up within this share of the threshold is as plausible as the first.
CLOSE = 0.1
MAX_OFFERED = 3
# A message naming something no entry mentions needs this much more than RETRIEVAL_SURE_FACTOR
# (times the threshold) to be answered whatever else is known: 1.6 by default, against 1.4.
KEY_TERMS_MARGIN = 0.2
# A passage answers whatever words of the message the help center never uses from this multiple of its
# threshold up: higher than an entry's (RETRIEVAL_SURE_FACTOR), as a page's score has no phrasings or
# centroid behind it.
PASSAGE_SURE_FACTOR = 2.0
# Below that, a passage of another document within this share of the threshold makes the first one a
# guess: two pages as plausible say the message sits between them ("return headphones" against a
# setup guide and a returns page).
PASSAGE_CLOSE = 0.5
# The knowledge base reads a message whose words it mostly knows; otherwise unknown words say
# more about the language than about the topic.
READABLE_UNKNOWN_SHARE = 0.5


@dataclass(frozen=True)
class Decision:
    """The outcome, a short machine reason, what the reply asserts and what it offers instead."""

    outcome: Outcome
    reason: str
    entries: list[ScoredEntry] = field(default_factory=list)
    offered: list[ScoredEntry] = field(default_factory=list)


def decide(
    found: list[ScoredEntry],
    settings: Settings,
    *,
    words: int,
    unknown: tuple[str, ...] | None = None,
    views: bool = True,
    key_terms_margin: float = KEY_TERMS_MARGIN,
) -> Decision:
    """The decision for one search's ranked entries.

    `words` is how many words the message has; `unknown`, its words no entry uses (by default,
    those the search found); `views`, whether the two views of meaning are evidence;
    `key_terms_margin`, how much surer an entry must be when the message names such words.
    """
    if not found:
        return Decision("unknown", "nothing_found")
    top = found[0]
    threshold = top.threshold(settings)
    near = [e for e in found if e.score >= NEAR * e.threshold(settings)][:MAX_OFFERED]
    if top.score < NEAR * threshold:
        return Decision("unknown", "nothing_near")
    if top.score < threshold:
        return Decision("suggested", "below_threshold", offered=near)
    confident = [e for e in found if e.fits(settings)]
    unknown = top.unknown_words if unknown is None else unknown
    sure = settings.retrieval_sure_factor + (key_terms_margin if _names_unknown(unknown, words) else 0.0)
    if top.score >= sure * threshold:
        return Decision("answered", "clear_match", entries=confident)
    doubt = _doubt(found, threshold, unknown, words, views=views)
    if doubt is None:
        return Decision("answered", "evidence_agrees", entries=confident)
    offered = found[:2] if doubt == "close_runner_up" else near
    return Decision("suggested", doubt, offered=offered)


def decide_passage(found: list[ScoredEntry], settings: Settings, *, words: int) -> Decision:
    """Whether the first of the ranked help-center passages answers: above its threshold, and naming
    everything the message names that the help center mentions at all (no key term it never uses).

    Only an answer: suggesting a page's sections would offer headings, not questions. Neighbouring
    passages of one page often score alike, so only a close runner-up from another document is doubt.
    """
    if not found or not found[0].fits(settings):
        return Decision("unknown", "nothing_found")
    top = found[0]
    # The page's best section says how surely the page fits: the one first may be a neighbour
    # holding the answer (lookup moves it first), which the message's words match a little less.
    page_score = max(p.score for p in found if p.document == top.document)
    sure = page_score >= PASSAGE_SURE_FACTOR * top.threshold(settings)
    readable = len(top.unknown_words) <= READABLE_UNKNOWN_SHARE * max(1, words)
    if not sure and readable and key_terms(top.unknown_words):
        return Decision("unknown", "key_terms_not_in_kb")
    other_page = next((p for p in found[1:] if p.document != top.document), None)
    if not sure and other_page is not None and top.score - other_page.score < PASSAGE_CLOSE * top.threshold(settings):
        return Decision("unknown", "close_runner_up")
    return Decision("answered", "passage_match", entries=[top])


def _doubt(
    found: list[ScoredEntry], threshold: float, unknown: tuple[str, ...], words: int, *, views: bool
) -> str | None:
    """The first piece of evidence against asserting the first entry, or None."""
    top = found[0]
    if _names_unknown(unknown, words):
        return "key_terms_not_in_kb"
    if views and not _views_agree(found):
        return "views_disagree"
    if len(found) > 1 and top.score - found[1].score < CLOSE * threshold:
        return "close_runner_up"
    return None


def _names_unknown(unknown: tuple[str, ...], words: int) -> bool:
    """Whether the message names something no entry mentions, in a language the knowledge base reads."""
    return bool(key_terms(unknown)) and len(unknown) <= READABLE_UNKNOWN_SHARE * max(1, words)


def key_terms(unknown: tuple[str, ...]) -> tuple[str, ...]:
    """The words no entry uses that name something (not "still", "my dad", "lol")."""
    return tuple(word for word in unknown if len(word) > 1 and not small_words.says_little(word))


def _views_agree(found: list[ScoredEntry]) -> bool:
    """Whether the first entry is also first by its nearest phrasing and by its centroid (when the search has them)."""
    top = found[0]
    for view in ("dense", "centroid"):
        if view not in top.features:
            continue
        best = max(found, key=lambda e: e.features.get(view, 0.0))
        if best.id != top.id and best.features.get(view, 0.0) > top.features.get(view, 0.0):
            return False
    return True
