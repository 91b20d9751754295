"""What the customer is told at a handover: the truth about when a person will answer, in their language."""

from __future__ import annotations

import math
from datetime import datetime

from shared.core.schedule import is_open
from shared.core.settings import Settings
from shared.handover.hours import describe_next_opening

# Each language's sentences; {wait} is a duration ("5 minutes"), {back} a moment from
# hours.describe_next_opening ("tomorrow at 9:00 EST"), {company} the company's name. A `lead_<kind>`
# sentence opens the reply of a handover of that kind.
_SENTENCES = {
    "en": {
        "minute": ("minute", "minutes"),
        "open_already": "You're already in line for a member of our team; they usually reply within {wait}.",
        "open_new": "I've asked a member of the {company} team to take over. A teammate will reply right here, "
        "usually within {wait}.",
        "queued": "You're already in line for a member of our team.",
        "passed": "I've passed your conversation to the {company} team.",
        "closed_until": "We're closed right now and back {back}.",
        "closed": "We're closed right now.",
        "leave_email": "Leave your email address and we'll send the answer there, or come back here: "
        "your conversation is saved.",
        "come_back": "Come back here any time: your conversation is saved.",
        "lead_unanswered": "I couldn't find that in our help center either. ",
        "lead_safety": "For your safety, please stop using the device, unplug it and keep it away from anything "
        "that could catch fire. ",
    },
    "fr": {
        "minute": ("minute", "minutes"),
        "open_already": "Vous êtes déjà en attente d'un membre de notre équipe ; il répond en général en moins "
        "de {wait}.",
        "open_new": "J'ai demandé à un membre de l'équipe {company} de prendre le relais. Il vous répondra ici "
        "même, en général en moins de {wait}.",
        "queued": "Vous êtes déjà en attente d'un membre de notre équipe.",
        "passed": "J'ai transmis votre conversation à l'équipe {company}.",
        "closed_until": "Nous sommes fermés pour le moment et de retour {back}.",
        "closed": "Nous sommes fermés pour le moment.",
        "leave_email": "Laissez votre adresse e-mail et nous vous y enverrons la réponse, ou revenez ici : "
        "votre conversation est enregistrée.",
        "come_back": "Revenez ici quand vous voulez : votre conversation est enregistrée.",
        "lead_unanswered": "Je n'ai pas trouvé cela non plus dans notre centre d'aide. ",
        "lead_safety": "Pour votre sécurité, n'utilisez plus l'appareil, débranchez-le et éloignez-le de tout ce "
        "qui pourrait prendre feu. ",
    },
    "es": {
        "minute": ("minuto", "minutos"),
        "open_already": "Ya está en la cola para hablar con un miembro de nuestro equipo; suele responder en menos "
        "de {wait}.",
        "open_new": "He pedido a un miembro del equipo de {company} que continúe la conversación. Le responderá "
        "aquí mismo, normalmente en menos de {wait}.",
        "queued": "Ya está en la cola para hablar con un miembro de nuestro equipo.",
        "passed": "He pasado su conversación al equipo de {company}.",
        "closed_until": "Ahora mismo estamos cerrados; volvemos {back}.",
        "closed": "Ahora mismo estamos cerrados.",
        "leave_email": "Deje su dirección de correo electrónico y le enviaremos la respuesta allí, o vuelva aquí: "
        "su conversación queda guardada.",
        "come_back": "Vuelva aquí cuando quiera: su conversación queda guardada.",
        "lead_unanswered": "Tampoco he encontrado eso en nuestro centro de ayuda. ",
        "lead_safety": "Por su seguridad, deje de usar el aparato, desenchúfelo y manténgalo lejos de cualquier "
        "cosa que pueda arder. ",
    },
    "de": {
        "minute": ("Minute", "Minuten"),
        "open_already": "Sie sind bereits in der Warteschlange für ein Mitglied unseres Teams; es antwortet meist "
        "innerhalb von {wait}.",
        "open_new": "Ich habe ein Mitglied des {company}-Teams gebeten, zu übernehmen. Es antwortet Ihnen direkt "
        "hier, meist innerhalb von {wait}.",
        "queued": "Sie sind bereits in der Warteschlange für ein Mitglied unseres Teams.",
        "passed": "Ich habe Ihre Unterhaltung an das {company}-Team weitergegeben.",
        "closed_until": "Wir sind gerade geschlossen und {back} wieder da.",
        "closed": "Wir sind gerade geschlossen.",
        "leave_email": "Hinterlassen Sie Ihre E-Mail-Adresse, dann schicken wir Ihnen die Antwort dorthin, oder "
        "kommen Sie hierher zurück: Ihre Unterhaltung ist gespeichert.",
        "come_back": "Kommen Sie jederzeit hierher zurück: Ihre Unterhaltung ist gespeichert.",
        "lead_unanswered": "Das habe ich in unserem Hilfecenter leider auch nicht gefunden. ",
        "lead_safety": "Zu Ihrer Sicherheit: Benutzen Sie das Gerät bitte nicht mehr, ziehen Sie den Stecker und "
        "halten Sie es von allem fern, was Feuer fangen kann. ",
    },
    "it": {
        "minute": ("minuto", "minuti"),
        "open_already": "È già in coda per parlare con un membro del nostro team; di solito risponde entro {wait}.",
        "open_new": "Ho chiesto a un membro del team di {company} di continuare la conversazione. le risponderà "
        "proprio qui, di solito entro {wait}.",
        "queued": "È già in coda per parlare con un membro del nostro team.",
        "passed": "Ho inoltrato la sua conversazione al team di {company}.",
        "closed_until": "Al momento siamo chiusi; torniamo {back}.",
        "closed": "Al momento siamo chiusi.",
        "leave_email": "Lasci il suo indirizzo e-mail e le invieremo lì la risposta, oppure torni qui: "
        "la sua conversazione è salvata.",
        "come_back": "Torni qui quando vuole: la sua conversazione è salvata.",
        "lead_unanswered": "Non ho trovato nemmeno questo nel nostro centro assistenza. ",
        "lead_safety": "Per la sua sicurezza, smetta di usare il dispositivo, lo scolleghi dalla corrente e lo tenga "
        "lontano da qualsiasi cosa possa prendere fuoco. ",
    },
    "pt": {
        "minute": ("minuto", "minutos"),
        "open_already": "Já está na fila para falar com um membro da nossa equipa; costuma responder em menos "
        "de {wait}.",
        "open_new": "Pedi a um membro da equipa de {company} que continue a conversa. Vai responder-lhe aqui "
        "mesmo, normalmente em menos de {wait}.",
        "queued": "Já está na fila para falar com um membro da nossa equipa.",
        "passed": "Passei a sua conversa à equipa de {company}.",
        "closed_until": "Neste momento estamos fechados; voltamos {back}.",
        "closed": "Neste momento estamos fechados.",
        "leave_email": "Deixe o seu endereço de e-mail e enviamos-lhe a resposta para lá, ou volte aqui: "
        "a sua conversa fica guardada.",
        "come_back": "Volte aqui quando quiser: a sua conversa fica guardada.",
        "lead_unanswered": "Também não encontrei isso no nosso centro de ajuda. ",
        "lead_safety": "Para sua segurança, deixe de usar o aparelho, desligue-o da tomada e mantenha-o longe de "
        "tudo o que possa pegar fogo. ",
    },
    "nl": {
        "minute": ("minuut", "minuten"),
        "open_already": "U staat al in de wachtrij voor een medewerker van ons team; meestal krijgt u binnen "
        "{wait} antwoord.",
        "open_new": "Ik heb een medewerker van het {company}-team gevraagd het over te nemen. U krijgt hier "
        "antwoord, meestal binnen {wait}.",
        "queued": "U staat al in de wachtrij voor een medewerker van ons team.",
        "passed": "Ik heb uw gesprek doorgegeven aan het {company}-team.",
        "closed_until": "We zijn nu gesloten en {back} weer bereikbaar.",
        "closed": "We zijn nu gesloten.",
        "leave_email": "Laat uw e-mailadres achter, dan sturen we het antwoord daarheen, of kom hier terug: "
        "uw gesprek blijft bewaard.",
        "come_back": "Kom hier terug wanneer u wilt: uw gesprek blijft bewaard.",
        "lead_unanswered": "Dat heb ik ook niet in ons helpcentrum kunnen vinden. ",
        "lead_safety": "Voor uw veiligheid: gebruik het apparaat niet meer, haal de stekker uit het stopcontact en "
        "houd het uit de buurt van alles wat vlam kan vatten. ",
    },
}


