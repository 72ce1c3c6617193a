"""Name the days a statistic covers: whole local days from `--from` to `--to`, both included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """A period that cannot be: a malformed date, or a start after the end."""


def parse_day(text: str, flag: str = "--from") -> date:
    """Read a YYYY-MM-DD date; PeriodError with the flag's name when it is not one."""
    try:
        if not _DAY.match(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{flag} {text!r} is not a date like 2026-03-31") from None


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_start(day: date, back: int = 0) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Period:
    """A run of whole local days, `start` and `end` both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(
                f"--from {self.start.isoformat()} is after --to {self.end.isoformat()}:"
                " the period must start on or before the day it ends"
            )

    @classmethod
    def last_full_quarter(cls, today: date) -> Period:
        """Return the last calendar quarter that ended before `today`."""
        this_quarter = _quarter_start(today)
        end = this_quarter - timedelta(days=1)
        return cls(_quarter_start(end), end)

    @classmethod
    def month_of(cls, day: date) -> Period:
        """Return the calendar month that holds `day`."""
        return cls(_month_start(day), _month_start(day, -1) - timedelta(days=1))

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date) -> Period:
        """Read `--from`/`--to`: neither is the last full quarter; only `--from` runs to today;
        only `--to` starts on the first day of that date's quarter."""
        if start is None and end is None:
            return cls.last_full_quarter(today)
        last = parse_day(end, "--to") if end is not None else today
        first = parse_day(start, "--from") if start is not None else _quarter_start(last)
        return cls(first, last)

    @property
    def days(self) -> int:
        """Return the number of days, both ends included."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """Return the period of equal length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Return [first instant, first instant after) as aware datetimes in `zone`."""
        after = self.end + timedelta(days=1)
        return (
            datetime.combine(self.start, time(), tzinfo=zone),
            datetime.combine(after, time(), tzinfo=zone),
        )

    def months(self, count: int = 12) -> tuple[Period, ...]:
        """Return the `count` calendar months that end with the month of `end`, oldest first."""
        return tuple(Period.month_of(_month_start(self.end, back)) for back in range(count))[::-1]

    def label(self) -> str:
        """Return the period as text: "2026-01-01 to 2026-03-31"."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def slug(self) -> str:
        """Return the period for file names: "2026-01-01_2026-03-31"."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"
