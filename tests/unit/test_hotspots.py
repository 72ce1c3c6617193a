"""The hotspot method on synthetic data whose truth is known: a planted tripling is found, and a
year of weeks without any change raises false signals no more often than the error rate allows."""

from __future__ import annotations

import math
import random

import pytest

from reports.hotspots import (
    HISTORY_DAYS,
    WINDOW_DAYS,
    Cell,
    CellCounts,
    binomial_upper_tail,
    city_rates,
    find_hotspots,
    poisson_upper_tail,
)

BUURTEN = [f"BU0153{i:04d}" for i in range(70)]
CATEGORIES = [f"cat-{i}" for i in range(12)]


def poisson(rng: random.Random, mean: float) -> int:
    """Draw from Poisson(mean) (Knuth for small means, normal approximation above 60)."""
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def city(rng: random.Random) -> dict[Cell, float]:
    """Every buurt and category with its usual reports per 28 days: mostly few, some many."""
    return {
        Cell(buurt, category): rng.gammavariate(0.8, 2.5)
        for buurt in BUURTEN
        for category in CATEGORIES
    }


def week(
    rng: random.Random, rates: dict[Cell, float], planted: dict[Cell, float]
) -> dict[Cell, CellCounts]:
    """One weekly run: a year of history at the usual rate, a window at the planted rate."""
    scale = HISTORY_DAYS / WINDOW_DAYS
    return {
        cell: CellCounts(
            recent=poisson(rng, rate * planted.get(cell, 1.0)),
            history=poisson(rng, rate * scale),
        )
        for cell, rate in rates.items()
    }


def test_the_tails_match_known_values() -> None:
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert poisson_upper_tail(1, 3.0) == pytest.approx(1 - math.exp(-3))
    assert poisson_upper_tail(9, 3.0) == pytest.approx(0.0038030, rel=1e-4)
    assert binomial_upper_tail(3, 4, 0.5) == pytest.approx(5 / 16)
    assert binomial_upper_tail(5, 4, 0.5) == 0.0


def test_a_planted_tripling_is_found_and_nothing_else() -> None:
    rng = random.Random(3)
    rates = city(rng)
    target = Cell("BU01530012", "cat-3")
    rates[target] = 15.0  # fifteen reports in a usual 28 days
    found = find_hotspots(week(rng, rates, {target: 3.0}), history_days=HISTORY_DAYS)
    assert [spot.cell for spot in found] == [target]
    spot = found[0]
    assert spot.observed >= 30 and 10 <= spot.expected <= 20 and not spot.cold_start


def test_fifty_two_quiet_weeks_stay_within_the_error_rate() -> None:
    rng = random.Random(11)
    rates = city(rng)
    weeks_with_a_false_signal = sum(
        bool(find_hotspots(week(rng, rates, {}), history_days=HISTORY_DAYS)) for _ in range(52)
    )
    # At alpha = 1% a week raises a false signal with probability at most 0.01: 0.52 expected
    # in 52 weeks; 3 or more would happen by chance less than 2% of the time.
    assert weeks_with_a_false_signal <= 2


def test_recurring_nuisance_weighs_in() -> None:
    cell = Cell("BU01530000", "cat-0")
    quiet = {cell: CellCounts(recent=6, history=40)}
    assert find_hotspots(quiet, history_days=HISTORY_DAYS) == []
    recurring = {cell: CellCounts(recent=6, history=40, ongoing=8)}
    assert [spot.cell for spot in find_hotspots(recurring, history_days=HISTORY_DAYS)] == [cell]


def test_a_young_database_compares_with_the_city_wide_rate() -> None:
    cell = Cell("BU01530000", "cat-0")
    rates = city_rates({"cat-0": 900}, [3000, 6000, 1000, None], days=90)
    # 900 reports in 90 days over 10,000 inhabitants: 0.028 per inhabitant per 28 days.
    assert rates["cat-0"] == pytest.approx(900 * 28 / 90 / 10_000)
    counts = {cell: CellCounts(recent=30, history=30)}
    found = find_hotspots(
        counts, history_days=90, city_rates=rates, inhabitants={"BU01530000": 300}
    )
    assert len(found) == 1 and found[0].cold_start
    assert found[0].expected == pytest.approx(rates["cat-0"] * 300)


def test_an_empty_database_has_no_hotspots() -> None:
    assert find_hotspots({}, history_days=0) == []
    few = {Cell("BU01530000", "cat-0"): CellCounts(recent=4)}
    assert find_hotspots(few, history_days=0) == []
