"""From a customer's message to the entries that answer it: follow-ups, the query vector, the search."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from shared.core.settings import Settings, get_settings
from shared.db.engine import run_idempotent
from shared.embeddings import get_embedder
from shared.embeddings.base import embed_queries
from shared.knowledge import decision, excerpts, followups, passages, retrieval, spelling
from shared.text.language import language_of
from shared.text.question_words import QUESTION_JOINERS, QUESTION_STARTS, alternatives
from shared.text.redaction import redact
from shared.text.turns import Turn

log = logging.getLogger("support.retrieval")
# Half the answering threshold still marks a topic worth suggesting.
Found = list[retrieval.ScoredEntry]  # entries as retrieval ranked them, best first
RELATED_FRACTION = 0.5
# A page answers in place of an entry that also answers when it fits the message this much better
# (each score over its own threshold): the team's curated answer keeps priority when both fit alike.
PAGE_FITS_BETTER = 1.3
# A section of the same page scoring this share of the first one's may hold the answer instead.
NEAR_SECTION = 0.8
MIN_PART_WORDS = 3
MAX_PARTS = 3
# Where a message turns to another question: after a sentence's end, or at "and"/"also" (in
# each supported language) followed by a question word.
_QUESTION_START = alternatives(QUESTION_STARTS)
_SPLIT = re.compile(
    rf"(?<=[?!.])\s+|\s*;\s*|,?\s+(?:{alternatives(QUESTION_JOINERS)})\s+(?=(?:{_QUESTION_START})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Findings:
    """What retrieval found for a message: `entries` fit it, `related` are near it.

    `parts` are the separate questions of a message that asks several (each retrieved on its
    own; `entries` then holds what fits any of them); `language` is the customer's, as an ISO
    639-1 code, for the reply.
    """

    question: str
    entries: list[retrieval.ScoredEntry]
    top_score: float = 0.0
    top_threshold: float | None = None
    related: list[retrieval.ScoredEntry] = field(default_factory=list)
    popular: list[retrieval.ScoredEntry] = field(default_factory=list)
    history: list[Turn] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    language: str = "en"
    # answered (`entries` are asserted), suggested (`offered` are asked about), or unknown; and why.
    outcome: decision.Outcome = "unknown"
    reason: str = "nothing_found"
    offered: list[retrieval.ScoredEntry] = field(default_factory=list)


class Explanation(NamedTuple):
    """What `explain` found: the findings, the entries the whole message ranked and the passages, best first."""

    findings: Findings
    ranked: list[retrieval.ScoredEntry]
    pages: list[retrieval.ScoredEntry]


def find_answers(
    question: str,
    history: list[Turn],
    *,
    locale: str | None = None,
    conn: sa.Connection | None = None,
    standalone: str | None = None,
) -> Findings:
    """Retrieve for `question`, and for each of its parts when it asks several things.

    `standalone` is the question rewritten by a model to stand on its own (a follow-up with
    what it refers to spelled out): it is searched in place of the message and its context.
    A failing embedder or database degrades to less, never to an error. `conn` searches a
    knowledge base being rehearsed (see knowledge/regression); by default, the live one.
    """
    return explain(question, history, locale=locale, conn=conn, standalone=standalone).findings


def explain(
    question: str,
    history: list[Turn],
    *,
    locale: str | None = None,
    conn: sa.Connection | None = None,
    standalone: str | None = None,
) -> Explanation:
    """`find_answers`, with the entries the whole message ranked and the passages, best first, that it decided from."""
    language = language_of(question, locale)
    searched_text = (standalone or "").strip() or question
    form = followups.form_of(question, history) if searched_text == question else None
    spell = _speller(language, conn)
    searched_text = spell(searched_text)
    asked = split_questions(searched_text)
    # An implicit follow-up is read in context only when it does not answer alone (see `_continued`).
    in_context = [spell(followups.in_context(question, history))] if form in ("elliptic", "refers_back") else []
    texts = [searched_text, *asked, *in_context]
    # Embedded before a connection is taken: the embedder may be a model called over the network.
    queries = _embedded(texts)

    # A follow-up's pages are searched with the previous message, as its entries are.
    page_query = queries[-1] if in_context else queries[0]

    def retrieve(db: sa.Connection) -> tuple[list[Found], Found, Found]:
        searched = [_search(db, query, language) for query in queries]
        return searched, retrieval.cached_popular_entries(db), _search_passages(db, page_query, language)

    try:
        searched, popular, pages = retrieve(conn) if conn is not None else run_idempotent(retrieve)
    except (sa.exc.SQLAlchemyError, OSError):
        log.exception("retrieval failed; answering without the knowledge base")
        none = Findings(question=question, entries=[], history=history, language=language, reason="no_retrieval")
        return Explanation(none, [], [])
    settings = get_settings()
    found = searched[0]
    decided = _decided(searched_text, found, list(zip(asked, searched[1 : 1 + len(asked)], strict=True)), settings)
    if form == "implicit":
        decided, found = _continued(question, (decided, found), history, language, conn, settings)
    elif form is not None:
        decided, found = _read_in_context(question, form, (decided, found), searched[-1], history, settings)
    decided = _with_passages(decided, pages, settings, text=page_query.text)
    shown = [e.in_language(language) for e in decided.entries]
    shown_ids = {e.id for e in shown}
    findings = Findings(
        question=question,
        entries=shown,
        top_score=found[0].score if found else 0.0,
        top_threshold=found[0].threshold(settings) if found else None,
        related=[
            e.in_language(language)
            for e in found
            if e.id not in shown_ids and e.score >= RELATED_FRACTION * e.threshold(settings)
        ],
        popular=[e.in_language(language) for e in popular],
        history=history,
        parts=decided.parts,
        language=language,
        outcome=decided.outcome,
        reason=decided.reason,
        offered=[e.in_language(language) for e in decided.offered],
    )
    return Explanation(findings, found, pages)


@dataclass(frozen=True)
class _Decided(decision.Decision):
    parts: list[str] = field(default_factory=list)


def _decided(text: str, found: Found, by_part: list[tuple[str, Found]], settings: Settings) -> _Decided:
    """The whole message's decision, or, when it asks several things answered by different entries, each part's."""
    whole = decision.decide(found, settings, words=len(text.split()))
    answered_parts = [
        (part, decided.entries[0])
        for part, decided in (
            (part, decision.decide(ranked, settings, words=len(part.split()), key_terms_margin=0.0))
            for part, ranked in by_part
        )
        if decided.outcome == "answered"
    ]
    # Each entry with the first part it answers, in the order asked.
    firsts: dict[str, tuple[str, retrieval.ScoredEntry]] = {}
    for part, entry in answered_parts:
        firsts.setdefault(entry.id, (part, entry))
    if len(firsts) < 2:
        return _Decided(whole.outcome, whole.reason, whole.entries, whole.offered)
    # The parts' entries first; the whole message's other confident ones after.
    entries = [entry for _, entry in firsts.values()]
    entries += [e for e in whole.entries if e.id not in firsts]
    return _Decided("answered", "parts_answered", entries, parts=[part for part, _ in firsts.values()])


def _read_in_context(
    question: str,
    form: followups.Form,
    alone: tuple[_Decided, Found],
    in_context: Found,
    history: list[Turn],
    settings: Settings,
) -> tuple[_Decided, Found]:
    """A follow-up's decision: its own answer when it is elliptic and has one (or names a topic of its
    own), else read with the previous message."""
    if form == "elliptic" and (alone[0].outcome == "answered" or _names_its_own_topic(alone[1], history, settings)):
        return alone
    context = followups.context_entries(history)
    ranked = followups.prefer_context(in_context, context, settings)
    if ranked and ranked[0].id in context and ranked[0].fits(settings):
        # The conversation's topic, found again with this message: the customer asks more about it.
        return _Decided("answered", "follow_up", [ranked[0]]), ranked
    unknown = followups.own_words(question, ranked[0].unknown_words) if ranked else ()
    # The views read the previous message too: they are not evidence about this one.
    decided = decision.decide(ranked, settings, words=len(question.split()), unknown=unknown, views=False)
    return _Decided(decided.outcome, decided.reason, decided.entries, decided.offered), ranked


def _continued(
    question: str,
    alone: tuple[_Decided, Found],
    history: list[Turn],
    language: str,
    conn: sa.Connection | None,
    settings: Settings,
) -> tuple[_Decided, Found]:
    """An implicit follow-up's decision: the previous answer's topic when, read with the previous
    message, it comes first and fits; else the message's own.

    Searched only when the message does not answer alone, names nothing the knowledge base never
    mentions and reaches no other entry's threshold (either would be a new subject): most messages
    cost no second search.
    """
    decided, found = alone
    if (
        decided.outcome == "answered"
        or not found
        or decision.key_terms(found[0].unknown_words)
        or _names_its_own_topic(found, history, settings)
    ):
        return alone
    context = followups.context_entries(history)
    ranked = followups.prefer_context(
        _search_once(followups.in_context(question, history), language, conn), context, settings
    )
    if ranked and ranked[0].id in context and ranked[0].fits(settings):
        return _Decided("answered", "follow_up", [ranked[0]]), ranked
    return alone


def _names_its_own_topic(found: Found, history: list[Turn], settings: Settings) -> bool:
    """Whether a message with no word pointing back reaches another entry's threshold on its own while
    the conversation's topic is not even near it: a new question, however short ("what's your return
    window?" after a question about discounts), not more about the previous one."""
    context = followups.context_entries(history)
    if not found or found[0].id in context or not found[0].fits(settings):
        return False
    previous = next((e for e in found if e.id in context), None)
    return previous is None or previous.score < decision.NEAR * previous.threshold(settings)


