"""The statistics' pure definitions: periods, Wilson intervals, percentiles and thresholds."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.insight import (
    BuurtFigures,
    Durations,
    Period,
    PeriodError,
    SafetyMeasure,
    Share,
    per_thousand,
    percentile,
    wilson,
)


def test_the_default_period_is_the_last_full_quarter() -> None:
    assert Period.parse(None, None, date(2026, 5, 14)) == Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )
    assert Period.last_full_quarter(date(2026, 1, 1)) == Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )


def test_from_and_to_are_read_and_each_may_be_left_out() -> None:
    today = date(2026, 5, 14)
    assert Period.parse("2026-02-01", "2026-02-28", today).days == 28
    assert Period.parse("2026-05-01", None, today) == Period(date(2026, 5, 1), today)
    assert Period.parse(None, "2026-08-15", today) == Period(date(2026, 7, 1), date(2026, 8, 15))


def test_from_after_to_is_refused_with_both_dates_named() -> None:
    with pytest.raises(PeriodError, match="--from 2026-03-01 is after --to 2026-02-01"):
        Period.parse("2026-03-01", "2026-02-01", date(2026, 5, 1))


@pytest.mark.parametrize("text", ["2026-13-01", "1-2-2026", "", "gisteren"])
def test_a_malformed_date_names_its_flag(text: str) -> None:
    with pytest.raises(PeriodError, match="--to"):
        Period.parse("2026-01-01", text, date(2026, 5, 1))


def test_the_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    quarter = Period(date(2026, 1, 1), date(2026, 3, 31))
    before = quarter.previous()
    assert before == Period(date(2025, 10, 3), date(2025, 12, 31))
    assert before.days == quarter.days == 90


def test_bounds_are_local_midnights_and_months_end_with_the_period() -> None:
    zone = ZoneInfo("Europe/Amsterdam")
    start, after = Period(date(2026, 3, 1), date(2026, 3, 31)).bounds(zone)
    assert after.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=31, hours=-1)  # DST
    months = Period(date(2026, 1, 1), date(2026, 3, 31)).months()
    assert len(months) == 12
    assert months[0] == Period(date(2025, 4, 1), date(2025, 4, 30))
    assert months[-1] == Period(date(2026, 3, 1), date(2026, 3, 31))


def test_wilson_matches_the_published_values() -> None:
    low, high = wilson(3, 10)
    assert (round(low, 4), round(high, 4)) == (0.1078, 0.6032)
    low, high = wilson(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    with pytest.raises(ValueError):
        wilson(1, 0)


def test_a_wijk_with_too_few_answers_shows_no_percentage() -> None:
    few = SafetyMeasure(often=1, sometimes=1, never=7, min_answers=10)
    assert few.too_few and few.share is None and few.interval is None
    assert few.meets_target() is None
    assert few.unsafe == Share(2, 9)
    enough = SafetyMeasure(often=1, sometimes=1, never=8, min_answers=10)
    assert enough.share == 0.2 and enough.meets_target() is False
    assert SafetyMeasure().share is None and Share(0, 0).fraction is None


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0, 1.0, 2.0, 3.0], 0.5) == 2.5
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.9) == 46.0
    summary = Durations.of([3600.0, 7200.0, -5.0])
    assert summary == Durations(3, timedelta(hours=1), timedelta(seconds=6480))


def test_a_buurt_without_inhabitants_has_no_rate_never_zero() -> None:
    assert per_thousand(3, None) is None
    assert per_thousand(3, 0) is None
    assert per_thousand(3, 1500) == 2.0
    assert BuurtFigures("BU01530703", "Kennispark", "WK015307", 0, None).per_thousand is None
