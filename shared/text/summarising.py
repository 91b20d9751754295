"""What a conversation was about, chosen by content rather than position, for summaries written without a model.

The customer's problem is what they first wrote that says something: not a greeting, a handle, a
link, a hashtag, a thank-you or a yes. What was answered is the substance of the bot's and the
agents' replies, without their greetings, apologies, introductions, sign-offs and offers of a
colleague. How it ended is read from the last message that says something.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from shared.text import small_words
from shared.text.turns import Turn

ANSWERED = "answered"  # the last word was a reply that answers
ASKED_CUSTOMER = "asked_customer"  # the last word was a reply asking the customer for something
AWAITING_REPLY = "awaiting_reply"  # the last word was the customer's, and it still wants an answer
REPLIES = ("bot", "agent")
PROBLEM_WORDS = 40  # what the customer said before the first answer
LATER_WORDS = 20  # then, for new questions they asked later
ANSWER_WORDS = 35  # then the sentences nearest the customer's words, the one that reaches this kept whole
LEADS_WORDS = 70  # each reply's first sentence of substance may take the answers this far
SENTENCE_WORDS = 35
THANKS_WORDS = 8  # "Thanks for the detail." is courtesy; a longer sentence that starts with thanks may say more

_URL = re.compile(r":?\s*(https?://\S+|www\.\S+)")  # with the colon that announced it
_HANDLE = re.compile(r"(?<![\w.])@\w+")
_TRAILING_TAGS = re.compile(r"(\s*#[^\W\d_]\w*)+\W*$")
_HASH = re.compile(r"#(?=[^\W\d_])")
_THREAD_MARK = re.compile(r"\s*\(\d/\d\)\s*")  # "(1/2)": one reply split over several posts
_SIGNATURE = re.compile(r"(^|\s)(?:[\^*~]\s?|[-–—/]\s?)[A-Z]{2,3}\s*$")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.!?;:])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ELISION = re.compile(r"^(?:l|d|j|m|t|s|n|c|qu)'(?=\w)")


@dataclass(frozen=True)
class Sentence:
    """A sentence of one message, with the words in it that carry content."""

    sender: str
    text: str
    turn: int
    words: frozenset[str]

    @property
    def says_something(self) -> bool:
        """Two content words, or a customer's one in a question or complaint: not "this one", "yes please"."""
        if small_words.THANKS_OR_SORRY.search(self.text) and len(self.text.split()) <= THANKS_WORDS:
            return False
        if self.sender != "user":
            return len(self.words) >= 2
        return len(self.words) >= 2 or (len(self.words) == 1 and bool(small_words.WANTS_SOMETHING.search(self.text)))


@dataclass(frozen=True)
class Gist:
    """A conversation's problem, the substance of its answers and how it ended."""

    problem: tuple[str, ...]
    answers: tuple[str, ...]
    answered_by: tuple[str, ...]
    ending: str | None
    ended_by: str | None
    still_open: str | None


def gist(turns: Sequence[Turn]) -> Gist:
    """The customer's problem, what the replies said, and how the conversation ended."""
    said = [s for s in sentences(turns) if s.says_something]
    ending, last = _ending(said, turns)
    problem = _problem(said, turns, last)
    topic = frozenset().union(*(s.words for s in said if s.sender == "user"))
    answers = _answers([s for s in said if _is_answer(s, turns)], topic)
    still_open = last.text if last and ending == AWAITING_REPLY and last not in problem else None
    return Gist(
        problem=tuple(clip(s.text, SENTENCE_WORDS) for s in problem),
        answers=tuple(clip(s.text, SENTENCE_WORDS) for s in answers),
        answered_by=tuple(dict.fromkeys(s.sender for s in answers)),
        ending=ending,
        ended_by=last.sender if last else None,
        still_open=clip(still_open, SENTENCE_WORDS) if still_open else None,
    )


def sentences(turns: Sequence[Turn]) -> list[Sentence]:
    """Every sentence of the customer's, the bot's and the agents' messages, cleaned."""
    found = []
    for index, turn in enumerate(turns):
        if turn.sender in ("user", *REPLIES):
            for text in _SENTENCE_END.split(clean(turn.content)):
                text = small_words.OPENING.sub("", text)
                if text.strip(" .,;:!?-"):
                    found.append(Sentence(turn.sender, text[0].upper() + text[1:], index, content_words(text)))
    return found


def clean(text: str) -> str:
    """`text` without links, @handles, trailing hashtags, signatures like "^JD", "(1/2)" or emoji."""
    text = _URL.sub(" ", _THREAD_MARK.sub(" ", html.unescape(text).replace("’", "'")))
    text = _HANDLE.sub(" ", _TRAILING_TAGS.sub("", text.rstrip()))
    text = _HASH.sub("", _SIGNATURE.sub("", text.rstrip()))
    text = "".join(c for c in text if unicodedata.category(c) != "So" and c not in "\ufe0f\u200d")
    lines = (" ".join(_SPACE_BEFORE_MARK.sub(r"\1", line).split()) for line in text.splitlines())
    return "\n".join(line.lstrip(" ,;:-") for line in lines if line.strip())


