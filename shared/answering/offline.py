"""Answers without any model: the best entry's answer, related topics as next steps, extractive summaries."""

from __future__ import annotations

from shared.answering.suggestions import TALK_TO_HUMAN, suggest_actions
from shared.answering.types import Answer, AnswerRequest, AnswerStream, Summary, SummaryRequest
from shared.settings import get_settings

CONFIDENT_SCORE = 0.8
CHUNK_WORDS = 4


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
        """The best entry's answer, or an honest 'not covered' with the offer of a human."""
        if not request.entries:
            return Answer(
                text=not_covered_text(),
                source_ids=[],
                suggested_actions=suggest_actions([], request.popular, offer_human=True),
                provider=self.name,
            )
        best = request.entries[0]
        lead_in = "" if best.score >= CONFIDENT_SCORE else f"Here's what I found about “{best.question}”:\n\n"
        return Answer(
            text=lead_in + best.answer,
            source_ids=[best.id],
            suggested_actions=suggest_actions(request.entries[1:] + request.related, request.popular, answered=best),
            provider=self.name,
        )

    def summarize(self, request: SummaryRequest) -> Summary:
        """An extractive summary: the customer's issue, what was answered, the escalation state."""
        user_turns = [t for t in request.transcript if t.sender == "user"]
        bot_turns = [t for t in request.transcript if t.sender == "bot"]
        answered = list(dict.fromkeys(q for t in bot_turns for q in t.source_questions))
        unanswered = sum(1 for t in bot_turns if not t.answered)
        lines = [f"Customer's issue: {_clip(user_turns[0].content)}"]
        if len(user_turns) > 1:
            lines.append(f"Later they asked: {_clip(user_turns[-1].content)}")
        lines.append(
            _sentence("Answered from the help center: " + ("; ".join(answered) if answered else "nothing yet"))
        )
        if unanswered:
            lines.append(f"Questions the help center did not cover: {unanswered}.")
        lines.append(_status_line(request))
        return Summary("\n".join(lines))


def not_covered_text() -> str:
    """The honest reply when the knowledge base has nothing that fits."""
    return (
        "I'm sorry, I couldn't find an answer to that in our help center. "
        f"I can pass your question to a member of the {get_settings().company_name} team: "
        f"just tap “{TALK_TO_HUMAN}” or say so."
    )


def _status_line(request: SummaryRequest) -> str:
    reason = request.handover_reason or "no reason recorded"
    lines = {
        "waiting": f"Status: handed over to a human agent, waiting ({reason}).",
        "assigned": f"Status: handed over to a human agent, who is on it ({reason}).",
        "resolved": "Status: resolved.",
    }
    return lines.get(request.state, "Status: open, handled by the bot.")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
