"""Turn a response target ("2h", "1wd") into a deadline, counting office time for working days.

Units:

- `m`, `h`: elapsed minutes or hours, on the clock, day and night ("2h" after 23:30 is 01:30).
- `d`: calendar days: the same local clock time N days later (a DST change makes such a day 23
  or 25 hours long).
- `wd`: working days of office time. N working days are N times the length of one office day
  (08:30-17:00 is 8.5 hours), counted only within office hours on working days that are not
  holidays (public holidays or the municipality's own closing days), from the start, or from
  the next office opening when the start is outside office hours. So with 08:30-17:00, "1wd"
  from Friday 16:00 is due Monday 16:00, and from Saturday (or Friday 17:00, or Monday 07:00)
  it is due at the end of that next working day, Monday 17:00.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, cast
from zoneinfo import ZoneInfo

TargetUnit = Literal["m", "h", "d", "wd"]
_TARGET = re.compile(r"^([1-9]\d{0,3})(m|h|d|wd)$")
MONDAY_TO_FRIDAY = frozenset(range(5))


@dataclass(frozen=True, slots=True)
class ResponseTarget:
    """How soon a partner should pick a report up: an amount of minutes, hours or (working) days."""

    amount: int
    unit: TargetUnit

    @classmethod
    def parse(cls, text: str) -> ResponseTarget:
        """Read "30m", "2h", "2d" or "1wd"; raise ValueError otherwise."""
        match = _TARGET.match(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a response target like 30m, 2h, 2d or 1wd (working days)"
            )
        return cls(int(match[1]), cast(TargetUnit, match[2]))

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Office hours, working weekdays (0 = Monday) and holidays, in the municipality's zone.

    `public_holidays` is asked per date, so it can be any container: a set, or a provider that
    computes a year's holidays when first asked (a holiday library, for every year). `holidays`
    are the municipality's own closing days on top of those.
    """

    zone: ZoneInfo
    office_start: time = time(8, 30)
    office_end: time = time(17, 0)
    workdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = frozenset()
    public_holidays: Container[date] = frozenset()

    def __post_init__(self) -> None:
        if self.office_start >= self.office_end:
            raise ValueError("the office must open before it closes")
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError("workdays must be weekday numbers 0 (Monday) to 6 (Sunday)")

    @property
    def office_day(self) -> timedelta:
        """Return the length of one office day."""
        today = date.today()
        return _wall(today, self.office_end) - _wall(today, self.office_start)

    def is_working_day(self, day: date) -> bool:
        """Return whether the office is open on this local date."""
        return (
            day.weekday() in self.workdays
            and day not in self.holidays
            and day not in self.public_holidays
        )

    def deadline(self, start: datetime, target: ResponseTarget) -> datetime:
        """Return when a report received at `start` (aware) is due, as an aware UTC datetime."""
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("deadline needs an aware datetime")
        if target.unit == "m":
            return start.astimezone(UTC) + timedelta(minutes=target.amount)
        if target.unit == "h":
            return start.astimezone(UTC) + timedelta(hours=target.amount)
        local = start.astimezone(self.zone).replace(tzinfo=None)
        if target.unit == "d":
            return self._aware(local + timedelta(days=target.amount))
        return self._aware(self._add_office_time(local, self.office_day * target.amount))

    def _add_office_time(self, cursor: datetime, remaining: timedelta) -> datetime:
        """Count `remaining` office time from a naive local wall time; return the wall time."""
        while True:
            day = cursor.date()
            if self.is_working_day(day):
                opens, closes = _wall(day, self.office_start), _wall(day, self.office_end)
                cursor = max(cursor, opens)
                if cursor < closes:
                    available = closes - cursor
                    if remaining <= available:
                        return cursor + remaining
                    remaining -= available
            cursor = _wall(day + timedelta(days=1), time(0))

    def _aware(self, wall: datetime) -> datetime:
        return wall.replace(tzinfo=self.zone).astimezone(UTC)


def _wall(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock)
