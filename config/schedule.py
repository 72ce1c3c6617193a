"""Read the `[schedule]` table: when follow-ups, surveys, tips and digests go out."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, field_validator

from reports.followup import FollowupPolicy
from reports.schedule import Duration, QuietHours, SendPolicy


def _duration(value: object) -> Duration:
    """Accept seconds or an ISO 8601 duration text."""
    return value if isinstance(value, Duration) else Duration.parse(value)


def _quiet_hours(value: object) -> QuietHours | None:
    """Accept "HH:MM-HH:MM", or an empty text for none."""
    if value is None or isinstance(value, QuietHours):
        return value
    if not isinstance(value, str):
        raise ValueError('quiet hours must be a text such as "21:00-09:00" (empty: none)')
    return QuietHours.parse(value)


DurationValue = Annotated[
    Duration, PlainValidator(_duration), PlainSerializer(str, return_type=str)
]
QuietHoursValue = Annotated[
    QuietHours | None,
    PlainValidator(_quiet_hours),
    PlainSerializer(lambda quiet: "" if quiet is None else str(quiet), return_type=str),
]


class Schedule(BaseModel):
    """Delays of proactive messages (seconds or ISO 8601 durations), quiet hours and the tick."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    followup_after: DurationValue = Duration(days=3)
    followup_repeat: DurationValue = Duration(days=7)
    followup_max: int = Field(default=3, ge=0, le=20)
    survey_after_resolution: DurationValue = Duration(days=1)
    survey_window: DurationValue = Duration(days=14)
    tips_after_report: DurationValue = Duration(hours=2)
    digest_every: DurationValue = Duration(months=1)
    quiet_hours: QuietHoursValue = QuietHours.parse("21:00-09:00")
    grace: DurationValue = Duration(days=2)
    tick: DurationValue = Duration(seconds=30)

    @field_validator(
        "followup_after",
        "followup_repeat",
        "survey_after_resolution",
        "survey_window",
        "tips_after_report",
        "digest_every",
        "grace",
    )
    @classmethod
    def _positive(cls, value: Duration) -> Duration:
        """Refuse an empty duration."""
        if value.is_zero:
            raise ValueError("must be longer than zero")
        return value

    @field_validator("tick")
    @classmethod
    def _short_fixed_tick(cls, value: Duration) -> Duration:
        """Keep the sweep interval a fixed time between 0.05 seconds and one hour."""
        seconds = value.approximate().total_seconds()
        if value.is_calendar or not 0.05 <= seconds <= 3600:
            raise ValueError("must be between 0.05 seconds and one hour (PT0.05S to PT1H)")
        return value

    def send_policy(self, zone: ZoneInfo) -> SendPolicy:
        """Return when proactive messages may go out in this time zone."""
        return SendPolicy(zone=zone, grace=self.grace, quiet=self.quiet_hours)

    def followup_policy(self, zone: ZoneInfo) -> FollowupPolicy:
        """Return when to ask residents whether a problem is still going on."""
        return FollowupPolicy(
            after=self.followup_after,
            repeat=self.followup_repeat,
            limit=self.followup_max,
            send=self.send_policy(zone),
        )
