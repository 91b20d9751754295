"""The schema, one module per area; importing the package registers every table on `Base.metadata`.

Alembic's env and the schema test compare the migrations with `Base.metadata`.
"""

from __future__ import annotations

from shared.db.models.actions import ActionCall, ActionRequest
from shared.db.models.base import Base
from shared.db.models.conversations import (
    SENDERS,
    SESSION_STATES,
    ChatSession,
    ConversationEvent,
    CustomerSummary,
    Message,
    SessionSummary,
)
from shared.db.models.counters import ModelUsageHour, RateCounter
from shared.db.models.documents import (
    Document,
    KnowledgeSource,
    Passage,
    PassageLexeme,
    PassageTerm,
    PassageVector,
)
from shared.db.models.feedback import CsatRating, MessageFeedback
from shared.db.models.knowledge import (
    EntryVectors,
    KnowledgeEntry,
    KnowledgeText,
    Lexeme,
    RetrievalCalibration,
    SpellingWord,
    TermWeight,
    VocabularyWord,
)
from shared.db.models.knowledge_review import DismissedGap, EntryVersion, KnowledgeAudit, RegressionCase, ReplySource
from shared.db.models.metrics import MetricsDay, MetricsDayGroup
from shared.db.models.operators import Operator, OperatorAudit, OperatorIdempotency, OperatorRead, OperatorToken
from shared.db.models.outbox import OutboxMessage
from shared.db.models.privacy import PrivacyAudit

__all__ = [
    "SENDERS",
    "SESSION_STATES",
    "ActionCall",
    "ActionRequest",
    "Base",
    "ChatSession",
    "ConversationEvent",
    "CsatRating",
    "CustomerSummary",
    "DismissedGap",
    "Document",
    "EntryVectors",
    "EntryVersion",
    "KnowledgeAudit",
    "KnowledgeEntry",
    "KnowledgeSource",
    "KnowledgeText",
    "Lexeme",
    "Message",
    "MessageFeedback",
    "MetricsDay",
    "MetricsDayGroup",
    "ModelUsageHour",
    "Operator",
    "OperatorAudit",
    "OperatorIdempotency",
    "OperatorRead",
    "OperatorToken",
    "OutboxMessage",
    "Passage",
    "PassageLexeme",
    "PassageTerm",
    "PassageVector",
    "PrivacyAudit",
    "RateCounter",
    "RegressionCase",
    "ReplySource",
    "RetrievalCalibration",
    "SessionSummary",
    "SpellingWord",
    "TermWeight",
    "VocabularyWord",
]