def content_words(text: str) -> frozenset[str]:
    """The lowercased words of `text` that are neither function words nor courtesy."""
    words = (_ELISION.sub("", w) for w in _WORD.findall(text.lower()))
    return frozenset(
        w
        for w in words
        if w not in small_words.FUNCTION_WORDS and w not in small_words.COURTESY and (len(w) > 1 or w.isdigit())
    )


def as_text(sentences: Sequence[str]) -> str:
    """Sentences joined into one text, a full stop after each but the last that ends without a mark."""
    marked = [s if s.endswith((".", "?", "!", "…")) else s + "." for s in sentences[:-1]]
    return " ".join([*marked, *sentences[-1:]])


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` words at most, at a word's end, with an ellipsis when cut."""
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit]).rstrip(",;:-") + "…"


def _problem(said: list[Sentence], turns: Sequence[Turn], last: Sentence | None) -> list[Sentence]:
    """What the customer said before the first answer, then new questions or complaints; not "a person please"."""
    asked = [s for s in said if s.sender == "user" and not small_words.ASKS_FOR_PERSON.search(s.text)]
    asked = asked or [s for s in said if s.sender == "user"]
    if not asked:
        return []
    answered = next((s.turn for s in said if s.turn > asked[0].turn and _is_answer(s, turns)), len(turns))
    chosen = [asked[0]]
    for sentence in asked[1:]:
        before_answer = sentence.turn < answered
        limit = PROBLEM_WORDS if before_answer else PROBLEM_WORDS + LATER_WORDS
        wanted = before_answer or (sentence is not last and _new_point(sentence, chosen))
        if wanted and _length([*chosen, sentence]) <= limit:
            chosen.append(sentence)
    return chosen


def _new_point(sentence: Sentence, chosen: list[Sentence]) -> bool:
    """A question or a complaint about something not raised yet ("And how do I unsubscribe?", "it arrived broken")."""
    known = frozenset().union(*(s.words for s in chosen))
    wants = bool(small_words.WANTS_SOMETHING.search(sentence.text))
    return wants and len(sentence.words & known) < len(sentence.words) / 2


def _answers(replies: list[Sentence], topic: frozenset[str]) -> list[Sentence]:
    """Each reply's first sentence of substance (agents' first), then those nearest the customer's words.

    Up to the word budget, in the conversation's order.
    """
    leads = {s.turn: s for s in reversed(replies)}
    ranked = sorted(replies, key=lambda s: (s is not leads[s.turn], s.sender != "agent", -len(s.words & topic)))
    chosen: list[Sentence] = []
    for sentence in ranked:
        if sentence is leads[sentence.turn]:
            fits = _length([*chosen, sentence]) <= LEADS_WORDS
        else:
            fits = _length(chosen) < ANSWER_WORDS  # the sentence that reaches the budget is kept whole
        if fits and not _repeats(sentence, chosen):
            chosen.append(sentence)
    return sorted(chosen, key=lambda s: (s.turn, replies.index(s)))


def _is_answer(sentence: Sentence, turns: Sequence[Turn]) -> bool:
    if sentence.sender not in REPLIES or not turns[sentence.turn].answered or sentence.text.endswith(":"):
        return False
    if sentence.sender == "bot" and sentence.text.endswith("?"):
        return False  # the bot's own questions clarify or offer; an agent's ask for what the case needs
    patterns = (small_words.HANDOVER, small_words.CLOSING, small_words.INTRODUCTION)
    return not any(p.search(sentence.text) for p in patterns)


def _ending(said: list[Sentence], turns: Sequence[Turn]) -> tuple[str | None, Sentence | None]:
    """How the conversation ended, and the sentence that ended it (the last that says something).

    A customer's statement after an answer acknowledges it ("I'll return it then"); after a request
    it is what was asked for ("sent a DM"), and the team has to reply.
    """
    statement = None
    for sentence in reversed(said):
        if sentence.sender == "user":
            if small_words.WANTS_SOMETHING.search(sentence.text):
                return AWAITING_REPLY, sentence
            statement = statement or sentence
        elif _is_answer(sentence, turns):
            if not small_words.REQUEST.search(sentence.text):
                return ANSWERED, sentence
            return (AWAITING_REPLY, statement) if statement else (ASKED_CUSTOMER, sentence)
    return None, None


def _repeats(sentence: Sentence, chosen: list[Sentence]) -> bool:
    return any(len(sentence.words & c.words) > 0.7 * len(sentence.words) for c in chosen)


def _length(chosen: list[Sentence]) -> int:
    return sum(min(len(s.text.split()), SENTENCE_WORDS) for s in chosen)
