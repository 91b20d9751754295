"""Sessions: open one, read its messages, erase it."""

from __future__ import annotations

from shared.auth.identity import verify_identity_token
from shared.auth.tokens import hash_token, new_session_token
from shared.core import errors
from shared.core.settings import Settings, get_settings
from shared.db import conversations
from shared.db.engine import connection, transaction
from shared.schemas.public import (
    ContactCreate,
    CsatCreate,
    MessageList,
    MessagesQuery,
    SessionCreate,
    SessionCreated,
    SessionRef,
    SessionView,
)
from shared.services import _limits as limits
from shared.services._views import customer_public, message_public, session_state
from shared.text.language import locale_language

UNAUTHORIZED = "Unknown session or invalid token."
# The default GREETING (English) and its translations in the widget's other languages, so that a shop
# that has not written its own greeting still greets each customer in their language, by the bot's name.
DEFAULT_GREETINGS = {
    "en": "Hi! I'm {bot}, {company}'s assistant. Ask me about orders, returns, shipping or your account.",
    "fr": "Bonjour ! Je suis {bot} et je réponds à vos questions pour {company} : commandes, retours, "
    "livraison ou votre compte.",
    "es": "¡Hola! Soy {bot} y respondo a tus preguntas en nombre de {company}: pedidos, devoluciones, "
    "envíos o tu cuenta.",
    "de": "Hallo! Ich bin {bot} und beantworte Ihre Fragen für {company}: Bestellungen, Rücksendungen, "
    "Versand oder Ihr Konto.",
    "it": "Buongiorno! Sono {bot} e rispondo alle sue domande per {company}: ordini, resi, spedizioni "
    "o il suo account.",
    "pt": "Olá! Chamo-me {bot} e respondo às suas perguntas em nome de {company}: encomendas, devoluções, "
    "envios ou a sua conta.",
    "nl": "Hallo! Ik ben {bot} en beantwoord uw vragen voor {company}: bestellingen, retouren, verzending "
    "of uw account.",
}

# Each default greeting's opening salutation (up to its first "!") with the customer's name.
NAMED_SALUTATIONS = {
    "en": "Hi {name}!",
    "fr": "Bonjour {name} !",
    "es": "¡Hola, {name}!",
    "de": "Hallo {name}!",
    "it": "Buongiorno {name}!",
    "pt": "Olá {name}!",
    "nl": "Hallo {name}!",
}


def create_session(request: SessionCreate, *, client_ip: str | None = None) -> SessionCreated:
    """Open a session (within the per-address limits); its token is returned here and never again.

    With an identity token the session belongs to that verified customer from the start.
    """
    customer = verify_identity_token(request.identity_token) if request.identity_token is not None else None
    locale = request.locale or (customer.locale if customer else None)
    token = new_session_token()
    with transaction() as conn:
        if client_ip is not None:
            limits.admit_session(conn, client_ip)
        row = conversations.create_session(
            conn, token_hash=hash_token(token), locale=locale, attributes=request.attributes, customer=customer
        )
    settings = get_settings()
    return SessionCreated(
        session_id=row.id,
        session_token=token,
        created_at=row.created_at,
        greeting=greeting_for(settings, locale, name=customer.name if customer else None),
        bot_name=settings.bot_name,
        customer=customer_public(customer) if customer else None,
    )


def greeting_for(settings: Settings, locale: str | None, *, name: str | None = None) -> str:
    """The shop's own GREETING as written; left at its default, the default in the customer's language.

    A verified customer's name replaces the default's opening salutation ("Hi Ada!").
    """
    if settings.greeting != Settings.model_fields["greeting"].default:
        return settings.greeting
    language = locale_language(locale) if locale_language(locale) in DEFAULT_GREETINGS else "en"
    greeting = DEFAULT_GREETINGS[language].format(bot=settings.bot_name, company=settings.company_name)
    if name and name.strip():
        greeting = NAMED_SALUTATIONS[language].format(name=name.strip()) + greeting.split("!", 1)[1]
    return greeting


def get_messages(query: MessagesQuery, *, token: str) -> MessageList:
    """A session's state and its messages after the `after` cursor, in order."""
    with connection() as conn:
        session = conversations.find_session(conn, session_id=query.session_id, token_hash=hash_token(token))
        if session is None:
            raise errors.Unauthorized(UNAUTHORIZED)
        page_size = get_settings().messages_page_size
        rows = conversations.list_messages(conn, session_id=query.session_id, after=query.after, limit=page_size + 1)
        shown = rows[:page_size]
        if shown:
            conversations.mark_seen(conn, session_id=query.session_id, message_id=shown[-1].id)
    return MessageList(
        session=SessionView(**session_state(session).model_dump(), summary=session.summary),
        messages=[message_public(row) for row in shown],
        has_more=len(rows) > page_size,
    )


def delete_session(request: SessionRef, *, token: str) -> None:
    """Erase a session and everything in it."""
    with connection() as conn:
        if not conversations.delete_session(conn, session_id=request.session_id, token_hash=hash_token(token)):
            raise errors.Unauthorized(UNAUTHORIZED)


def leave_contact(request: ContactCreate, *, token: str) -> None:
    """Keep the email address a customer left for the answer (erased with the conversation)."""
    with connection() as conn:
        if not conversations.save_contact(
            conn, session_id=request.session_id, token_hash=hash_token(token), email=request.email
        ):
            raise errors.Unauthorized(UNAUTHORIZED)


def rate_conversation(request: CsatCreate, *, token: str) -> None:
    """The customer's 1-5 rating of a resolved conversation; rating again replaces it."""
    with connection() as conn:
        outcome = conversations.save_csat(
            conn, session_id=request.session_id, token_hash=hash_token(token), rating=request.rating,
            comment=request.comment,
        )  # fmt: skip
    if outcome is None:
        raise errors.Unauthorized(UNAUTHORIZED)
    if outcome == "not_resolved":
        raise errors.Conflict("Only a resolved conversation can be rated.")
