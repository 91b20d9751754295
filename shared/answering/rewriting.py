"""A follow-up rewritten by the model to stand on its own: "and to Canada?" → "Do you ship to Canada?".

Retrieval then searches the rewrite in place of the message (`knowledge.lookup`). Only a model
rewrites, only with a conversation before the message, and only from its last few turns. The
customer waits for it, so a rewrite that fails, is late, empty or far too long is simply not used:
the follow-up is then read without the model (`knowledge.followups`), never an error. The call's
usage is recorded on the thread (`clients.metering`), so the reply charges it to the conversation.
"""

from __future__ import annotations

import logging
import time
from contextlib import closing

from pydantic import BaseModel, Field

from shared.answering.guard import OutputGuard
from shared.answering.prompts import Prompt, rewrite_prompt
from shared.answering.structured import Chunk, StructuredProvider, parse, usage
from shared.answering.types import AnswerProvider
from shared.clients import metering
from shared.core.errors import ModelFailed
from shared.core.settings import get_settings
from shared.text.language import language_of
from shared.text.turns import Turn

log = logging.getLogger("support.model")
MAX_TURNS = 6
# What spelling out a reference may add to the message; a longer rewrite is no rewrite of it.
MAX_ADDED_CHARS = 300


class ModelRewrite(BaseModel):
    """The structure the model must return for a rewrite."""

    standalone: str = Field(description="The customer's latest message as a question that stands on its own")


def standalone_question(
    message: str, history: list[Turn], provider: AnswerProvider, *, locale: str | None = None
) -> str | None:
    """`message` rewritten from the last turns to stand on its own; None without a model, history or usable rewrite."""
    settings = get_settings()
    if not (history and settings.rewrite_follow_ups and isinstance(provider, StructuredProvider)):
        return None
    prompt = rewrite_prompt(message, history[-MAX_TURNS:], settings, language=language_of(message, locale))
    try:
        rewritten = _ask(provider, prompt, timeout=settings.rewrite_timeout_seconds)
    except ModelFailed as exc:
        log.warning("follow-up rewrite failed; reading it without the model", extra={"reason": str(exc)})
        return None
    except Exception:
        log.exception("follow-up rewrite broke; reading it without the model")
        return None
    return rewritten if _usable(rewritten, message, OutputGuard(prompt.system, prompt.canary)) else None


def _ask(provider: StructuredProvider, prompt: Prompt, *, timeout: float) -> str:
    """The model's rewrite; what the call cost is recorded on this thread, whatever its reply."""
    started = time.perf_counter()
    chunks: list[Chunk] = []
    try:
        with closing(provider.send(prompt, ModelRewrite, stream=False, timeout=timeout)) as sent:
            chunks.extend(sent)
    finally:
        if chunks:
            metering.record(usage(provider.model, chunks, started))
    return parse(ModelRewrite, "".join(c.text for c in chunks)).standalone.strip()


def _usable(rewritten: str, message: str, guard: OutputGuard) -> bool:
    if not rewritten or len(rewritten) > len(message) + MAX_ADDED_CHARS or guard.leaks(rewritten):
        log.warning("follow-up rewrite not used", extra={"chars": len(rewritten)})
        return False
    return True