def _search_once(text: str, language: str, conn: sa.Connection | None) -> Found:
    """The entries ranked for `text` in a transaction of its own; none when retrieval fails."""
    query = _embedded([text])[0]
    try:
        return (
            _search(conn, query, language)
            if conn is not None
            else run_idempotent(lambda db: _search(db, query, language))
        )
    except (sa.exc.SQLAlchemyError, OSError):
        log.exception("retrieval in context failed; reading the message alone")
        return []


def _with_passages(decided: _Decided, pages: Found, settings: Settings, *, text: str) -> _Decided:
    """The entries' decision, unless a help-center passage answers and they do not, or not as well.

    Entries keep priority: a team's curated answer beats a paragraph from a page, unless the page
    names what the message asks about and the entry does not ("to Canada" against a general
    shipping answer), and it matches surely and at least as well for its own threshold. A message
    asking several things keeps its entries, and so does a follow-up answered from the conversation
    (the pages were searched for the message alone).
    """
    if not pages:
        return decided
    pages = _best_section_first(pages, text)
    by_page = decision.decide_passage(pages, settings, words=len(text.split()))
    if by_page.outcome != "answered":
        return decided
    if decided.outcome == "answered" and (
        decided.parts
        or decided.reason == "follow_up"
        or not _page_says_more(text, decided.entries[0], pages[0], settings)
    ):
        return decided
    return _Decided("answered", by_page.reason, by_page.entries)


