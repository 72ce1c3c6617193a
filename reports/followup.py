"""Ask a resident whether the nuisance they reported is still going on, and when to ask again.

After `after` from the report, the resident is asked once. Only "still going on" leads to
another question, `repeat` after that answer, while fewer than `limit` questions were asked
and the report is open. Every question waits out the quiet hours (see `SendPolicy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from reports.schedule import Duration, SendPolicy

ADDITION_WINDOW = timedelta(days=1)
"""How long after "add information" the resident's next text or photo is added to the report."""
MIN_ADDITION_CHARS = 20
"""An addition is stored only when at least this much of it fits in the description."""


class FollowupAnswer(StrEnum):
    """What a resident answered to "is it still going on?" (the values are stored in SQLite)."""

    ONGOING = "ongoing"
    SOLVED = "solved"
    MORE = "more"


def followup_key(report_id: int, number: int, seat: int = 0) -> str:
    """Return the outbox dedupe key of a report's n-th follow-up to the resident in a seat
    (0: who made the report; n: its n-th co-reporter)."""
    key = f"followup:{report_id}:{number}"
    return key if seat == 0 else f"{key}:{seat}"


@dataclass(frozen=True)
class FollowupPolicy:
    """When to ask the first question, whether to ask again, and when."""

    after: Duration
    repeat: Duration
    limit: int
    send: SendPolicy

    def first_due(self, created_at: datetime) -> datetime | None:
        """Return when to ask about a report made at `created_at`; None when never."""
        if self.limit < 1:
            return None
        return self.send.deliverable_at(self.after.after(created_at, self.send.zone))

    def next_due(self, asked: int, answered_at: datetime) -> datetime | None:
        """Return when to ask again after the `asked`-th question was answered "ongoing"."""
        if asked >= self.limit:
            return None
        return self.send.deliverable_at(self.repeat.after(answered_at, self.send.zone))


def extended_description(description: str, addition: str, max_chars: int) -> str | None:
    """Return the description with the addition on a new paragraph, clipped to `max_chars`.

    None when not even a short piece of the addition fits any more.
    """
    joined = f"{description}\n\n{addition}" if description else addition
    if len(joined) <= max_chars:
        return joined
    room = max_chars - len(description) - 2
    if room < MIN_ADDITION_CHARS:
        return None
    return f"{description}\n\n{addition[: room - 1]}…"


def dated(addition: str, day: date) -> str:
    """Return an addition as it joins the description, with the day it came: "[01-12-2026] …"."""
    return f"[{day:%d-%m-%Y}] {addition}"
