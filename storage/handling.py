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

from reports.models import Language
from reports.records import OptOut


@dataclass
class Handling:
    """One attempt at handling one inbox update."""

    update_id: int
    failed: bool = False
    """Set when a handler raised; the update is then tried again or parked."""
    error: str = ""
    """The kind of the first failure (an exception's class name)."""
    unreachable: bool = True
    """Whether every failure so far was Telegram being unreachable (see `fail`)."""
    told: bool = False
    """Set when the sender was shown that their update failed (and was asked to try again):
    the update is then not handled again behind their back."""
    choices: dict[int, tuple[Language | None, OptOut | None]] = field(
        default_factory=dict, repr=False
    )
    """Residents' chosen language and proactive opt-out as read while handling this update:
    most updates need the sender's more than once (`storage.residents`); a change forgets it."""
    drafts: dict[int, str | None] = field(default_factory=dict, repr=False)
    """A resident's draft (its JSON, None: none) read along with their choices, in the same
    trip to SQLite: for the first read of it while handling this update (`storage.drafts`);
    any write of their draft forgets it."""
    _queued: int = field(default=0, repr=False)

    def fail(self, error: BaseException) -> None:
        """Record a failure of a handler."""
        if not self.failed:
            self.error = type(error).__name__
        self.failed = True
        self.unreachable = self.unreachable and _unreachable(error)

    def next_key(self, kind: str | None, chat_id: int) -> str:
        """Return a dedupe key for the next message this update queues."""
        self._queued += 1
        return f"update:{self.update_id}:{kind or '-'}:{chat_id}:{self._queued}"


def _unreachable(error: BaseException) -> bool:
    """Return whether an error says only that Telegram could not be reached or answered 5xx.

    Told by name, so that storage needs no Telegram library: python-telegram-bot's
    NetworkError and TimedOut (its BadRequest and Forbidden are refusals, not outages).
    """
    names = {kind.__name__ for kind in type(error).__mro__}
    refused = {"BadRequest", "Forbidden", "Conflict", "InvalidToken", "ChatMigrated"}
    return bool(names & {"NetworkError", "TimedOut"}) and not names & refused


HANDLING: ContextVar[Handling | None] = ContextVar("meldbot_handling", default=None)


def current() -> Handling | None:
    """Return the update being handled in this context, if any."""
    return HANDLING.get()
