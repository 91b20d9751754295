"""The small words that shape a customer's question, in each supported language.

Where a message turns to another question ("..., and how much is it?"), and how a follow-up leans
on the previous message: opening with a connector ("and to Canada?") or pointing back with a
pronoun ("how long does that take?"). Each language's words are a regular-expression alternation; the
readers (knowledge/lookup, knowledge/followups) join every language's into one pattern.
"""

from __future__ import annotations

from collections.abc import Mapping

# Words a question opens with.
QUESTION_STARTS = {
    "en": "how|what|when|where|which|who|why|can|could|do|does|did|is|are|will|would|should|may|i",
    "fr": "comment|combien|quand|où|quel|quelle|quels|est-ce|puis-je|pouvez|peut",
    "es": "cómo|cuánto|cuándo|dónde|qué|cuál|puedo|pueden|hay",
    "de": "wie|was|wann|wo|welche|kann|können|gibt|muss",
    "it": "come|quanto|quanti|quando|dove|quale|quali|posso|potete|avete|si può",
    "pt": "como|quanto|quantos|quando|onde|qual|quais|o que|posso|pode|podem|há",
    "nl": "hoe|hoeveel|wanneer|waar|welke|wat|kan|kunnen|kunt|moet|heb|hebben",
}
# Words that join a second question to the first ("and", "also"). Dutch "en" is left out: it is
# French and Spanish for "in", often before a question word ("en qué", "en quel").
QUESTION_JOINERS = {
    "en": "and|also|plus",
    "fr": "et|aussi",
    "es": "y|también",
    "de": "und|auch",
    "it": "e|anche",
    "pt": "e|também",
    "nl": "ook",
}
# Words a follow-up opens with: it adds a detail to the previous question.
FOLLOW_UP_CONNECTORS = {
    "en": "and|but|also|so|ok(ay)?|what about|how about|what if|same for|then",
    "fr": "et|mais|aussi|alors",
    "es": "y|pero|también|entonces",
    "de": "und|aber|auch|also",
    "it": "e|ma|anche|quindi|allora",
    "pt": "e|mas|também|então",
    "nl": "en|maar|ook|dus|hoe zit het met",
}
# Pronouns and place words that point back to the previous topic (articles left out).
REFERS_BACK = {
    "en": "it|its|that|this|they|them|those|these|there|one|ones",
    "fr": "ça|cela|ceci|là",
    "es": "eso|esto|ello|allí|ahí",
    "de": "es|das|dies|dort|damit|dafür",
    "it": "questo|quello|ciò|lì|là",
    "pt": "isso|isto|aquilo|lá|ali|aí",
    "nl": "dat|dit|het|daar|daarvoor|daarmee",
}


def alternatives(words: Mapping[str, str]) -> str:
    """Every language's words as one regular-expression alternation."""
    return "|".join(words.values())
