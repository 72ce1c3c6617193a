"""The panel's rounds, the moment a member is asked, and the weighted share."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.insight import SafetyMeasure
from reports.panel import (
    LAST_DAYS,
    PanelWijk,
    answer_open,
    ask_moment,
    round_at,
    round_of_key,
    weighted_share,
)

ZONE = ZoneInfo("Europe/Amsterdam")


def test_a_quarter_starts_and_ends_at_local_midnight() -> None:
    new_year = round_at(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), ZONE, 4)  # 00:30 local
    assert (new_year.key, new_year.label) == ("2027-01-01", "Q1 2027")
    assert new_year.start == datetime(2027, 1, 1, tzinfo=ZONE)
    assert new_year.end == datetime(2027, 4, 1, tzinfo=ZONE)
    assert new_year.previous().key == "2026-10-01" and new_year.next().key == "2027-04-01"


@pytest.mark.parametrize(
    ("per_year", "key", "label"),
    [
        (1, "2026-01-01", "2026"),
        (2, "2026-01-01", "H1 2026"),
        (6, "2026-05-01", "05-06/2026"),
        (12, "2026-05-01", "05/2026"),
        (3, "2026-05-01", "05-08/2026"),
    ],
)
def test_other_round_lengths(per_year: int, key: str, label: str) -> None:
    found = round_at(datetime(2026, 5, 3, tzinfo=UTC), ZONE, per_year)
    assert (found.key, found.label) == (key, label)
    assert round_of_key(key, ZONE, per_year) == found


def test_a_key_that_starts_no_round_is_refused() -> None:
    assert round_of_key("2026-11-01", ZONE, 4) is None
    assert round_of_key("not a day", ZONE, 4) is None
    with pytest.raises(ValueError, match="rounds_per_year"):
        round_at(datetime(2026, 5, 3, tzinfo=UTC), ZONE, 5)


def test_the_moment_lies_inside_the_round_after_joining_and_before_its_last_days() -> None:
    q4 = round_at(datetime(2026, 11, 1, tzinfo=UTC), ZONE, 4)
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    draw = random.Random(7)
    moments = [ask_moment(q4, now, now, draw) for _ in range(500)]
    assert all(
        m is not None and now + timedelta(hours=1) <= m < q4.end - LAST_DAYS for m in moments
    )
    assert len({m.date() for m in moments if m}) > 20
    late = q4.end - LAST_DAYS - timedelta(hours=2)
    assert ask_moment(q4, late, late, draw) is None


def test_answers_count_until_some_days_after_the_round() -> None:
    q4 = round_at(datetime(2026, 11, 1, tzinfo=UTC), ZONE, 4)
    assert answer_open(q4, q4.end + timedelta(days=13), 14)
    assert not answer_open(q4, q4.end + timedelta(days=14), 14)


def wijk(code: str, people: int | None, unsafe: int, never: int) -> PanelWijk:
    """Return one wijk with its answers."""
    return PanelWijk(code, code, 0, people, SafetyMeasure(sometimes=unsafe, never=never))


def test_weighting_counts_each_wijk_as_heavily_as_its_inhabitants() -> None:
    # Wijk A: 1,000 people, 50% unsafe of 100 answers; wijk B: 3,000 people, 10% of 10 answers.
    found = weighted_share([wijk("A", 1000, 50, 50), wijk("B", 3000, 1, 9), wijk("C", 6000, 0, 0)])
    assert found is not None
    assert found.share == pytest.approx(0.25 * 0.5 + 0.75 * 0.1)
    assert found.coverage == pytest.approx(0.4)
    low, high = found.interval
    assert low < found.share < high and high - low < 0.5
    # Unweighted the same answers give 51/110: the small wijk's answers dominate.
    assert abs(51 / 110 - found.share) > 0.2


def test_a_wijk_where_few_answers_agree_still_adds_uncertainty() -> None:
    found = weighted_share([wijk("A", 1000, 0, 3)])
    assert found is not None and found.share == 0 and found.interval[1] > 0.3


def test_no_weighting_without_answers_or_inhabitants() -> None:
    assert weighted_share([wijk("A", None, 3, 3), wijk("B", 1000, 0, 0)]) is None
    assert weighted_share([]) is None
