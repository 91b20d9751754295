"""E-mailing an agent's reply to the address the customer left: a transactional message over SMTP.

The message carries the reply, who wrote it and a link back to the page where the customer chats
(SUPPORT_PAGE_URL; the widget there remembers the conversation in that browser). Nothing else
from the conversation, and no token: a link that opened the conversation would be a credential
sitting in a mailbox. It is sent because the customer asked for the answer by e-mail, once per
reply, so it carries no unsubscribe link.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from shared.clients.webhooks import DeliveryFailed
from shared.core.settings import Settings

TIMEOUT_SECONDS = 10.0

_WORDS = {
    "en": {
        "subject": "{company}: a reply to your question",
        "intro": "Hello,\n\n{agent} from the {company} team replied to your question:",
        "link": "To answer or continue the conversation, open the chat on {url}",
        "why": "You receive this e-mail because you left this address in our support chat for the answer.",
        "someone": "Someone",
    },
    "fr": {
        "subject": "{company} : une réponse à votre question",
        "intro": "Bonjour,\n\n{agent}, de l'équipe {company}, a répondu à votre question :",
        "link": "Pour répondre ou poursuivre la conversation, ouvrez le chat sur {url}",
        "why": "Vous recevez cet e-mail parce que vous avez laissé cette adresse dans notre chat d'assistance "
        "pour recevoir la réponse.",
        "someone": "Quelqu'un",
    },
    "es": {
        "subject": "{company}: una respuesta a su pregunta",
        "intro": "Hola:\n\n{agent}, del equipo de {company}, ha respondido a su pregunta:",
        "link": "Para responder o continuar la conversación, abra el chat en {url}",
        "why": "Recibe este correo porque dejó esta dirección en nuestro chat de asistencia para recibir la respuesta.",
        "someone": "Alguien",
    },
    "de": {
        "subject": "{company}: eine Antwort auf Ihre Frage",
        "intro": "Hallo,\n\n{agent} vom {company}-Team hat auf Ihre Frage geantwortet:",
        "link": "Um zu antworten oder die Unterhaltung fortzusetzen, öffnen Sie den Chat auf {url}",
        "why": "Sie erhalten diese E-Mail, weil Sie diese Adresse in unserem Support-Chat für die Antwort "
        "hinterlassen haben.",
        "someone": "Jemand",
    },
    "it": {
        "subject": "{company}: una risposta alla sua domanda",
        "intro": "Buongiorno,\n\n{agent} del team di {company} ha risposto alla sua domanda:",
        "link": "Per rispondere o continuare la conversazione, apra la chat su {url}",
        "why": "Riceve questa e-mail perché ha lasciato questo indirizzo nella nostra chat di assistenza "
        "per ricevere la risposta.",
        "someone": "Qualcuno",
    },
    "pt": {
        "subject": "{company}: uma resposta à sua pergunta",
        "intro": "Olá,\n\n{agent}, da equipa de {company}, respondeu à sua pergunta:",
        "link": "Para responder ou continuar a conversa, abra o chat em {url}",
        "why": "Recebe este e-mail porque deixou este endereço no nosso chat de apoio para receber a resposta.",
        "someone": "Alguém",
    },
    "nl": {
        "subject": "{company}: een antwoord op uw vraag",
        "intro": "Hallo,\n\n{agent} van het {company}-team heeft uw vraag beantwoord:",
        "link": "Om te reageren of het gesprek voort te zetten, opent u de chat op {url}",
        "why": "U ontvangt deze e-mail omdat u dit adres in onze supportchat hebt achtergelaten om het antwoord "
        "te ontvangen.",
        "someone": "Iemand",
    },
}


@dataclass(frozen=True)
class ReplyEmail:
    to: str
    reply: str
    agent: str | None
    language: str


def compose(mail: ReplyEmail, settings: Settings) -> EmailMessage:
    """The message for `mail`, in the customer's language."""
    words = _WORDS.get(mail.language, _WORDS["en"])
    company = settings.company_name
    message = EmailMessage()
    message["Subject"] = words["subject"].format(company=company)
    message["From"] = settings.smtp_from or ""
    message["To"] = mail.to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=(settings.smtp_from or "support.invalid").rpartition("@")[2] or None)
    intro = words["intro"].format(agent=mail.agent or words["someone"], company=company)
    link = words["link"].format(url=settings.support_page_url)
    message.set_content(f"{intro}\n\n{mail.reply}\n\n{link}\n\n-- \n{words['why']}\n")
    return message


def send(mail: ReplyEmail, settings: Settings) -> None:
    """Hand the message to the SMTP server; DeliveryFailed (naming only the error's type) if it is not accepted."""
    message = compose(mail, settings)
    try:
        with _connect(settings) as smtp:
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"email: {type(exc).__name__}") from exc


def _connect(settings: Settings) -> smtplib.SMTP:
    host, port = settings.smtp_host or "", settings.smtp_port
    if settings.smtp_security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    if settings.smtp_security == "starttls":
        try:
            smtp.starttls(context=ssl.create_default_context())
        except BaseException:
            smtp.close()
            raise
    return smtp
