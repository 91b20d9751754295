"""The summary a customer asks for: what they asked, what they were answered, where it stands, in their language.

Built only from what the customer already saw (their messages, the help-center questions the bot
answered from, how many replies the team sent) and the conversation's state: never the summary
written for agents (sentiment, next steps for the agent, the handover reason) and no model call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.db.conversations import MessageRow

_WORDS = {
    "en": {
        "asked": "You asked: “{text}”",
        "latest": "Your latest message: “{text}”",
        "answered": "Answered from our help center: {questions}",
        "team": "Replies from our team: {count}.",
        "bot": "You can keep asking here.",
        "waiting": "A member of our team will reply here.",
        "assigned": "{agent} from our team is looking after your conversation.",
        "assigned_anonymous": "A member of our team is looking after your conversation.",
        "resolved": "This conversation is resolved. Write here again if you need anything else.",
    },
    "fr": {
        "asked": "Votre question : « {text} »",
        "latest": "Votre dernier message : « {text} »",
        "answered": "Réponses de notre centre d'aide : {questions}",
        "team": "Réponses de notre équipe : {count}.",
        "bot": "Vous pouvez continuer à poser vos questions ici.",
        "waiting": "Un membre de notre équipe vous répondra ici.",
        "assigned": "{agent}, de notre équipe, s'occupe de votre conversation.",
        "assigned_anonymous": "Un membre de notre équipe s'occupe de votre conversation.",
        "resolved": "Cette conversation est résolue. Écrivez-nous ici si vous avez besoin d'autre chose.",
    },
    "es": {
        "asked": "Su pregunta: «{text}»",
        "latest": "Su último mensaje: «{text}»",
        "answered": "Respuestas de nuestro centro de ayuda: {questions}",
        "team": "Respuestas de nuestro equipo: {count}.",
        "bot": "Puede seguir preguntando aquí.",
        "waiting": "Un miembro de nuestro equipo le responderá aquí.",
        "assigned": "{agent}, de nuestro equipo, se ocupa de su conversación.",
        "assigned_anonymous": "Un miembro de nuestro equipo se ocupa de su conversación.",
        "resolved": "Esta conversación está resuelta. Escriba aquí de nuevo si necesita algo más.",
    },
    "de": {
        "asked": "Ihre Frage: „{text}“",
        "latest": "Ihre letzte Nachricht: „{text}“",
        "answered": "Antworten aus unserem Hilfecenter: {questions}",
        "team": "Antworten unseres Teams: {count}.",
        "bot": "Sie können hier gern weiterfragen.",
        "waiting": "Ein Mitglied unseres Teams antwortet Ihnen hier.",
        "assigned": "{agent} aus unserem Team kümmert sich um Ihre Unterhaltung.",
        "assigned_anonymous": "Ein Mitglied unseres Teams kümmert sich um Ihre Unterhaltung.",
        "resolved": "Diese Unterhaltung ist erledigt. Schreiben Sie hier erneut, wenn Sie noch etwas brauchen.",
    },
}
CLIP_CHARS = 200


def customer_summary(rows: Sequence[MessageRow], *, state: str, agent: str | None, language: str) -> str:
    """The customer's own summary of the transcript rows (sender, content, sources), in `language`."""
    words = _WORDS.get(language, _WORDS["en"])
    asked = [row.content for row in rows if row.sender == "user"]
    lines = [words["asked"].format(text=_clip(asked[0]))] if asked else []
    if len(asked) > 1:
        lines.append(words["latest"].format(text=_clip(asked[-1])))
    questions = list(dict.fromkeys(s["question"] for row in rows if row.sender == "bot" for s in row.sources or []))
    if questions:
        listed = "; ".join(questions)
        lines.append(words["answered"].format(questions=listed) + ("" if listed.endswith(("?", "!", ".")) else "."))
    if team := sum(1 for row in rows if row.sender == "agent"):
        lines.append(words["team"].format(count=team))
    lines.append(_status(words, state, agent))
    return "\n".join(lines)


def _status(words: dict[str, str], state: str, agent: str | None) -> str:
    if state == "assigned":
        return words["assigned"].format(agent=agent) if agent else words["assigned_anonymous"]
    return words.get(state, words["bot"])


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CLIP_CHARS else text[: CLIP_CHARS - 1].rstrip() + "…"
