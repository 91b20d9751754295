"""Suggested next actions: short messages the customer can send with one tap."""

from __future__ import annotations

from collections.abc import Sequence

from shared.knowledge.retrieval import ScoredEntry

TALK_TO_HUMAN = "Talk to a human"
MAX_SUGGESTIONS = 3
# The one-tap offer of a person in each language we answer in (each is a handover trigger).
HUMAN_OFFERS = {
    "en": TALK_TO_HUMAN,
    "fr": "Parler à une personne",
    "es": "Hablar con una persona",
    "de": "Mit einem Menschen sprechen",
    "it": "Parlare con una persona",
    "pt": "Falar com uma pessoa",
    "nl": "Met een medewerker spreken",
}


def talk_to_human(language: str) -> str:
    """The offer of a person, in `language` or in English."""
    return HUMAN_OFFERS.get(language, TALK_TO_HUMAN)


def with_human_offer(actions: Sequence[str], language: str) -> list[str]:
    """`actions` with the offer of a person first, in `language`, still at most three."""
    offer = talk_to_human(language)
    return [offer, *(a for a in actions if a != offer)][:MAX_SUGGESTIONS]


def suggest_actions(
    related: Sequence[ScoredEntry],
    popular: Sequence[ScoredEntry],
    *,
    answered: ScoredEntry | None = None,
    offer_human_in: str | None = None,
) -> list[str]:
    """Up to three next steps: related questions first, then popular ones; first, with `offer_human_in`
    a language, the offer of a person in it."""
    actions: list[str] = [talk_to_human(offer_human_in)] if offer_human_in else []
    skip = {answered.id} if answered else set()
    for entry in [*related, *popular]:
        if len(actions) >= MAX_SUGGESTIONS:
            break
        if entry.id not in skip and entry.question not in actions:
            actions.append(entry.question)
    return actions
