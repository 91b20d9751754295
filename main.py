"""Every Cloud Function entry point; the deployed source's root module.

Each name below is deployed as its own function (`entry_point`) and served locally at
`/<name>`. Importing this module imports none of them: functions-framework serves one target
per process and reads it with `getattr(main, target)`, which imports only the module of
`functions/` that defines it (PEP 562), so a customer's function never loads the operator
console's code and only the answering function loads the encoders.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each entry point and the module of functions/ that defines it.
_MODULES = {
    "confirm_action": "functions.actions",
    "create_session": "functions.sessions",
    "delete_session": "functions.sessions",
    "deliver_notifications": "functions.maintenance",
    "erase_my_data": "functions.privacy",
    "export_my_data": "functions.privacy",
    "get_conversations": "functions.customers",
    "get_messages": "functions.sessions",
    "identify": "functions.customers",
    "operator_api": "functions.operator_api",
    "post_contact": "functions.sessions",
    "post_csat": "functions.sessions",
    "post_feedback": "functions.feedback",
    "post_message": "functions.messages",
    "prepare_deployment": "functions.deployment",
    "purge_expired": "functions.maintenance",
    "resume_session": "functions.customers",
    "summarize_session": "functions.summaries",
    "sync_knowledge": "functions.knowledge_sync",
}

__all__ = list(_MODULES)

# Called by the widget, with a session token (get_conversations and resume_session: with the
# shop's identity token); everything else is private (IAM only) except the operator API, public
# because the console's browser calls it, which refuses anything without an operator token.
CONSOLE_ENTRY_POINTS = ("operator_api",)
PUBLIC_ENTRY_POINTS = (
    "confirm_action",
    "create_session",
    "delete_session",
    "erase_my_data",
    "export_my_data",
    "get_conversations",
    "get_messages",
    "identify",
    "post_contact",
    "post_csat",
    "post_feedback",
    "post_message",
    "resume_session",
    "summarize_session",
)

ENTRY_POINTS: tuple[str, ...] = tuple(__all__)


def __getattr__(name: str) -> Any:
    """The entry point `name`, imported from its module of functions/ on first access."""
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    entry_point = getattr(importlib.import_module(_MODULES[name]), name)
    globals()[name] = entry_point  # later reads find it without coming here
    return entry_point


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
