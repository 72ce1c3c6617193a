"""Response targets become deadlines: clock time, calendar days, or office time on working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.deadlines import ResponseTarget, WorkingCalendar

ZONE = ZoneInfo("Europe/Amsterdam")
HOLIDAYS_2026 = frozenset(
    {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 5),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 24),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }
)
CALENDAR = WorkingCalendar(zone=ZONE, public_holidays=HOLIDAYS_2026)


def local(text: str) -> datetime:
    """Return an aware Enschede time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def due(start: str, target: str, calendar: WorkingCalendar = CALENDAR) -> datetime:
    return calendar.deadline(local(start), ResponseTarget.parse(target))


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [("30m", 30, "m"), ("2h", 2, "h"), ("4h", 4, "h"), ("2d", 2, "d"), ("1wd", 1, "wd"),
     ("3wd", 3, "wd"), ("120m", 120, "m")],
)  # fmt: skip
def test_a_response_target_is_read_from_its_short_form(text: str, amount: int, unit: str) -> None:
    target = ResponseTarget.parse(text)
    assert (target.amount, target.unit) == (amount, unit)
    assert str(target) == text


@pytest.mark.parametrize(
    "text", ["", "2", "h", "0h", "02h", "-1h", "1.5h", "2w", "2 h", "2H", "wd"]
)
def test_a_malformed_response_target_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a response target"):
        ResponseTarget.parse(text)


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        # 2026-05-08 is a Friday; office 08:30-17:00, one office day is 8.5 hours.
        ("2026-05-08 16:00", "1wd", "2026-05-11 16:00"),
        ("2026-05-09 11:00", "1wd", "2026-05-11 17:00"),
        ("2026-05-10 23:00", "1wd", "2026-05-11 17:00"),
        ("2026-05-08 17:00", "1wd", "2026-05-11 17:00"),
        ("2026-05-11 07:00", "1wd", "2026-05-11 17:00"),
        ("2026-05-11 08:30", "1wd", "2026-05-11 17:00"),
        ("2026-05-11 12:00", "1wd", "2026-05-12 12:00"),
        ("2026-06-01 10:00", "3wd", "2026-06-04 10:00"),
        ("2026-05-11 20:00", "2wd", "2026-05-13 17:00"),
        ("2026-05-18 16:59", "1wd", "2026-05-19 16:59"),
    ],
)
def test_working_days_count_office_time_from_the_start_or_the_next_opening(
    start: str, target: str, expected: str
) -> None:
    assert due(start, target) == local(expected)


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        # Thursday before Easter: Good Friday and Easter Monday are skipped.
        ("2026-04-02 16:00", "1wd", "2026-04-07 16:00"),
        # Friday before Koningsdag (Monday 27 April).
        ("2026-04-24 16:00", "1wd", "2026-04-28 16:00"),
        # Bevrijdingsdag, Tuesday 5 May.
        ("2026-05-04 16:00", "1wd", "2026-05-06 16:00"),
        # The evening before Hemelvaartsdag (Thursday 14 May).
        ("2026-05-13 17:00", "1wd", "2026-05-15 17:00"),
        # Christmas Eve at noon: Christmas on Friday, then the weekend.
        ("2026-12-24 12:00", "1wd", "2026-12-28 12:00"),
        # A report made on a holiday waits for the next working day's opening.
        ("2026-05-25 10:00", "1wd", "2026-05-26 17:00"),
    ],
)
def test_holidays_are_not_working_days(start: str, target: str, expected: str) -> None:
    assert due(start, target) == local(expected)


def test_a_working_day_target_across_the_spring_dst_change_keeps_office_time() -> None:
    # Friday 27 March 2026 16:00 CET; clocks go forward on Sunday 29 March.
    deadline = due("2026-03-27 16:00", "1wd")
    assert deadline == datetime(2026, 3, 30, 14, 0, tzinfo=UTC)  # Monday 16:00 CEST
    assert deadline.tzinfo is UTC


