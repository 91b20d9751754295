"""What the bot says around an action, in each language it speaks (English when one is missing)."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "found": {
        "en": "Here's what I found:",
        "fr": "Voici ce que j'ai trouvé :",
        "es": "Esto es lo que encontré:",
        "de": "Das habe ich gefunden:",
        "it": "Ecco cosa ho trovato:",
        "pt": "Aqui está o que encontrei:",
        "nl": "Dit heb ik gevonden:",
    },
    "sign_in": {
        "en": "I can look that up once you're signed in to your account. Please sign in, then ask me again.",
        "fr": (
            "Je peux le vérifier une fois que vous êtes connecté à votre compte. Connectez-vous, puis "
            "reposez-moi la question."
        ),
        "es": "Puedo consultarlo cuando hayas iniciado sesión en tu cuenta. Inicia sesión y vuelve a preguntarme.",
        "de": (
            "Das kann ich nachsehen, sobald Sie in Ihrem Konto angemeldet sind. Bitte melden Sie sich an "
            "und fragen Sie dann noch einmal."
        ),
        "it": "Posso controllarlo dopo che hai effettuato l'accesso al tuo account. Accedi e poi chiedimelo di nuovo.",
        "pt": "Posso verificar isso depois de você entrar na sua conta. Entre e depois pergunte-me de novo.",
        "nl": "Dat kan ik opzoeken zodra je bent ingelogd op je account. Log in en vraag het me daarna opnieuw.",
    },
    "ask": {
        "en": "Sure. What is the {what}?",
        "fr": "Bien sûr. Quel est le {what} ?",
        "es": "Claro. ¿Cuál es el {what}?",
        "de": "Gern. Wie lautet {what}?",
        "it": "Certo. Qual è il {what}?",
        "pt": "Claro. Qual é o {what}?",
        "nl": "Natuurlijk. Wat is de {what}?",
    },
    "which": {
        "en": "Which one do you mean: {options}?",
        "fr": "Lequel voulez-vous dire : {options} ?",
        "es": "¿Cuál de ellos: {options}?",
        "de": "Welche meinen Sie: {options}?",
        "it": "Quale intendi: {options}?",
        "pt": "Qual deles: {options}?",
        "nl": "Welke bedoel je: {options}?",
    },
    "not_found": {
        "en": "I couldn't find {what} on your account. Could you check the details?",
        "fr": "Je n'ai pas trouvé {what} sur votre compte. Pouvez-vous vérifier ?",
        "es": "No encontré {what} en tu cuenta. ¿Puedes comprobar los datos?",
        "de": "Ich konnte {what} in Ihrem Konto nicht finden. Können Sie die Angaben prüfen?",
        "it": "Non ho trovato {what} nel tuo account. Puoi controllare i dati?",
        "pt": "Não encontrei {what} na sua conta. Pode verificar os dados?",
        "nl": "Ik kon {what} niet vinden in je account. Kun je de gegevens controleren?",
    },
    "failed": {
        "en": (
            "I couldn't reach our order system just now, so I can't check that for you. Please try again in "
            "a few minutes, or talk to a person."
        ),
        "fr": (
            "Je n'arrive pas à joindre notre système de commandes pour le moment. Réessayez dans quelques "
            "minutes, ou parlez à une personne."
        ),
        "es": (
            "No puedo acceder a nuestro sistema de pedidos ahora mismo. Inténtalo de nuevo en unos minutos "
            "o habla con una persona."
        ),
        "de": (
            "Unser Bestellsystem ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten "
            "erneut oder sprechen Sie mit einem Menschen."
        ),
        "it": (
            "Al momento non riesco a raggiungere il nostro sistema ordini. Riprova tra qualche minuto o "
            "parla con una persona."
        ),
        "pt": (
            "Não consigo acessar nosso sistema de pedidos agora. Tente de novo em alguns minutos ou fale "
            "com uma pessoa."
        ),
        "nl": (
            "Ik kan ons bestelsysteem nu niet bereiken. Probeer het over een paar minuten opnieuw of praat "
            "met een medewerker."
        ),
    },
    "refused": {
        "en": "The shop didn't accept that request: {what}. A person can help you with it.",
        "fr": "La boutique n'a pas accepté cette demande : {what}. Une personne peut vous aider.",
        "es": "La tienda no aceptó esa solicitud: {what}. Una persona puede ayudarte.",
        "de": "Der Shop hat diese Anfrage nicht angenommen: {what}. Ein Mensch kann Ihnen weiterhelfen.",
        "it": "Il negozio non ha accettato la richiesta: {what}. Una persona può aiutarti.",
        "pt": "A loja não aceitou esse pedido: {what}. Uma pessoa pode ajudar.",
        "nl": "De winkel heeft dat verzoek niet aangenomen: {what}. Een medewerker kan je helpen.",
    },
    "confirm": {
        "en": (
            "Shall I do this for you? {what}. Please confirm or cancel below (this stays open for {minutes} minutes)."
        ),
        "fr": "Voulez-vous que je le fasse ? {what}. Confirmez ou annulez ci-dessous (valable {minutes} minutes).",
        "es": "¿Quieres que lo haga? {what}. Confirma o cancela abajo (válido durante {minutes} minutos).",
        "de": "Soll ich das für Sie erledigen? {what}. Bitte bestätigen oder abbrechen (gilt {minutes} Minuten).",
        "it": "Vuoi che lo faccia? {what}. Conferma o annulla qui sotto (valido per {minutes} minuti).",
        "pt": "Quer que eu faça isso? {what}. Confirme ou cancele abaixo (válido por {minutes} minutos).",
        "nl": "Zal ik dit voor je doen? {what}. Bevestig of annuleer hieronder (geldig voor {minutes} minuten).",
    },
    "cancelled": {
        "en": "All right, I haven't done anything. Is there anything else I can help with?",
        "fr": "D'accord, je n'ai rien fait. Puis-je vous aider pour autre chose ?",
        "es": "De acuerdo, no he hecho nada. ¿Puedo ayudarte con algo más?",
        "de": "In Ordnung, ich habe nichts geändert. Kann ich sonst noch helfen?",
        "it": "D'accordo, non ho fatto nulla. Posso aiutarti con altro?",
        "pt": "Tudo bem, não fiz nada. Posso ajudar com mais alguma coisa?",
        "nl": "Prima, ik heb niets gedaan. Kan ik je ergens anders mee helpen?",
    },
    "done": {
        "en": "Done:",
        "fr": "C'est fait :",
        "es": "Hecho:",
        "de": "Erledigt:",
        "it": "Fatto:",
        "pt": "Feito:",
        "nl": "Klaar:",
    },
}


def phrase(key: str, language: str, **values: str) -> str:
    """The sentence `key` in `language`, with its `{placeholders}` filled."""
    table = PHRASES[key]
    return table.get(language, table["en"]).format(**values)
