"""The customer's mood in a conversation, from the words they use: a guess for summaries written without a model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from shared.text.turns import Turn

Sentiment = Literal["positive", "neutral", "negative", "mixed"]

_UPSET = re.compile(
    r"\?\?|!!|\b(ridiculous|unacceptable|terrible|awful|horrible|worst|useless|disappointed|disappointing|angry|"
    r"furious|frustrat\w*|annoy\w*|fed up|joke|scam|chargeback|complain\w*|never again|wtf|still (nobody|no one|"
    r"nothing|waiting)|inadmissible|inacceptable|nul|honteux|inaceptable|vergonzoso|unverschämt|frechheit|"
    r"enttäuscht|vergogna|inaccettabile|absurdo|ridicule)\b|[😡😠🤬😤😩😞]",
    re.IGNORECASE,
)
_PLEASED = re.compile(
    r"\b(thanks|thank you|thx|great|perfect|awesome|amazing|excellent|love|appreciate\w*|brilliant|helpful|"
    r"merci|parfait|gracias|perfecto|genial|danke|super|prima|grazie|perfetto|obrigad[oa]|ótimo)\b|[👍🙏😊🙂❤]",
    re.IGNORECASE,
)


def customer_sentiment(turns: Sequence[Turn]) -> Sentiment:
    """ "negative", "positive", "mixed" or "neutral": whether the customer sounded upset, pleased, both or neither."""
    said = " ".join(t.content for t in turns if t.sender == "user")
    upset, pleased = bool(_UPSET.search(said)), bool(_PLEASED.search(said))
    if upset and pleased:
        return "mixed"
    return "negative" if upset else "positive" if pleased else "neutral"