def _best_section_first(pages: Found, text: str) -> Found:
    """The ranked passages, with the one of the first passage's document whose quoted sentences say
    most of what the message asks moved first, when it scores nearly as well: neighbouring sections
    of a page score alike, and the one that holds the answer is not always ranked first."""
    top = pages[0]
    asked = excerpts.content_stems(text)
    near = [top, *(p for p in pages[1:] if p.document == top.document and p.score >= NEAR_SECTION * top.score)]

    def says(page: retrieval.ScoredEntry) -> int:
        return len(asked & excerpts.content_stems(f"{page.section or ''} {page.excerpt or ''}"))

    best = max(near, key=says)
    if says(best) <= says(top):
        return pages
    return [best, *(p for p in pages if p is not best)]


def _page_says_more(text: str, entry: retrieval.ScoredEntry, page: retrieval.ScoredEntry, settings: Settings) -> bool:
    """Whether `page` fits the message surely and clearly better than `entry` (a page's section on
    Canada against a general shipping answer, for "shipping to Vancouver"), or holds words of the
    message that `entry` lacks and either names every word of the message that no entry uses (the
    page covers what the knowledge base never mentions: "Russia") or fits surely and as well."""
    if entry.kind == "passage":
        return False
    page_fit, entry_fit = page.score / page.threshold(settings), entry.score / entry.threshold(settings)
    if page_fit >= max(PAGE_FITS_BETTER * entry_fit, settings.retrieval_sure_factor):
        return True
    asked = excerpts.content_stems(text)
    on_page = excerpts.content_stems(" ".join([page.question, page.answer]))
    if not (asked & on_page) - excerpts.content_stems(" ".join([entry.question, entry.answer])):
        return False
    never_in_entries = excerpts.content_stems(" ".join(decision.key_terms(entry.unknown_words)))
    if never_in_entries and never_in_entries <= on_page:
        return True
    return page_fit >= max(entry_fit, settings.retrieval_sure_factor)


