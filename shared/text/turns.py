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
