"""Abuse limits refuse with a 429; model budgets only make replies go without the model.

Session creation is limited per client address (a minute and a day), messages per session (a
minute): over one, the request is refused with Retry-After before anything is stored. Model
tokens are budgeted per session and for the whole deployment (a day each): once one is spent
the customer's message is still stored and answered from the knowledge base without the model
(see `shared.services.chat`). Budgets are charged with what the model reported after each
call, so calls in flight when one runs out may overshoot it slightly. Every window slides
(`shared.db.limits`). A limit set to 0 is off.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping

import sqlalchemy as sa

from shared.core import errors
from shared.core.settings import get_settings
from shared.db import limits
from shared.db.limits import Rule

MINUTE, DAY = 60, 86_400
DEPLOYMENT_TOKENS = "tokens:all"


def _address_key(client_ip: str) -> str:
    # Counters outlive requests by up to two days: keep a pseudonym of the address, not the address.
    return hashlib.sha256(client_ip.encode()).hexdigest()[:32]


def _active(rules: list[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.limit > 0]


def session_creation_rules(client_ip: str) -> list[Rule]:
    """Sessions a client address may open per minute and per day."""
    settings = get_settings()
    key = f"sessions:ip:{_address_key(client_ip)}"
    return _active(
        [
            Rule(f"{key}:minute", settings.rate_limit_sessions_per_minute, MINUTE),
            Rule(f"{key}:day", settings.rate_limit_sessions_per_day, DAY),
        ]
    )


def message_rules(session_id: uuid.UUID) -> list[Rule]:
    """Messages (and summaries: each may call a model) a session may send per minute."""
    return _active([Rule(f"messages:session:{session_id}", get_settings().rate_limit_messages_per_minute, MINUTE)])


def token_rules(session_id: uuid.UUID) -> list[Rule]:
    """The model-token budgets a session's calls draw on: its own and the deployment's, per day."""
    settings = get_settings()
    return _active(
        [
            Rule(f"tokens:session:{session_id}", settings.rate_limit_session_tokens_per_day, DAY),
            Rule(DEPLOYMENT_TOKENS, settings.rate_limit_tokens_per_day, DAY),
        ]
    )


def admit_session(conn: sa.Connection, client_ip: str) -> None:
    """Count one session for `client_ip`, or raise RateLimited."""
    if wait := limits.take(conn, session_creation_rules(client_ip)):
        raise errors.RateLimited(
            "Too many conversations were started from your network. Please wait a moment and try again.",
            retry_after=wait,
        )


def admit_message(conn: sa.Connection, session_id: uuid.UUID) -> None:
    """Count one message (or summary) for the session, or raise RateLimited."""
    if wait := limits.take(conn, message_rules(session_id)):
        raise errors.RateLimited(
            "You're sending messages a little fast. Please wait a moment, then try again.", retry_after=wait
        )


def spent_budgets(conn: sa.Connection, session_id: uuid.UUID) -> list[str]:
    """Which model budgets the session's next model call would exceed: `session`, `deployment`, or none."""
    rules = token_rules(session_id)
    full = limits.full(conn, rules)
    return ["deployment" if rule.key == DEPLOYMENT_TOKENS else "session" for rule in rules if rule.key in full]


def charge_deployment_tokens(conn: sa.Connection, usage: Mapping[str, object] | None) -> None:
    """Count the tokens of model calls that belong to no conversation (drafts, embeddings) against the deployment's."""
    rules = [rule for rule in token_rules(uuid.UUID(int=0)) if rule.key == DEPLOYMENT_TOKENS]
    usage = usage or {}
    spent = sum(value for name in ("input_tokens", "output_tokens") if isinstance(value := usage.get(name), int))
    limits.add(conn, rules, spent)


def charge_tokens(conn: sa.Connection, session_id: uuid.UUID, usage: dict[str, object] | None) -> None:
    """Count the tokens a model call reported against the session's budgets."""
    if not usage:
        return
    spent = sum(int(value) for name in ("input_tokens", "output_tokens") if isinstance(value := usage.get(name), int))
    limits.add(conn, token_rules(session_id), spent)