def handover_text(
    settings: Settings,
    *,
    now: datetime,
    already: bool,
    typical_minutes: float | None,
    language: str = "en",
    kind: str = "person",
) -> str:
    """Open now: who answers and how soon. Closed: when the team is back, and the offer to leave an email.

    The e-mail is offered only when replies can be e-mailed (SMTP configured); otherwise the customer
    is told to come back to the conversation. Some kinds of handover open with a sentence of their
    own: a safety report with what to do meanwhile, a second unanswered question with saying so.
    """
    words = _SENTENCES.get(language, _SENTENCES["en"])
    lead = str(words.get(f"lead_{kind}", ""))
    company = settings.company_name
    if is_open(settings.support_hours, now):
        minutes = max(1, math.ceil(typical_minutes or settings.first_response_minutes))
        wait = f"{minutes} {words['minute'][minutes != 1]}"
        return lead + str(words["open_already" if already else "open_new"]).format(wait=wait, company=company)
    back = describe_next_opening(settings.support_hours, now, language)
    when = str(words["closed_until"]).format(back=back) if back else str(words["closed"])
    who = str(words["queued" if already else "passed"]).format(company=company)
    later = words["leave_email" if settings.emails_replies else "come_back"]
    return f"{lead}{who} {when} {later}"


def support_open(settings: Settings, now: datetime) -> bool:
    """Whether someone of the team is at work now."""
    return is_open(settings.support_hours, now)
