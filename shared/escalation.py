"""Recognising when a customer asks for a person."""

from __future__ import annotations

import re

HUMAN_REQUESTED = "customer asked for a human"

_STRONG = r"(?:humans?|agents?|representatives?|reps?|operators?|customer\s+service)"
_WEAK = r"(?:someone|somebody|person|people|staff|manager|supervisor|team\s+member)"
_ASKING = r"(?:talk|speak|chat|connect|transfer|put\s+me|get\s+me|want|need|give\s+me|reach|contact|call)"
_TALKING = r"(?:talk|speak|chat|connect|transfer|put\s+me\s+through)"

_PATTERNS = [
    re.compile(r"\b(?:real|live|actual)\s+(?:person|human|agent|people)\b", re.IGNORECASE),
    re.compile(r"\bescalate\b", re.IGNORECASE),
    re.compile(rf"\b{_ASKING}\b.*\b{_STRONG}\b", re.IGNORECASE),
    re.compile(rf"\b{_TALKING}\b.*\b{_WEAK}\b", re.IGNORECASE),
    re.compile(rf"^\W*(?:an?\s+)?{_STRONG}\W*(?:please)?\W*$", re.IGNORECASE),
]


def human_requested(text: str) -> str | None:
    """The escalation reason when `text` asks for a person, else None."""
    return HUMAN_REQUESTED if any(p.search(text) for p in _PATTERNS) else None