def _search_passages(conn: sa.Connection, query: _Query, language: str) -> Found:
    """The help-center passages ranked for the message; none when no document has any."""
    if not passages.passages_present.get(conn):
        return []
    vector, model = query.vector, query.model
    return passages.search(conn, query.text, vector=vector, model=model, language=language)


def split_questions(message: str) -> list[str]:
    """The separate questions of a message that asks several ("How long does it take, and can I pay later?").

    Only splits that leave each part a question of its own (three words or more) count; a
    message with one question gives [].
    """
    parts = [p.strip(" ,;") for p in _SPLIT.split(message) if p and p.strip(" ,;")]
    parts = [p for p in parts if len(p.split()) >= MIN_PART_WORDS]
    return parts[:MAX_PARTS] if len(parts) >= 2 else []


def ranked(conn: sa.Connection, question: str) -> list[retrieval.ScoredEntry]:
    """The entries retrieval ranks for `question` alone, best first, as `find_answers` searches them."""
    return _search(conn, _embedded([question])[0], language_of(question, None))


@dataclass(frozen=True)
class _Query:
    text: str
    vector: list[float] | None = None
    model: str | None = None


def _speller(language: str, conn: sa.Connection | None) -> Callable[[str], str]:
    """What corrects a text's misspelt words before it is embedded and searched: nothing when the
    embedder has no vocabulary of its own to tell a typo from a word (see knowledge/spelling)."""
    knows_word = getattr(get_embedder(), "knows_word", None)
    if knows_word is None:
        return lambda text: text
    words = spelling.vocabulary(conn)
    return lambda text: words.corrected(text, language, knows_word)


def _embedded(texts: list[str]) -> list[_Query]:
    """Each text with its query vector, or none when there is no embedder or it fails (lexical search)."""
    embedder = get_embedder()
    if embedder is None:
        return [_Query(text) for text in texts]
    redacting = get_settings().redact_personal_data
    # Whatever goes to a model is redacted, the query for an embedding included.
    sent = [redact(text) if redacting else text for text in texts]
    try:
        vectors = embed_queries(embedder, sent)
    except Exception:
        log.exception("query embedding failed; searching lexically")
        return [_Query(text) for text in texts]
    return [_Query(text, vector, embedder.model) for text, vector in zip(texts, vectors, strict=True)]


def _search(conn: sa.Connection, query: _Query, language: str) -> list[retrieval.ScoredEntry]:
    vector, model = query.vector, query.model
    if model is not None and not vectors_available(conn, model):
        # Hybrid scores without this model's vectors are BM25 alone, measured against the hybrid
        # threshold: nothing would ever answer. The lexical search has its own threshold.
        vector = model = None
    return retrieval.search(conn, query.text, vector=vector, model=model, language=language)


VECTOR_CHECK_SECONDS = 60.0
_vectors_seen: dict[str, float] = {}
_missing_reported: dict[str, float] = {}


def vectors_available(conn: sa.Connection, model: str) -> bool:
    """Whether the knowledge base has vectors from embedder `model`, saying so loudly (once a minute) when not.

    They are missing when the knowledge base was last synced with another embedder (a laptop's
    encoders rather than the deployed archive's): the search then falls back to words alone.
    Vectors once seen are trusted for a minute; their absence is checked on every search, so
    a sync that adds them is used at once.
    """
    now = time.monotonic()
    if now - _vectors_seen.get(model, -VECTOR_CHECK_SECONDS) < VECTOR_CHECK_SECONDS:
        return True
    query = sa.text("SELECT EXISTS (SELECT 1 FROM kb_entry_vectors WHERE model = :m)")
    if conn.execute(query, {"m": model}).scalar():
        _vectors_seen[model] = now
        return True
    if now - _missing_reported.get(model, -VECTOR_CHECK_SECONDS) >= VECTOR_CHECK_SECONDS:
        _missing_reported[model] = now
        stored = conn.execute(sa.text("SELECT DISTINCT model FROM kb_entry_vectors ORDER BY model")).scalars().all()
        log.error(
            "the knowledge base has no vectors for this embedder: retrieval falls back to words alone "
            "until the knowledge base is synced with it (the deployment's prepare step does)",
            extra={"embedder": model, "stored_models": list(stored)},
        )
    return False
