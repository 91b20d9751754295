"""Replies in the customer's language: every fixed sentence exists in each, and an answer in another says so."""

from __future__ import annotations

import re

import pytest

from shared.answering.prompts import answer_prompt
from shared.answering.providers.offline import OfflineProvider
from shared.answering.providers.offline_phrases import PHRASES
from shared.answering.suggestions import HUMAN_OFFERS
from shared.answering.types import AnswerRequest
from shared.clients.mail import _WORDS as MAIL_WORDS
from shared.core.settings import get_settings
from shared.handover.reply import _SENTENCES as HANDOVER_SENTENCES
from shared.knowledge.retrieval import ScoredEntry
from shared.services._customer_summary import _WORDS as SUMMARY_WORDS
from shared.services.sessions import DEFAULT_GREETINGS, NAMED_SALUTATIONS
from shared.text.language import LANGUAGES, NAMES

OTHER_LANGUAGES = [language for language in LANGUAGES if language != "en"]
ITALIAN = {"question": "Qual è la vostra politica di reso?", "answer": "Resi entro 30 giorni.", "examples": []}
RETURNS = ScoredEntry(
    "return-policy", "What is your return policy?", "Returns within 30 days.", None, 8.0, translations={"it": ITALIAN}
)
REFUNDS = ScoredEntry("refund-timing", "When will I get my refund?", "Within 5 days.", None, 7.8)


def _placeholders(text: object) -> set[str]:
    return set(re.findall(r"\{\w+\}", str(text)))


@pytest.mark.parametrize(
    "table",
    [PHRASES, HUMAN_OFFERS, DEFAULT_GREETINGS, NAMED_SALUTATIONS, HANDOVER_SENTENCES, SUMMARY_WORDS, MAIL_WORDS],
    ids=["offline", "human_offer", "greeting", "named_salutation", "handover", "customer_summary", "mail"],
)
def test_every_supported_language_has_every_sentence_with_the_same_placeholders(table):
    assert set(table) == set(LANGUAGES)
    for language, sentences in table.items():
        if isinstance(sentences, str):
            assert sentences.strip() and _placeholders(sentences) == _placeholders(table["en"]), language
            continue
        assert sentences.keys() == table["en"].keys(), language
        for key, text in sentences.items():
            assert _placeholders(text) == _placeholders(table["en"][key]), (language, key)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_an_answer_with_no_version_in_the_customers_language_says_so_first_in_theirs(language):
    entry = REFUNDS.in_language(language)
    text = OfflineProvider().answer(AnswerRequest(question="?", entries=[entry], language=language)).text
    assert text == PHRASES[language]["only_in_english"] + "Within 5 days."
    assert text.startswith("(") and "English" not in text


def test_an_english_customer_reads_the_answer_as_it_is():
    text = OfflineProvider().answer(AnswerRequest(question="?", entries=[REFUNDS], language="en")).text
    assert text == "Within 5 days."


def test_an_answer_with_a_version_in_the_customers_language_is_given_in_it_with_no_note():
    entry = RETURNS.in_language("it")
    assert entry.language == "it" and RETURNS.in_language("pt").language == "en"
    text = OfflineProvider().answer(AnswerRequest(question="?", entries=[entry], language="it")).text
    assert text == "Resi entro 30 giorni."


def test_each_part_of_a_several_question_answer_says_which_is_not_in_the_customers_language():
    request = AnswerRequest(
        question="Resi? E rimborsi?",
        entries=[RETURNS.in_language("it"), REFUNDS.in_language("it")],
        parts=["Resi?", "E rimborsi?"],
        language="it",
    )
    text = OfflineProvider().answer(request).text
    assert text == (
        "Su «Qual è la vostra politica di reso?»:\nResi entro 30 giorni.\n\n"
        "Su «When will I get my refund?»:\n(Questa risposta è disponibile solo in inglese:)\nWithin 5 days."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_model_is_told_to_reply_in_the_customers_language_by_name(language):
    request = AnswerRequest(question="?", entries=[REFUNDS], language=language)
    system = answer_prompt(request, get_settings()).system
    assert f'Reply in {NAMES[language]}, the customer\'s language (ISO 639-1 code "{language}")' in system
    assert "translate what you use" in system
