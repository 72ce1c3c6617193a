"""Name the records the chain keeps around reports: audit lines, opt-outs and subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from reports.kinds import ActorKind, CaseRole


class OptOut(StrEnum):
    """Why a resident gets no proactive messages (the values are stored in SQLite)."""

    STOP = "stop"  # /stop or the stop button; /start undoes it
    BLOCKED = "blocked"  # Telegram answered 403; writing to the bot again undoes it


@dataclass(frozen=True)
class CaseEvent:
    """One line of a report's audit trail."""

    at: str
    actor: str
    actor_id: int | None
    partner_id: str | None
    action: str
    from_status: str | None
    to_status: str | None
    detail: str | None


@dataclass(frozen=True)
class Subscription:
    """A resident's subscription: their wijk and the period the next digest covers."""

    user_id: int
    wijk_code: str
    since: datetime
    next_at: datetime


@dataclass(frozen=True)
class CaseMessage:
    """A message that belongs to a report: a notification, a question, a prompt."""

    report_id: int
    partner_id: str
    role: CaseRole
    chat_id: int
    action: str | None
    user_id: int | None


@dataclass(frozen=True)
class Actor:
    """Who changes a report: a caseworker (with id and first name), the resident or the system."""

    kind: ActorKind
    user_id: int | None = None
    name: str | None = None
    partner_id: str | None = None


SYSTEM = Actor(ActorKind.SYSTEM)
RESIDENT = Actor(ActorKind.RESIDENT)
