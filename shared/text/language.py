"""Which of the supported languages a customer writes in: from the message, else the widget's locale.

Short customer messages defeat statistical detectors, but the languages we answer in differ in
their commonest small words and in a few letters; counting those is enough to tell them apart
and costs microseconds. A message with no telling word (an order number, "ok") keeps the
language of the widget the customer is using.

Italian, Portuguese, Spanish and French share many small words ("que", "come", "posso") and
letters: only words and letters that set one language apart from the others score for it
alone; a word two of them share scores for both, so that it never decides between them.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl")
DEFAULT = "en"
# Each language's name in English, for the model's instructions.
NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}
# Postgres's text-search configuration for each language (stemming and stop words).
TEXT_SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}

_WORDS = {
    "en": "the is are do does you your my how what when where why can could i and to of for it with will "
    "would have has there this that not please hi hello thanks order",
    "fr": "le la les est sont vous votre vos je mon ma mes comment quand où pourquoi pour avec pas une des du "
    "que qui est ce puis bonjour merci commande livraison suis avez êtes ai au aux en sur ne ou",
    "es": "el los las es son usted su sus mi mis cómo cuándo dónde por qué para con una unos que puedo hola "
    "gracias pedido envío tienen está estoy hay del al en hacen como",
    "de": "der die das ist sind sie ihr ihre ich mein meine wie wann wo warum für mit nicht eine ein und kann "
    "hallo danke bestellung lieferung habe haben gibt es bei zu bitte einen dem den aus",
    # Shared with Portuguese: e sua quando quanto posso costa; with Spanish: con una del al mi; with French: la le.
    "it": "è sono il gli della delle dello degli nella nel nei dei alla alle dal dalla sul che non perché come "
    "dove quale chi quest quando quanto posso potete avete fate siete vendete spedite accettate vorrei ho ha "
    "mio miei vostro vostra lei suo sua questo questa anche ancora già più ciao buongiorno salve grazie ordine "
    "ordinato spedizione rimborso reso essere fare fatto costa cosa qualcuno domani hanno dopo per e con una del al "
    "mi la le",
    # Shared with Spanish: que por para como está; with Italian: e sua quando quanto posso costa; with French: ou.
    "pt": "é não nao você voce vocês são estou tenho tem têm foi há dá eu meu minha meus minhas seus nosso nossa "
    "um uma em ao na os as com isso isto esse essa onde qual quem quando quanto posso pode podem quero gostaria "
    "preciso precisa ainda já chegou ficou obrigado obrigada olá oi encomenda envio envios entrega devolução troca "
    "fazem enviam vendem aceitam do "
    "que por para como está e sua ou costa",
    # Shared with English: is; with French and Spanish: en.
    "nl": "het een niet wat ik mijn je jullie uw zijn hoe waarom wanneer waar kan kunnen kunt van voor met "
    "op dat dit er nog ook maar bij naar heb hebben heeft moet wil graag bedankt dank hoi bestelling "
    "levering verzending retour geen wordt worden om aan uit hoeveel welke we wij ze tot is en",
}
_VOCABULARY = {language: frozenset(words.split()) for language, words in _WORDS.items()}
# Letters (and the Dutch "ij") that belong to one or two of the supported languages only.
_LETTERS = {
    "fr": ("ç", "è", "ê", "ë", "à", "â", "î", "ï", "ô", "û", "ù", "œ"),
    "es": ("ñ", "¿", "¡", "á", "í", "ó", "ú"),
    "de": ("ß", "ä", "ö", "ü"),
    "it": ("à", "è", "ì", "ò", "ù"),
    "pt": ("ã", "õ", "ç", "ê", "â", "ô", "á", "í", "ó", "ú"),
    "nl": ("ij",),
}
_TOKEN = re.compile(r"\w+", re.UNICODE)


def language_of(text: str, locale: str | None = None) -> str:
    """The language to answer `text` in: the one its words point to, else the locale's, else English."""
    lowered = text.lower()
    scores = {language: 0.0 for language in LANGUAGES}
    for token in _TOKEN.findall(lowered):
        for language, vocabulary in _VOCABULARY.items():
            if token in vocabulary:
                scores[language] += 1
    for language, letters in _LETTERS.items():
        scores[language] += 0.5 * sum(lowered.count(letter) for letter in letters)
    best = max(LANGUAGES, key=lambda language: scores[language])
    fallback = locale_language(locale)
    if scores[best] < 1 or scores[best] == scores[fallback]:
        return fallback
    return best


def locale_language(locale: str | None) -> str:
    """The supported language of a locale such as "fr-CA", or English."""
    language = (locale or "").split("-")[0].split("_")[0].lower()
    return language if language in LANGUAGES else DEFAULT
