"""Replies respect retrieval's decision: a suggestion asks and cites nothing, with or without a model."""

from __future__ import annotations

from shared.answering.prompts import answer_prompt
from shared.answering.providers.offline import OfflineProvider
from shared.answering.structured import ModelReply, to_answer
from shared.answering.types import AnswerRequest
from shared.core.settings import get_settings
from shared.knowledge.retrieval import ScoredEntry

RETURNS = ScoredEntry("return-policy", "What is your return policy?", "Returns within 30 days.", None, 8.0)
REFUNDS = ScoredEntry("refund-timing", "When will I get my refund?", "Within 5 days.", None, 7.8)


def _suggesting(reason: str = "key_terms_not_in_kb", language: str = "en") -> AnswerRequest:
    return AnswerRequest(
        question="can I swap it",
        entries=[],
        outcome="suggested",
        reason=reason,
        offered=[RETURNS, REFUNDS],
        language=language,
    )


def test_the_offline_suggestion_asks_which_entry_is_meant_and_cites_nothing():
    answer = OfflineProvider().answer(_suggesting())
    assert answer.text.startswith("I'm not sure I understood.") and "• What is your return policy?" in answer.text
    assert answer.source_ids == []
    assert answer.suggested_actions == ["What is your return policy?", "When will I get my refund?", "Talk to a human"]


def test_two_close_entries_are_asked_about_in_the_customers_language():
    answer = OfflineProvider().answer(_suggesting("close_runner_up", "fr"))
    assert answer.text.startswith("Duquel de ces sujets") and answer.suggested_actions[-1] == "Parler à une personne"


def test_a_model_asked_to_suggest_sees_no_answer_and_cannot_cite_an_entry():
    request = _suggesting()
    prompt = answer_prompt(request, get_settings())
    assert "Returns within 30 days." not in prompt.user and "What is your return policy?" in prompt.user
    reply = ModelReply(covered=True, answer="Returns within 30 days.", source_ids=["return-policy"])
    answer = to_answer(reply, request, provider="model", usage={})
    assert answer.source_ids == [] and answer.suggested_actions[0] == "What is your return policy?"


def test_a_model_told_nothing_fits_sees_no_entry():
    request = AnswerRequest(question="who won", entries=[], related=[RETURNS], outcome="unknown", reason="nothing_near")
    assert "Returns within 30 days." not in answer_prompt(request, get_settings()).user
