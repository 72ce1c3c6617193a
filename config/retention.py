"""Read the `[retention]` table: how long reports, residents' ids and sent messages are kept."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from config.schedule import DurationValue
from reports.retention import RetentionRule
from reports.schedule import Duration

_ONE_DAY = timedelta(days=1)

_WHAT = {
    RetentionRule.RESIDENT_IDS: "after a report became resolved or cancelled: the resident's"
    " Telegram ids and contact consent are removed from it, with its messages to the resident"
    " and the text of its partner messages",
    RetentionRule.CANCELLED_REPORTS: "after a report was cancelled: it is deleted with its"
    " photos, audit trail, case messages, follow-ups, survey and outbox rows",
    RetentionRule.RESOLVED_REPORTS: "after a report was resolved: it is deleted with its"
    " photos, audit trail, case messages, follow-ups, survey and outbox rows",
    RetentionRule.OUTBOX: "after an outbox row was sent, failed, cancelled or expired: deleted,"
    " or only its text when a report still needs the row; rows of open reports wait, and what"
    " partner chats received waits for the resident_ids rule",
    RetentionRule.INBOX: "after an update from Telegram was handled or parked: deleted (a"
    " handled update's content is already removed when it is handled; a parked one keeps it"
    " for inspection until then)",
}


class Retention(BaseModel):
    """How long Meldbot keeps what it stored (seconds or ISO 8601 durations, at least a day)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resident_ids_after: DurationValue = Duration(days=365)
    cancelled_reports_after: DurationValue = Duration(years=1)
    resolved_reports_after: DurationValue = Duration(years=5)
    outbox_after: DurationValue = Duration(days=30)
    inbox_after: DurationValue = Duration(days=7)

    @field_validator(
        "resident_ids_after",
        "cancelled_reports_after",
        "resolved_reports_after",
        "outbox_after",
        "inbox_after",
    )
    @classmethod
    def _at_least_a_day(cls, value: Duration) -> Duration:
        """Refuse a period shorter than the daily run that enforces it."""
        if not value.is_calendar and value.elapsed() < _ONE_DAY:
            raise ValueError("must be at least one day (P1D): retention runs once a day")
        return value

    @model_validator(mode="after")
    def _ids_not_after_the_report(self) -> Retention:
        """Refuse ids kept longer than the longest-kept report that holds them."""
        if self.resident_ids_after.approximate() > self.resolved_reports_after.approximate():
            raise ValueError(
                "resident_ids_after must not be longer than resolved_reports_after"
                " (a report cannot keep its resident's ids after it was deleted)"
            )
        return self

    def period(self, rule: RetentionRule) -> Duration:
        """Return how long a rule keeps its records."""
        return {
            RetentionRule.RESIDENT_IDS: self.resident_ids_after,
            RetentionRule.CANCELLED_REPORTS: self.cancelled_reports_after,
            RetentionRule.RESOLVED_REPORTS: self.resolved_reports_after,
            RetentionRule.OUTBOX: self.outbox_after,
            RetentionRule.INBOX: self.inbox_after,
        }[rule]

    def describe(self) -> dict[str, str]:
        """Return every rule with its period and what it removes, for `check-config`."""
        return {rule.value: f"{self.period(rule)} {_WHAT[rule]}" for rule in RetentionRule}
