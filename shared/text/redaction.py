"""Removing personal data from text before it leaves for a model or becomes knowledge.

The stored transcript keeps the original for human agents; only what is sent is redacted.
Card numbers are redacted only when they pass the Luhn check and IBANs only when they pass
ISO 7064 mod 97, so order numbers and dates stay readable for the model. Text that becomes
part of the knowledge base (a case, an example, a drafted answer) is seen by everyone, so
`anonymize` also replaces order and account numbers and the names it can recognise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.core.settings import get_settings

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_ORDER = re.compile(
    r"(?i:\b(order|invoice|ticket|tracking|reference|ref|case|commande|pedido|bestellung)"
    r"((?:\s+(?:number|no\.?|num|id|nr\.?|n°|numéro|número|nummer))?\s*(?:#|:)?\s*))"
    r"(#?[A-Za-z]{0,4}-?\d[\w-]{2,})"
)
_ACCOUNT = re.compile(
    r"(?i:\b(account|acct|customer|member|membership|client|compte|cuenta|konto|kunden)"
    r"((?:\s+(?:number|no\.?|num|id|nr\.?|numéro|número|nummer))?\s*(?:#|:)?\s*))"
    r"(#?[A-Za-z]{0,4}-?\d[\w-]{2,})"
)
_HASH_NUMBER = re.compile(r"(?<![\w&])#\d{3,}\b")
# Capitalised words that open a sentence after "Hi" more often than they name someone.
_NOT_A_NAME = (
    r"(?!(?:I|I'm|I’m|Im|Can|Could|Would|Will|Is|Are|Do|Does|Did|What|Where|When|How|Why|Who|Which|My|We|"
    r"You|Your|Please|Team|There|Support|All|Everyone|Again|Thanks|Thank|Just|So|Ok|Okay|Yes|No)\b)"
)
_NAME_WORD = rf"{_NOT_A_NAME}[A-Z][\w'’-]+"
_NAME = rf"(?:(?:Mr|Mrs|Ms|Mx|Dr)\.?\s+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?"
# A name follows a greeting, an introduction or a sign-off; the capital letter tells it from "Hi there".
_GREETING = re.compile(
    r"(?m)^(\s*(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|salut|hola|hallo|guten tag)"
    rf"[ \t]*,?[ \t]+){_NAME}"
)
_INTRODUCTION = re.compile(
    rf"((?i:\bmy name is|\bthis is|\bI'm|\bI’m|\bI am|\bje m'appelle|\bme llamo|\bich heiße)[ \t]+){_NAME}"
)
_SIGN_OFF = re.compile(
    r"(?m)^(\s*(?i:thanks|thank you|many thanks|best|regards|kind regards|best regards|cheers|sincerely|cordialement"
    rf"|saludos|grüße)[ \t]*[,!.-]?[ \t]*(?:\n[ \t]*|[ \t]+))(?:-+[ \t]*)?{_NAME}"
)
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


def anonymize(text: str, names: Iterable[str] = ()) -> str:
    """`text` as anyone may read it: `redact`, plus order and account numbers and recognisable names as placeholders.

    `names` are names known to appear (the customer's, the agent's): replaced wherever they occur.
    """
    text = redact(text)
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", "[name]", text)
    text = _ORDER.sub(lambda m: f"{m.group(1)}{m.group(2)}[order number]", text)
    text = _ACCOUNT.sub(lambda m: f"{m.group(1)}{m.group(2)}[account number]", text)
    text = _HASH_NUMBER.sub("[number]", text)
    for pattern in (_GREETING, _INTRODUCTION, _SIGN_OFF):
        text = pattern.sub(lambda m: f"{m.group(1)}[name]", text)
    return text


def for_model(text: str) -> str:
    """`text` as a model may be sent it: redacted unless REDACT_PERSONAL_DATA is off."""
    return redact(text) if get_settings().redact_personal_data else text


def _is_card(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _is_phone(candidate: str) -> bool:
    # A bare run of digits is more often an order number, and 2026-11-02 is a date.
    digits = re.sub(r"\D", "", candidate)
    shaped = candidate.lstrip().startswith(("+", "00", "(")) or bool(re.search(r"\d[ .()-]+\d", candidate))
    return 7 <= len(digits) <= 15 and shaped and not _DATE.fullmatch(candidate.strip())
