"""Model calls that no reply carries, tallied in memory until a service charges them.

An answer's usage travels with the answer, and a summary's with the summary: whoever stores them
charges their conversation. Every other call (an embedding, a knowledge-base draft) reports its
usage here with `record`, in a tally of the thread that made it: a request is served on one
thread, so the reply stored at the end of a customer's request takes the embedding of their
question for their conversation, and an operator's request takes its drafts and embeddings for
the deployment (`services._model_usage`). Recording opens no connection, so it is safe anywhere,
also while a connection is held or inside a transaction that will be rolled back.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass
class Tally:
    """Tokens of some model calls; thinking tokens are billed as output, so they are in output_tokens too."""

    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    calls: int = 0

    @classmethod
    def of(cls, usage: Mapping[str, object] | None) -> Tally:
        """The tally of one call's usage record (none: no call)."""
        tally = cls()
        if usage:
            tally.add(usage)
        return tally

    def add(self, usage: Mapping[str, object]) -> None:
        """Count one call's usage record."""
        for name in ("input_tokens", "output_tokens", "thinking_tokens"):
            if isinstance(value := usage.get(name), int):
                setattr(self, name, getattr(self, name) + value)
        self.calls += 1

    def counts(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_thread = threading.local()


def record(usage: Mapping[str, object]) -> None:
    """Note one model call's usage (`input_tokens`, `output_tokens`, `thinking_tokens`) on this thread."""
    tally: Tally | None = getattr(_thread, "tally", None)
    if tally is None:
        tally = _thread.tally = Tally()
    tally.add(usage)


def take() -> Tally:
    """Everything this thread recorded since its last take; its tally starts again from zero."""
    taken: Tally = getattr(_thread, "tally", None) or Tally()
    _thread.tally = Tally()
    return taken
