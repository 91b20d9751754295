"""Answers without any model: the best entry's answer, related topics as next steps, extractive summaries."""

from __future__ import annotations

from shared.answering.extractive import extractive_summary
from shared.answering.providers.offline_phrases import PHRASES
from shared.answering.suggestions import suggest_actions, talk_to_human
from shared.answering.types import Answer, AnswerRequest, AnswerStream, Summary, SummaryRequest
from shared.core.settings import get_settings
from shared.knowledge.retrieval import ScoredEntry

CONFIDENT_SCORE = 0.8
# The provider name of a reply that only acknowledges thanks (stored as its own decision).
ACKNOWLEDGEMENT = "acknowledgement"
CHUNK_WORDS = 4
# Entries a suggestion offers: with the offer of a person, three chips.
MAX_OFFERED = 2


class OfflineProvider:
    """The provider used when no model credentials are configured, and the fallback when a model fails."""

    name = "offline"

    def stream(self, request: AnswerRequest) -> AnswerStream:
        """The answer in a few chunks, so clients have one protocol whatever the provider."""
        answer = self.answer(request)
        words = answer.text.split(" ")
        for start in range(0, len(words), CHUNK_WORDS):
            yield " ".join(words[start : start + CHUNK_WORDS]) + (" " if start + CHUNK_WORDS < len(words) else "")
        return answer

    def answer(self, request: AnswerRequest) -> Answer:
        """The best entry's answer (each part's, for several questions), a question back, or an honest 'not covered'."""
        phrases = phrases_for(request.language)
        if request.outcome == "suggested" and request.offered:
            return self._suggestion(request)
        if request.outcome != "answered" or not request.entries:
            return Answer(
                text=not_covered_text(request.language),
                source_ids=[],
                suggested_actions=suggest_actions([], request.popular, offer_human_in=request.language),
                provider=self.name,
            )
        used = request.entries[: len(request.parts) or 1]
        best = used[0]
        if len(used) > 1:
            text = "\n\n".join(
                f"{phrases['about'].format(question=e.question)}\n{_as_written(e, request.language)}" for e in used
            )
        elif best.kind == "passage":  # a page's sentences, said to come from its section
            text = phrases["from_page"].format(question=best.question) + _as_written(best, request.language)
        else:
            confident = best.score >= CONFIDENT_SCORE
            lead_in = "" if confident else phrases["lead_in"].format(question=best.question)
            text = lead_in + _as_written(best, request.language)
        others = [e for e in request.entries + request.related if e not in used]
        return Answer(
            text=text,
            source_ids=[e.id for e in used],
            suggested_actions=suggest_actions(others, request.popular, answered=best),
            provider=self.name,
        )

    def _suggestion(self, request: AnswerRequest) -> Answer:
        """Asks whether the customer means one of the nearest entries; asserts and cites nothing."""
        offered = request.offered[:MAX_OFFERED]
        lead = phrases_for(request.language)["clarify" if request.reason == "close_runner_up" else "suggest"]
        return Answer(
            text="\n".join([lead, *(f"• {entry.question}" for entry in offered)]),
            source_ids=[],
            suggested_actions=[*(entry.question for entry in offered), talk_to_human(request.language)],
            provider=self.name,
        )

    def summarize(self, request: SummaryRequest) -> Summary:
        """An extractive summary in the model's structure: the customer's problem, what was answered, how it ended."""
        return extractive_summary(request)


def _as_written(entry: ScoredEntry, language: str) -> str:
    """The entry's answer (a passage's excerpt), said first to be in English when the customer writes in a
    language it has no version in."""
    in_english = entry.language != language and (entry.kind == "entry" or entry.language == "en")
    note = phrases_for(language)["only_in_english"] if in_english else ""
    return note + (entry.excerpt or entry.answer)


def phrases_for(language: str) -> dict[str, str]:
    """The offline sentences in `language`, or in English."""
    return PHRASES.get(language, PHRASES["en"])


def glad_it_helped(language: str = "en") -> Answer:
    """The reply to a customer who says the last answer helped: no answer again, nothing cited."""
    return Answer(
        text=phrases_for(language)["glad_it_helped"], source_ids=[], suggested_actions=[], provider=ACKNOWLEDGEMENT
    )


def not_covered_text(language: str = "en") -> str:
    """The honest reply when the knowledge base has nothing that fits, with the offer of a person."""
    company = get_settings().company_name
    return phrases_for(language)["not_covered"].format(company=company, human=talk_to_human(language))
