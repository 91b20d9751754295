"""Posting a message: store it, find what answers it, reply, store the reply.

The user's message is committed before retrieval or any model call, and no database
connection is held while a model works. Whatever fails after the message is stored, the
customer gets a stored, graceful reply: the offline answer when the model fails. A spent model
budget is no failure of the customer's: the reply is the offline answer from the knowledge
base, marked degraded with the reason `budget`, and the log says so.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from shared.answering import get_provider, offline_provider, rewriting
from shared.answering.providers.offline import glad_it_helped
from shared.answering.suggestions import with_human_offer
from shared.answering.types import Answer, AnswerProvider, AnswerRequest, AnswerStream, KnownCustomer, collect
from shared.auth.tokens import hash_token
from shared.core import errors
from shared.handover.detect import Handover, handover_trigger, unanswered_again
from shared.knowledge import followups, lookup
from shared.schemas.public import ConversationState, MessageCreate, MessageExchange, MessagePublic
from shared.services import _actions, _handover, _tool_calls
from shared.services import _intake as retries
from shared.services import _replies as replies
from shared.services._events import exchange_events, sse
from shared.text.language import language_of
from shared.text.small_words import says_it_helped
from shared.text.turns import Turn

log = logging.getLogger("support.chat")


@dataclass(frozen=True)
class Accepted:
    """A stored user message waiting for its reply: a handover, an answer, or silence (an agent owns it)."""

    session_id: uuid.UUID
    user_message: MessagePublic
    answer_request: AnswerRequest | None
    state: ConversationState
    handover: Handover | None = None
    language: str = "en"
    spent_budgets: tuple[str, ...] = ()
    offer_person: bool = False  # mildly frustrated and answered: the answer offers a person too
    thanked: bool = False  # the customer says the last answer helped: say you are glad, no search
    planned: _actions.Planned | None = None  # an action on the shop's API answers this message
    sign_in_for: str | None = None  # an action the customer could have by signing in: the answer offers it
    customer: KnownCustomer | None = None

    @property
    def silent(self) -> bool:
        return self.state == "assigned"


def post_message(
    request: MessageCreate, *, token: str, provider: AnswerProvider | None = None, idempotency_key: str | None = None
) -> MessageExchange:
    """Store the customer's message and reply to it (once per `client_message_id` / `Idempotency-Key`)."""
    accepted = accept_message(request, token=token, idempotency_key=idempotency_key, provider=provider)
    if isinstance(accepted, MessageExchange):
        return accepted
    if accepted.silent:
        return replies.silence(accepted.session_id, accepted.user_message)
    with retries.answering(accepted.user_message.id):
        answer = collect(_compose(accepted, provider or get_provider()))
        return replies.store(accepted.session_id, accepted.user_message, answer, accepted.answer_request)


def post_message_events(
    request: MessageCreate, *, token: str, provider: AnswerProvider | None = None, idempotency_key: str | None = None
) -> Iterator[str]:
    """Like `post_message`, as server-sent events: start, text deltas, done. Errors are raised before."""
    accepted = accept_message(request, token=token, idempotency_key=idempotency_key, provider=provider)
    if isinstance(accepted, MessageExchange):
        return exchange_events(accepted)
    if accepted.silent:
        return exchange_events(replies.silence(accepted.session_id, accepted.user_message))
    return _stream_events(accepted, provider or get_provider())


def accept_message(
    request: MessageCreate, *, token: str, idempotency_key: str | None = None, provider: AnswerProvider | None = None
) -> Accepted | MessageExchange:
    """Store the user's message and retrieve; a retry returns the stored exchange or waits for it."""
    request = retries.with_key(request, idempotency_key)
    outcome = retries.admit(request, token_hash=hash_token(token))
    if isinstance(outcome, MessageExchange):
        return outcome
    history = [_turn(h) for h in outcome.history]
    user_message = MessagePublic(
        id=outcome.message_id,
        sender="user",
        content=request.content,
        created_at=outcome.created_at,
        client_message_id=request.client_message_id,
    )
    if outcome.state == "assigned":
        return Accepted(request.session_id, user_message, None, outcome.state)
    trigger = handover_trigger(request.content)
    language = language_of(request.content, outcome.locale)
    if trigger and not trigger.mild:
        return Accepted(request.session_id, user_message, None, outcome.state, trigger, language)
    if trigger is None and says_it_helped(request.content) and _answered_last(history):
        return Accepted(request.session_id, user_message, None, outcome.state, language=language, thanked=True)
    provider = provider or get_provider()
    # Outside the first connection: choosing an action, rewriting a follow-up and embedding the query may call a model.
    with retries.answering(outcome.message_id):
        planned = _tool_calls.plan(
            request.content, history, _last_bot(outcome.history), outcome.customer, provider=provider,
            language=language, model_allowed=not outcome.spent_budgets,
        )  # fmt: skip
        if planned is not None and not planned.needs_sign_in(outcome.customer):
            return Accepted(
                request.session_id, user_message, None, outcome.state, language=language, planned=planned,
                customer=outcome.customer,
            )  # fmt: skip
        standalone = _standalone(request.content, history, outcome, provider)
        found = lookup.find_answers(request.content, history, locale=outcome.locale, standalone=standalone)
        answer_request = replace(AnswerRequest.of(found), customer=outcome.customer)
    # Nothing comes near: a frustrated customer, or a second such message in a row, goes to a person;
    # a suggestion lets the customer choose, and an answer to a mildly frustrated one offers a person too.
    handover = (trigger or unanswered_again(history)) if answer_request.outcome == "unknown" else None
    return Accepted(
        request.session_id,
        user_message,
        answer_request,
        outcome.state,
        handover,
        answer_request.language,
        outcome.spent_budgets,
        offer_person=trigger is not None and handover is None,
        sign_in_for=planned.action.name if planned is not None else None,
    )


