"""The agents' summary without a model, in the model's structure: a short status paragraph, then
Issue, Resolved, Next steps and Sentiment, from what the customer, the bot and the agents said."""

from __future__ import annotations

from shared.answering.structured import ModelSummary, summary_text
from shared.answering.types import Summary, SummaryRequest
from shared.text.sentiment import customer_sentiment
from shared.text.summarising import ANSWERED, ASKED_CUSTOMER, AWAITING_REPLY, Gist, as_text, gist

_WHO = {("bot",): "The bot", ("agent",): "An agent", ("bot", "agent"): "The bot and then an agent"}
_WHO_LAST = {"bot": "The bot", "agent": "An agent"}


def extractive_summary(request: SummaryRequest) -> Summary:
    """The summary an agent reads, with the same fields as the model's."""
    found = gist(request.transcript)
    summary = ModelSummary(
        issue=_full_stop(as_text(found.problem)) or "The customer has not said what they need yet.",
        resolved=_resolved(found, request),
        next_steps=_next_steps(found, request),
        sentiment=customer_sentiment(request.transcript),
        paragraph=_paragraph(found, request),
    )
    return Summary(summary_text(summary), summary.model_dump())


def _resolved(found: Gist, request: SummaryRequest) -> str:
    titles = list(dict.fromkeys(q for t in request.transcript if t.sender == "bot" for q in t.source_questions))
    from_help_center = f" (help center: {'; '.join(titles)})" if titles else ""
    if not found.answers:
        return "Nothing yet" + from_help_center + "."
    who = _WHO.get(found.answered_by, "An agent")
    settled = request.state == "resolved" or found.ending in (ANSWERED, ASKED_CUSTOMER)
    said = f"{who} answered{from_help_center}: " if settled else f"Not yet. {who} said{from_help_center}: "
    return said + _full_stop(as_text(found.answers))


def _paragraph(found: Gist, request: SummaryRequest) -> str:
    lines = [_status(found, request)]
    if found.still_open and request.state != "resolved":
        lines.append(f"Still open: “{found.still_open}”")
    if unanswered := sum(1 for t in request.transcript if t.sender == "bot" and not t.answered):
        lines.append(f"Questions the help center did not cover: {unanswered}.")
    return " ".join(lines)


def _status(found: Gist, request: SummaryRequest) -> str:
    agent_replied = _agent_replied(request)
    reason = f" ({request.handover_reason})" if request.handover_reason else ""
    if request.state == "resolved":
        return "The conversation is resolved."
    who = _WHO_LAST.get(found.ended_by or "agent", "An agent")
    if _answered(found, request):
        return f"{who} answered and nothing is left open."
    if found.ending == ASKED_CUSTOMER:
        return f"{who} asked the customer for something and waits for their reply."
    if request.state == "waiting" and not agent_replied:
        return f"Handed over to a human agent, waiting for one to reply{reason}."
    if request.state in ("waiting", "assigned"):
        return f"Handed over to a human agent{reason}; the customer waits for their reply."
    return "The customer waits for a reply." if found.ending == AWAITING_REPLY else "Open, handled by the bot."


def _next_steps(found: Gist, request: SummaryRequest) -> list[str]:
    if request.state == "resolved" or _answered(found, request):
        return []
    if found.ending == ASKED_CUSTOMER:
        return ["Wait for the customer's reply"]
    if found.still_open:
        return ["Answer what is still open"]
    return ["Take over the conversation and reply to the customer"]


def _answered(found: Gist, request: SummaryRequest) -> bool:
    """It ended with an answer; after a handover, only a person's answer settles it."""
    return found.ending == ANSWERED and (request.state == "bot" or _agent_replied(request))


def _agent_replied(request: SummaryRequest) -> bool:
    return any(t.sender == "agent" for t in request.transcript)


def _full_stop(text: str) -> str:
    return text if not text or text.endswith((".", "?", "!", "…")) else text + "."
