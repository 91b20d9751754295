"""Removing personal data from text before it leaves for a model.

The stored transcript keeps the original for human agents; only what is sent is redacted.
Card numbers are redacted only when they pass the Luhn check and IBANs only when they pass
ISO 7064 mod 97, so order numbers and dates stay readable.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d{1,3}?[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,3}(?!\w)")


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum used by payment cards."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """Whether `candidate` (spaces allowed) is a checksum-valid IBAN."""
    compact = candidate.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return 15 <= len(compact) <= 34 and int(numeric) % 97 == 1


def redact(text: str) -> str:
    """`text` with emails, payment cards, IBANs and phone numbers replaced by placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _IBAN.sub(lambda m: "[iban]" if iban_valid(m.group()) else m.group(), text)
    text = _CARD.sub(lambda m: "[card number]" if _is_card(m.group()) else m.group(), text)
    return _PHONE.sub(lambda m: "[phone]" if _is_phone(m.group()) else m.group(), text)


def _is_card(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _is_phone(candidate: str) -> bool:
    # A bare run of digits is more often an order number, and 2026-11-02 is a date.
    digits = re.sub(r"\D", "", candidate)
    shaped = candidate.lstrip().startswith(("+", "00", "(")) or bool(re.search(r"\d[ .()-]+\d", candidate))
    return 7 <= len(digits) <= 15 and shaped and not _DATE.fullmatch(candidate.strip())