def test_a_working_day_target_across_the_autumn_dst_change_keeps_office_time() -> None:
    # Friday 23 October 2026 16:00 CEST; clocks go back on Sunday 25 October.
    assert due("2026-10-23 16:00", "1wd") == datetime(2026, 10, 26, 15, 0, tzinfo=UTC)


def test_calendar_days_keep_the_local_clock_time_across_a_dst_change() -> None:
    spring = due("2026-03-28 12:00", "2d")
    assert spring == local("2026-03-30 12:00")
    assert spring - local("2026-03-28 12:00") == timedelta(hours=47)
    autumn = due("2026-10-24 12:00", "1d")
    assert autumn == datetime(2026, 10, 25, 11, 0, tzinfo=UTC)  # Sunday 12:00 CET
    assert autumn - local("2026-10-24 12:00") == timedelta(hours=25)


def test_hours_are_elapsed_time_across_a_dst_change() -> None:
    assert due("2026-03-28 12:00", "48h") == local("2026-03-30 13:00")
    assert due("2026-03-29 01:30", "2h") == local("2026-03-29 04:30")
    assert due("2026-10-25 01:30", "2h") == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_hours_and_minutes_run_day_and_night_and_at_weekends() -> None:
    assert due("2026-05-09 23:30", "2h") == local("2026-05-10 01:30")
    assert due("2026-05-09 23:30", "30m") == local("2026-05-10 00:00")
    assert due("2026-12-25 10:00", "4h") == local("2026-12-25 14:00")


def test_the_deadline_is_in_utc_whatever_zone_the_start_is_given_in() -> None:
    start = datetime(2026, 5, 8, 14, 0, tzinfo=UTC)  # Friday 16:00 in Enschede
    deadline = CALENDAR.deadline(start, ResponseTarget.parse("1wd"))
    assert deadline == datetime(2026, 5, 11, 14, 0, tzinfo=UTC)
    assert deadline.utcoffset() == timedelta(0)


def test_a_working_day_target_counts_the_configured_office_hours_and_weekdays() -> None:
    short_week = WorkingCalendar(
        zone=ZONE, office_start=time(9, 0), office_end=time(12, 0), workdays=frozenset({0, 2})
    )
    assert short_week.office_day == timedelta(hours=3)
    # Monday 11:00: one hour left on Monday, two more on Wednesday.
    assert due("2026-05-11 11:00", "1wd", short_week) == local("2026-05-13 11:00")


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        CALENDAR.deadline(datetime(2026, 5, 8, 16, 0), ResponseTarget.parse("1wd"))


def test_a_calendar_whose_office_closes_before_it_opens_is_refused() -> None:
    with pytest.raises(ValueError, match="open before it closes"):
        WorkingCalendar(zone=ZONE, office_start=time(17, 0), office_end=time(8, 30))


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday numbers"):
        WorkingCalendar(zone=ZONE, workdays=frozenset())


def test_holidays_and_weekends_are_not_working_days() -> None:
    assert CALENDAR.is_working_day(date(2026, 5, 8))
    assert not CALENDAR.is_working_day(date(2026, 5, 9))
    assert not CALENDAR.is_working_day(date(2026, 4, 27))


def test_own_closing_days_are_skipped_on_top_of_the_public_holidays() -> None:
    # Friday 15 May 2026, between Hemelvaartsdag and the weekend, closed by the municipality.
    bridge_day = WorkingCalendar(
        zone=ZONE, holidays=frozenset({date(2026, 5, 15)}), public_holidays=HOLIDAYS_2026
    )
    assert not bridge_day.is_working_day(date(2026, 5, 15))
    assert not bridge_day.is_working_day(date(2026, 5, 14))
    assert due("2026-05-13 16:00", "1wd") == local("2026-05-15 16:00")
    assert due("2026-05-13 16:00", "1wd", bridge_day) == local("2026-05-18 16:00")
    without_public_holidays = WorkingCalendar(zone=ZONE, holidays=frozenset({date(2026, 5, 15)}))
    assert due("2026-05-13 16:00", "1wd", without_public_holidays) == local("2026-05-14 16:00")
