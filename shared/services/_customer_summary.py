"""The summary a customer asks for: their problem, what they were answered, where it stands, in their language.

Built only from what the customer already saw (their messages, the bot's and the team's replies,
the help-center questions the bot answered from) and the conversation's state: never the summary
written for agents (sentiment, next steps for the agent, the handover reason), never an internal
note, and no model call. The problem and the answers are picked by content, as for the agents'
summary without a model (`shared.text.summarising`); the fixed sentences are in the customer's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.text.summarising import ANSWERED, ASKED_CUSTOMER, AWAITING_REPLY, Gist, as_text, gist
from shared.text.turns import Turn

_WORDS = {
    "en": {
        "asked": "You asked: “{text}”",
        "open": "Still open: “{text}”",
        "replies": "What we answered: “{text}”",
        "help_center": "Answered from our help center: {questions}",
        "bot": "You can keep asking here.",
        "was_answered": "Your question was answered. You can keep asking here if you need anything else.",
        "bot_open": "You can keep asking here, or ask for a member of our team.",
        "asked_you": "We asked you for something: reply here when you can.",
        "waiting": "A member of our team will reply here.",
        "assigned": "{agent} from our team is looking after your conversation.",
        "assigned_anonymous": "A member of our team is looking after your conversation.",
        "resolved": "This conversation is resolved. Write here again if you need anything else.",
    },
    "fr": {
        "asked": "Votre question : « {text} »",
        "open": "Encore en suspens : « {text} »",
        "replies": "Notre réponse : « {text} »",
        "help_center": "Réponses de notre centre d'aide : {questions}",
        "bot": "Vous pouvez continuer à poser vos questions ici.",
        "was_answered": "Nous avons répondu à votre question. Écrivez-nous ici si vous avez besoin d'autre chose.",
        "bot_open": "Vous pouvez continuer à poser vos questions ici, ou demander un membre de notre équipe.",
        "asked_you": "Nous vous avons demandé quelque chose : répondez ici quand vous pouvez.",
        "waiting": "Un membre de notre équipe vous répondra ici.",
        "assigned": "{agent}, de notre équipe, s'occupe de votre conversation.",
        "assigned_anonymous": "Un membre de notre équipe s'occupe de votre conversation.",
        "resolved": "Cette conversation est résolue. Écrivez-nous ici si vous avez besoin d'autre chose.",
    },
    "es": {
        "asked": "Su pregunta: «{text}»",
        "open": "Pendiente: «{text}»",
        "replies": "Nuestra respuesta: «{text}»",
        "help_center": "Respuestas de nuestro centro de ayuda: {questions}",
        "bot": "Puede seguir preguntando aquí.",
        "was_answered": "Respondimos a su pregunta. Escriba aquí si necesita algo más.",
        "bot_open": "Puede seguir preguntando aquí o pedir hablar con un miembro de nuestro equipo.",
        "asked_you": "Le pedimos algo: responda aquí cuando pueda.",
        "waiting": "Un miembro de nuestro equipo le responderá aquí.",
        "assigned": "{agent}, de nuestro equipo, se ocupa de su conversación.",
        "assigned_anonymous": "Un miembro de nuestro equipo se ocupa de su conversación.",
        "resolved": "Esta conversación está resuelta. Escriba aquí de nuevo si necesita algo más.",
    },
    "de": {
        "asked": "Ihre Frage: „{text}“",
        "open": "Noch offen: „{text}“",
        "replies": "Unsere Antwort: „{text}“",
        "help_center": "Antworten aus unserem Hilfecenter: {questions}",
        "bot": "Sie können hier gern weiterfragen.",
        "was_answered": "Ihre Frage wurde beantwortet. Schreiben Sie hier, wenn Sie noch etwas brauchen.",
        "bot_open": "Sie können hier weiterfragen oder nach einem Mitglied unseres Teams fragen.",
        "asked_you": "Wir haben Sie um etwas gebeten: Antworten Sie hier, sobald Sie können.",
        "waiting": "Ein Mitglied unseres Teams antwortet Ihnen hier.",
        "assigned": "{agent} aus unserem Team kümmert sich um Ihre Unterhaltung.",
        "assigned_anonymous": "Ein Mitglied unseres Teams kümmert sich um Ihre Unterhaltung.",
        "resolved": "Diese Unterhaltung ist erledigt. Schreiben Sie hier erneut, wenn Sie noch etwas brauchen.",
    },
    "it": {
        "asked": "La sua domanda: «{text}»",
        "open": "Ancora in sospeso: «{text}»",
        "replies": "La nostra risposta: «{text}»",
        "help_center": "Risposte dal nostro centro assistenza: {questions}",
        "bot": "Può continuare a fare domande qui.",
        "was_answered": "Abbiamo risposto alla sua domanda. Scriva qui se ha bisogno di altro.",
        "bot_open": "Può continuare a fare domande qui o chiedere di parlare con un membro del nostro team.",
        "asked_you": "Le abbiamo chiesto qualcosa: risponda qui quando può.",
        "waiting": "Un membro del nostro team le risponderà qui.",
        "assigned": "{agent} del nostro team si sta occupando della sua conversazione.",
        "assigned_anonymous": "Un membro del nostro team si sta occupando della sua conversazione.",
        "resolved": "Questa conversazione è risolta. Scriva di nuovo qui se ha bisogno di altro.",
    },
    "pt": {
        "asked": "A sua pergunta: «{text}»",
        "open": "Ainda pendente: «{text}»",
        "replies": "A nossa resposta: «{text}»",
        "help_center": "Respostas do nosso centro de ajuda: {questions}",
        "bot": "Pode continuar a fazer perguntas aqui.",
        "was_answered": "Respondemos à sua pergunta. Escreva aqui se precisar de mais alguma coisa.",
        "bot_open": "Pode continuar a fazer perguntas aqui ou pedir para falar com um membro da nossa equipa.",
        "asked_you": "Pedimos-lhe uma informação: responda aqui quando puder.",
        "waiting": "Um membro da nossa equipa vai responder-lhe aqui.",
        "assigned": "{agent}, da nossa equipa, está a tratar da sua conversa.",
        "assigned_anonymous": "Um membro da nossa equipa está a tratar da sua conversa.",
        "resolved": "Esta conversa está resolvida. Escreva aqui novamente se precisar de mais alguma coisa.",
    },
    "nl": {
        "asked": "Uw vraag: ‘{text}’",
        "open": "Nog open: ‘{text}’",
        "replies": "Ons antwoord: ‘{text}’",
        "help_center": "Beantwoord vanuit ons helpcentrum: {questions}",
        "bot": "U kunt hier verder vragen stellen.",
        "was_answered": "Uw vraag is beantwoord. Schrijf hier als u nog iets nodig hebt.",
        "bot_open": "U kunt hier verder vragen stellen of vragen naar een medewerker van ons team.",
        "asked_you": "We hebben u om iets gevraagd: antwoord hier zodra het u uitkomt.",
        "waiting": "Een medewerker van ons team antwoordt u hier.",
        "assigned": "{agent} van ons team helpt u verder in dit gesprek.",
        "assigned_anonymous": "Een medewerker van ons team helpt u verder in dit gesprek.",
        "resolved": "Dit gesprek is afgerond. Schrijf hier opnieuw als u nog iets nodig hebt.",
    },
}


def customer_summary(turns: Sequence[Turn], *, state: str, agent: str | None, language: str) -> str:
    """The customer's own summary of the conversation's turns, in `language`."""
    words = _WORDS.get(language, _WORDS["en"])
    found = gist(turns)
    lines = [words["asked"].format(text=as_text(found.problem))] if found.problem else []
    if found.still_open and state != "resolved":
        lines.append(words["open"].format(text=found.still_open))
    if found.answers:
        lines.append(words["replies"].format(text=as_text(found.answers)))
    questions = list(dict.fromkeys(q for t in turns if t.sender == "bot" for q in t.source_questions))
    if questions:
        listed = "; ".join(questions)
        lines.append(words["help_center"].format(questions=listed) + ("" if listed.endswith(("?", "!", ".")) else "."))
    lines.append(_status(words, found, state, agent))
    return "\n".join(lines)


def _status(words: dict[str, str], found: Gist, state: str, agent: str | None) -> str:
    """Where it stands, as the conversation ended: resolved, answered, waiting for them, or for us."""
    if state == "resolved":
        return words["resolved"]
    if found.ending == ASKED_CUSTOMER:
        return words["asked_you"]
    if found.ending == ANSWERED and (state == "bot" or found.ended_by == "agent"):
        return words["was_answered"]
    if state == "assigned":
        return words["assigned"].format(agent=agent) if agent else words["assigned_anonymous"]
    if state == "waiting":
        return words["waiting"]
    return words["bot_open"] if found.ending == AWAITING_REPLY else words["bot"]
