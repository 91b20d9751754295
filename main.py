"""Every Cloud Function entry point; the deployed source's root module.

Each name below is deployed as its own function (`entry_point`) and served locally at
`/<name>`. Importing this module opens no connection and loads no model SDK.
"""

from functions.deployment import prepare_deployment
from functions.feedback import post_feedback
from functions.maintenance import deliver_notifications, purge_expired
from functions.messages import post_message
from functions.operator_api import operator_api
from functions.sessions import create_session, delete_session, get_messages, post_contact, post_csat
from functions.summaries import summarize_session

__all__ = [
    "create_session",
    "delete_session",
    "deliver_notifications",
    "get_messages",
    "operator_api",
    "post_contact",
    "post_csat",
    "post_feedback",
    "post_message",
    "prepare_deployment",
    "purge_expired",
    "summarize_session",
]

# Called by the widget, with a session token; everything else is private (IAM only) except the
# operator API, public because the console's browser calls it, which refuses anything without an
# operator token.
CONSOLE_ENTRY_POINTS = ("operator_api",)
PUBLIC_ENTRY_POINTS = (
    "create_session",
    "delete_session",
    "get_messages",
    "post_contact",
    "post_csat",
    "post_feedback",
    "post_message",
    "summarize_session",
)

ENTRY_POINTS: tuple[str, ...] = tuple(__all__)
