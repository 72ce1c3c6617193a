"""Decide when proactive messages may go out: durations, quiet hours and the grace period.

Proactive messages are the ones Meldbot sends on its own initiative to a resident who did not
just ask for something: follow-ups, surveys, tips and digests. Their outbox kinds start with
one of `PROACTIVE_KINDS` ("followup.question", "survey.step", ...), they are queued with bulk
priority, they wait out the quiet hours, and they expire when they could not be sent within the
grace period after they fell due. Replies and partner notifications are never proactive.

Durations are ISO 8601 (`P3D`, `PT2H`, `P1M`, `PT0.5S`) or plain seconds. Years, months, weeks
and days are calendar units counted on the local wall clock (P1D from 10:00 is 10:00 the next
day, also across a daylight-saving change; P1M from 31 January is 28 or 29 February); hours,
minutes and seconds are elapsed time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PROACTIVE_KINDS = ("followup", "survey", "tip", "digest", "panel")
"""Outbox kind prefixes of proactive messages: "followup" covers "followup.question"."""

_DURATION = re.compile(
    r"P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?"
)
_CLOCK = re.compile(r"(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)")


def proactive_patterns() -> tuple[str, ...]:
    """Return SQLite GLOB patterns that match every proactive outbox kind."""
    return tuple(f"{prefix}.*" for prefix in PROACTIVE_KINDS)


def is_proactive(kind: str) -> bool:
    """Return whether an outbox kind is a proactive message."""
    return kind.split(".", 1)[0] in PROACTIVE_KINDS and "." in kind


@dataclass(frozen=True)
class Duration:
    """An ISO 8601 duration: calendar parts (Y, M, D) on the wall clock, then elapsed time."""

    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: float = 0.0

    @classmethod
    def parse(cls, value: object) -> Duration:
        """Read seconds (a number) or an ISO 8601 duration such as "P3D" or "PT30S"."""
        if isinstance(value, bool):
            raise ValueError("a duration is seconds or an ISO 8601 text such as P3D, not a bool")
        if isinstance(value, int | float):
            if value < 0 or value != value or value == float("inf"):
                raise ValueError(f"a duration cannot be {value!r} seconds")
            return cls(seconds=float(value))
        if not isinstance(value, str):
            raise ValueError(f"a duration is seconds or an ISO 8601 text, not {value!r}")
        match = _DURATION.fullmatch(value.strip().upper())
        if match is None:
            raise ValueError(
                f"{value!r} is not an ISO 8601 duration (examples: P3D, PT2H, P1M, PT30S)"
            )
        parts = match.groupdict()

        def whole(name: str) -> int:
            return int(parts[name] or 0)

        return cls(
            years=whole("years"),
            months=whole("months"),
            days=whole("days") + 7 * whole("weeks"),
            hours=whole("hours"),
            minutes=whole("minutes"),
            seconds=float((parts["seconds"] or "0").replace(",", ".")),
        )

    @property
    def is_calendar(self) -> bool:
        """Return whether the duration has years, months or days (wall-clock units)."""
        return bool(self.years or self.months or self.days)

    @property
    def is_zero(self) -> bool:
        """Return whether the duration is empty."""
        return not self.is_calendar and self.elapsed() == timedelta(0)

    def elapsed(self) -> timedelta:
        """Return the hours, minutes and seconds as elapsed time."""
        return timedelta(hours=self.hours, minutes=self.minutes, seconds=self.seconds)

    def approximate(self) -> timedelta:
        """Return a fixed length: a year of 365 days, a month of 30 (for intervals only)."""
        return timedelta(days=365 * self.years + 30 * self.months + self.days) + self.elapsed()

    def after(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """Return the moment this long after `moment` (aware, in UTC)."""
        return self._shift(moment, zone, 1)

    def before(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """Return the moment this long before `moment` (aware, in UTC)."""
        return self._shift(moment, zone, -1)

    def _shift(self, moment: datetime, zone: ZoneInfo, sign: int) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("durations are added to aware datetimes only")
        result = moment.astimezone(UTC)
        if self.is_calendar:
            local = moment.astimezone(zone)
            day = _add_months(local.date(), sign * (12 * self.years + self.months))
            day += timedelta(days=sign * self.days)
            wall = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
            result = wall.astimezone(UTC)
        return result + sign * self.elapsed()

    def __str__(self) -> str:
        """Return the canonical ISO 8601 text: "P3D", "PT30S", "P1MT2H"."""
        day_part = "".join(
            f"{amount}{unit}"
            for amount, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D"))
            if amount
        )
        seconds = (
            f"{self.seconds:g}" if self.seconds != int(self.seconds) else str(int(self.seconds))
        )
        time_part = "".join(
            f"{amount}{unit}"
            for amount, unit in ((self.hours, "H"), (self.minutes, "M"), (seconds, "S"))
            if amount not in (0, "0")
        )
        if not day_part and not time_part:
            return "PT0S"
        return f"P{day_part}" + (f"T{time_part}" if time_part else "")


def _add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local time, such as 21:00-09:00, that may wrap past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """Read "HH:MM-HH:MM"; an empty text means no quiet hours."""
        cleaned = text.strip()
        if not cleaned:
            return None
        first, sep, second = cleaned.partition("-")
        bounds = [_CLOCK.fullmatch(part.strip()) for part in (first, second)]
        if not sep or bounds[0] is None or bounds[1] is None:
            raise ValueError(f'quiet hours must look like "21:00-09:00", got {text!r}')
        start, end = (time(int(m["hour"]), int(m["minute"])) for m in bounds if m is not None)
        if start == end:
            raise ValueError("quiet hours must start and end at different times")
        return cls(start, end)

    def contains(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Return whether the moment falls inside the window, in local time."""
        clock = moment.astimezone(zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def window_end(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """Return when the window that contains the moment ends (aware, in UTC).

        An end time that the clock skips (a daylight-saving gap) counts as the same wall time
        read with the offset before the change, so it lies just after the gap.
        """
        local = moment.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=zone).astimezone(UTC)

    def deliverable(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """Return the moment itself outside the window, else the end of the window."""
        if self.contains(moment, zone):
            return self.window_end(moment, zone)
        return moment.astimezone(UTC)

    def __str__(self) -> str:
        """Return the window as "21:00-09:00"."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class SendPolicy:
    """When proactive messages may go out: outside quiet hours, and not long after they fell due."""

    zone: ZoneInfo
    grace: Duration
    quiet: QuietHours | None = None

    def deliverable_at(self, due: datetime) -> datetime:
        """Return when a proactive message due at `due` may be sent (moved past quiet hours)."""
        if self.quiet is None:
            return due.astimezone(UTC)
        return self.quiet.deliverable(due, self.zone)

    def quiet_until(self, now: datetime) -> datetime | None:
        """Return when the quiet hours that hold now end, or None outside them."""
        if self.quiet is None or not self.quiet.contains(now, self.zone):
            return None
        return self.quiet.window_end(now, self.zone)

    def expired_before(self, now: datetime) -> datetime:
        """Return the due time before which a proactive message is too late to send now."""
        return self.grace.before(now, self.zone)
