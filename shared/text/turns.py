"""A conversation as the layers above read it: one turn per message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, as a provider sees it."""

    sender: str
    content: str
    source_questions: tuple[str, ...] = ()
    answered: bool = True
    # The entries a bot reply answered from (a follow-up is read against them).
    source_ids: tuple[str, ...] = ()
