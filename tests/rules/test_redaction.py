"""What becomes knowledge keeps no personal data, and ordinary questions keep their words."""

from __future__ import annotations

import pytest

from shared.text.redaction import anonymize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi Jordan, we sent a replacement for order #10482 today.\n\nThanks,\nSam Carter",
            "Hi [name], we sent a replacement for order #[order number] today.\n\nThanks,\n[name]",
        ),
        ("Dear Ms. Smith, your invoice INV-2231 is paid", "Dear [name], your invoice [order number] is paid"),
        ("My name is Jordan Lee, account 5533221 is locked", "My name is [name], account [account number] is locked"),
        ("I'm Jordan, call me on +44 20 7946 0958", "I'm [name], call me on [phone]"),
        ("mail jane.doe@example.com, card 4111 1111 1111 1111", "mail [email], card [card number]"),
        ("reference number: AB-99812 and #77812", "reference number: [order number] and [number]"),
    ],
)
def test_personal_data_becomes_placeholders(text, expected):
    assert anonymize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hi Can you help me return an order?",
        "Hello Is this the right place for refunds?",
        "How long does order 3 take to ship to Canada?",
        "How do I reset my account password?",
        "Dear Support, do you ship on 2026-12-24?",
    ],
)
def test_ordinary_questions_keep_their_words(text):
    assert anonymize(text) == text


def test_known_names_are_replaced_wherever_they_appear():
    assert anonymize("Thanks Jordan! Jordan's parcel left", names=["Jordan"]) == "Thanks [name]! [name]'s parcel left"