def _standalone(message: str, history: list[Turn], admitted: retries.Admitted, provider: AnswerProvider) -> str | None:
    """The follow-up as the model rewrites it to stand alone; none while a model budget is spent.

    Only a message that may lean on the conversation (short, or pointing back) costs a model call:
    a long one that names its own subject is searched as written.
    """
    if admitted.spent_budgets or followups.form_of(message, history) is None:
        return None
    return rewriting.standalone_question(message, history, provider, locale=admitted.locale)


def _last_bot(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The conversation's last message when the bot wrote it (it may have asked for a value)."""
    return history[-1] if history and history[-1].get("sender") == "bot" else None


def _turn(stored: dict[str, Any]) -> Turn:
    return Turn(
        sender=stored["sender"] or "user",
        content=stored["content"] or "",
        answered=stored.get("decision") != "not_covered",
        source_ids=tuple(stored.get("about") or ()),
    )


def _compose(accepted: Accepted, provider: AnswerProvider) -> AnswerStream:
    """The reply's text as it is produced; to a mildly frustrated customer, the answer offers a person too."""
    answer = yield from _reply(accepted, provider)
    if accepted.sign_in_for and not answer.hands_over:
        answer = yield from _offering_sign_in(answer, accepted)
    if not accepted.offer_person:
        return answer
    return replace(answer, suggested_actions=with_human_offer(answer.suggested_actions, accepted.language))


def _offering_sign_in(answer: Answer, accepted: Accepted) -> AnswerStream:
    """An answer or suggestion, then the offer to look it up once signed in; nothing found: the offer alone."""
    assert accepted.sign_in_for is not None
    found_nothing = accepted.answer_request is None or accepted.answer_request.outcome == "unknown"
    if found_nothing and not answer.source_ids:
        return _actions.sign_in(accepted.sign_in_for, accepted.language)  # replaces what was shown
    with_offer = _actions.with_sign_in(answer, accepted.sign_in_for, accepted.language)
    yield with_offer.text[len(answer.text) :]
    return with_offer


def _answered_last(history: list[Turn]) -> bool:
    """Whether the conversation's last turn is the bot answering from the knowledge base."""
    return bool(history) and history[-1].sender == "bot" and history[-1].answered and bool(history[-1].source_ids)


def _reply(accepted: Accepted, provider: AnswerProvider) -> AnswerStream:
    """The reply's text as it is produced; on any model failure, the offline answer instead."""
    if accepted.thanked:
        glad = glad_it_helped(accepted.language)
        yield glad.text
        return glad
    if accepted.planned is not None:
        acted = _tool_calls.reply(
            accepted.planned, session_id=accepted.session_id, customer=accepted.customer,
            language=accepted.language, provider=provider,
        )  # fmt: skip
        yield acted.text
        return acted
    if accepted.handover is not None or accepted.answer_request is None:
        trigger = accepted.handover or Handover("customer asked for a person", "person")
        handover = _handover.reply(
            already=accepted.state == "waiting", reason=trigger.reason, kind=trigger.kind, language=accepted.language
        )
        yield handover.text
        return handover
    if accepted.spent_budgets:
        log.warning(
            "model budget spent; answering from the knowledge base without the model",
            extra={"budgets": list(accepted.spent_budgets), "message_id": accepted.user_message.id},
        )
        offline = replace(_offline_answer(accepted.answer_request), degraded=True, degraded_reason="budget")
        yield offline.text
        return offline
    shown = False
    try:
        stream = provider.stream(accepted.answer_request)
        while True:
            try:
                delta = next(stream)
            except StopIteration as finished:
                answer: Answer = finished.value
                return answer
            shown = True
            yield delta
    except errors.ModelFailed as exc:
        log.warning("model failed; answering offline", extra={"provider": provider.name, "reason": str(exc)})
        guarded = isinstance(exc, errors.ModelOutputRejected)
    except Exception:
        log.exception("answer provider failed; answering offline", extra={"provider": provider.name})
        guarded = False
    fallback = replace(_offline_answer(accepted.answer_request), degraded=True, guarded=guarded)
    if not shown:
        yield fallback.text
    return fallback


def _offline_answer(request: AnswerRequest) -> Answer:
    try:
        return offline_provider().answer(request)
    except Exception:
        log.exception("offline fallback failed")
        return replies.apology()


def _store(accepted: Accepted, answer: Answer) -> MessageExchange:
    return replies.store(accepted.session_id, accepted.user_message, answer, accepted.answer_request)


def _stream_events(accepted: Accepted, provider: AnswerProvider) -> Iterator[str]:
    with retries.answering(accepted.user_message.id):
        yield from _answer_events(accepted, provider)


def _answer_events(accepted: Accepted, provider: AnswerProvider) -> Iterator[str]:
    stream = _compose(accepted, provider)
    streamed: list[str] = []
    yield sse("start", {"user_message": accepted.user_message.model_dump(mode="json")})
    try:
        while True:
            try:
                delta = next(stream)
            except StopIteration as finished:
                answer: Answer = finished.value
                break
            streamed.append(delta)
            yield sse("delta", {"text": delta})
    except GeneratorExit:
        # The client went away: finish the answer and store it, so a reload shows it whole.
        _store(accepted, collect(stream))
        raise
    try:
        exchange = _store(accepted, answer)
    except errors.AppError as exc:
        yield sse("error", exc.to_body())
        return
    final = exchange.model_dump(mode="json")
    replaced = exchange.reply is None or "".join(streamed) != exchange.reply.content
    yield sse("done", {**final, "replaced": replaced})
