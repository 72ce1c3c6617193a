"""Which inbox update the running code handles, so its transactions can say so.

The intake sets `HANDLING` around the handlers of one update. Every write transaction that
commits meanwhile marks that update *applied* in the same transaction (`Database.transaction`),
so after a crash it is known whether the update's effects are stored; and every outbox row it
queues without a key of its own gets one derived from the update, so handling the update again
after a crash does not queue the same message twice.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Handling:
    """One attempt at handling one inbox update."""

    update_id: int
    failed: bool = False
    """Set when a handler raised; the update is then tried again or parked."""
    _queued: int = field(default=0, repr=False)

    def next_key(self, kind: str | None, chat_id: int) -> str:
        """Return a dedupe key for the next message this update queues."""
        self._queued += 1
        return f"update:{self.update_id}:{kind or '-'}:{chat_id}:{self._queued}"


HANDLING: ContextVar[Handling | None] = ContextVar("meldbot_handling", default=None)


def current() -> Handling | None:
    """Return the update being handled in this context, if any."""
    return HANDLING.get()
