"""A customer's misspelt words corrected to the knowledge base's own words, before the message is embedded.

The lexical search corrects typos itself (retrieval: the nearest vocabulary word by trigrams), but
the encoders read the message as typed, and a sentence encoder places "how lnog do i have to
retrn headphones" far from "How long do I have to return headphones?". So a word is corrected
first when all of these hold:

- no entry and no help-center page uses it, in the message's language (the entries' own, one
  they have a version in, or a page's; a message in another language is left as it is: its
  words are not typos of the knowledge base's);
- the encoders do not know it as a word (`Embedder.knows_word`: MiniLM's WordPiece vocabulary, the
  multilingual encoder's SentencePiece pieces): "laptop" or "student" are words the knowledge
  base may never use, not typos of one it does;
- a word of the knowledge base in that language is one edit away: a letter left out, added or
  changed, or two letters swapped. Among them the one more entries and pages use wins ("chager" is more
  likely "charger" than "changer" in a shop's answers). Two edits away, short words meet too many
  others ("cart" and "card", "mes" and "mis").

Words one edit apart are found through an index of each word's one-letter deletions ("lnog" and
"long" share "log"), built on the first typo after the words change: milliseconds for a shop's
few thousand words, 0.8 s for 50,000, and kept while the words stay the same.

On the InnovateTech set the misspelt messages were answered right 63.0% of the time before, 88.9%
after, with nothing else moving (README, "Retrieval quality").
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from shared.db.engine import run_idempotent
from shared.knowledge.retrieval import OWN_LANGUAGE, VERSIONS_TTL_SECONDS, Periodic

log = logging.getLogger("support.retrieval")
SHORTEST_WORD = 4
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Vocabulary:
    """Each language's words and how many entries and documents use them; the words one deletion apart, found
    on first use."""

    words: dict[str, dict[str, int]]
    _near: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def corrected(self, text: str, language: str, knows_word: Callable[[str], bool]) -> str:
        """`text` with each misspelt word replaced by the word of `language` it most likely meant."""
        words = self.words.get(language)
        if not words:
            return text

        def correct(match: re.Match[str]) -> str:
            typed = match.group(0)
            word = typed.lower()
            if len(word) < SHORTEST_WORD or word in words or knows_word(word):
                return typed
            return self._nearest(word, language) or typed

        return _WORD.sub(correct, text)

    def _nearest(self, word: str, language: str) -> str | None:
        words = self.words[language]
        near = self._near.get(language)
        if near is None:
            near = self._near[language] = _by_deletion(words)
        candidates = {found for key in _deletions(word) for found in near.get(key, ())}
        ranked = sorted(
            (-words[candidate], abs(len(candidate) - len(word)), candidate)
            for candidate in candidates
            if edit_distance(word, candidate) == 1
        )
        return ranked[0][2] if ranked else None


def _deletions(word: str) -> set[str]:
    """`word` and every string one letter shorter."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _by_deletion(words: dict[str, int]) -> dict[str, list[str]]:
    """The words under each of their `_deletions`: two words one edit apart share a key (a swap of two
    letters too: "lnog" and "long" both give "log")."""
    near: dict[str, list[str]] = defaultdict(list)
    for word in words:
        for key in _deletions(word):
            near[key].append(word)
    return dict(near)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, changes, swaps."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


_WORDS_OF = """
    INSERT INTO kb_spelling (source, language, word, uses)
    SELECT CAST(:source AS text), t.language, w.word, count(DISTINCT t.owner)
    FROM ({texts}) t, unnest(tsvector_to_array(to_tsvector('simple', t.text))) AS w(word)
    WHERE length(w.word) >= :shortest AND w.word !~ '[0-9]'
    GROUP BY t.language, w.word
"""
# The entries' own text (questions, keywords, examples, answers) is in OWN_LANGUAGE, each
# translation's in its language.
_ENTRY_TEXTS = """
    SELECT e.id AS owner, CAST(:own_language AS text) AS language,
           concat_ws(' ', e.question, e.answer, array_to_string(e.keywords, ' '),
                     array_to_string(e.examples, ' ')) AS text
    FROM kb_entries e
    UNION ALL
    SELECT e.id, v.key,
           concat_ws(' ', v.value ->> 'question', v.value ->> 'answer',
                     (SELECT string_agg(x, ' ')
                      FROM jsonb_array_elements_text(coalesce(v.value -> 'examples', CAST('[]' AS jsonb))) AS x))
    FROM kb_entries e, jsonb_each(e.translations) AS v
"""
_DOCUMENT_TEXTS = """
    SELECT CAST(p.document_id AS text) AS owner, p.language,
           concat_ws(' ', array_to_string(p.heading_path, ' '), p.content) AS text
    FROM passages p
"""


def refresh_entry_words(conn: sa.Connection) -> None:
    """Store the entries' words per language (after every change to the entries)."""
    _refresh(conn, "entries", _ENTRY_TEXTS, own_language=OWN_LANGUAGE)


def refresh_document_words(conn: sa.Connection) -> None:
    """Store the help center's words per language (after a sync changed its passages)."""
    _refresh(conn, "documents", _DOCUMENT_TEXTS)


def _refresh(conn: sa.Connection, source: str, texts: str, **params: str) -> None:
    conn.execute(sa.text("DELETE FROM kb_spelling WHERE source = :source"), {"source": source})
    statement = sa.text(_WORDS_OF.format(texts=texts))
    conn.execute(statement, {"source": source, "shortest": SHORTEST_WORD, **params})
    vocabulary_now.forget()  # this process corrects with the new words at once


def read_vocabulary(conn: sa.Connection) -> Vocabulary:
    """The knowledge base's words per language, with how many entries and documents use each."""
    words: dict[str, dict[str, int]] = defaultdict(dict)
    query = sa.text("SELECT language, word, sum(uses) AS uses FROM kb_spelling GROUP BY language, word")
    for row in conn.execute(query):
        words[row.language][row.word] = int(row.uses)
    return Vocabulary(dict(words))


class _Unchanged:
    """`read_vocabulary`, returning the previous object while the words are the same: it keeps the
    index of near words built for them (about 0.8 s for 50,000 words), rebuilt only after a change."""

    def __init__(self) -> None:
        self.last: Vocabulary | None = None

    def __call__(self, conn: sa.Connection) -> Vocabulary:
        read = read_vocabulary(conn)
        if self.last is None or self.last.words != read.words:
            self.last = read
        return self.last


_read_unchanged = _Unchanged()
vocabulary_now = Periodic(_read_unchanged, VERSIONS_TTL_SECONDS)


def vocabulary(conn: sa.Connection | None = None) -> Vocabulary:
    """The live knowledge base's words, read again once a minute; or those of the one `conn` rehearses.

    None are known when the database cannot be read: the message is then embedded as typed.
    """
    if conn is not None:
        return _read_unchanged(conn)  # a regression run asks once a case: the index is built once
    fresh = vocabulary_now.fresh()
    if fresh is not None:
        return fresh
    try:
        return run_idempotent(vocabulary_now.get)
    except (sa.exc.SQLAlchemyError, OSError):
        log.exception("reading the spelling vocabulary failed; embedding messages as typed")
        return Vocabulary({})
