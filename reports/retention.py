"""Name the retention rules, the records they remove and how, as the deletion log stores them.

The values are stored in SQLite (table deletion_log), so a member's value never changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum


class RetentionRule(StrEnum):
    """Why records are removed: one rule per configured period of `[retention]`."""

    RESIDENT_IDS = "resident_ids"
    """A final report loses its resident's Telegram ids and contact consent."""
    CANCELLED_REPORTS = "cancelled_reports"
    """A cancelled report is deleted with everything attached to it."""
    RESOLVED_REPORTS = "resolved_reports"
    """A resolved (closed) report is deleted with everything attached to it."""
    OUTBOX = "outbox"
    """A finished outbox row (sent, failed, cancelled, expired) loses its text or goes."""
    INBOX = "inbox"
    """A handled or parked update from Telegram is deleted."""


class RecordKind(StrEnum):
    """What kind of record a rule removed or changed (a table, in the singular)."""

    REPORT = "report"
    PHOTO = "report_photo"
    EVENT = "report_event"
    CASE_MESSAGE = "case_message"
    FOLLOWUP = "followup"
    SURVEY = "survey"
    FOLLOWER = "report_follower"
    """A co-reporter's tie to a report (`report_followers`)."""
    OUTBOX = "outbox"
    UPDATE = "inbox_update"


class Removal(StrEnum):
    """What happened to the records."""

    DELETED = "deleted"
    ANONYMISED = "anonymised"
    """The resident's ids and contact consent were removed; the record stays."""
    EMPTIED = "emptied"
    """The text was removed; the bookkeeping (status, times, dedupe key) stays."""


@dataclass
class Tally:
    """How many records of each kind one step removed, and how many items it handled."""

    handled: int = 0
    """Reports or outbox rows the step worked on: the service repeats it while this is > 0."""
    counts: Counter[tuple[RecordKind, Removal]] = field(default_factory=Counter)

    def add(self, kind: RecordKind, removal: Removal, count: int) -> None:
        """Count `count` records of a kind removed in this way."""
        if count:
            self.counts[(kind, removal)] += count
