"""Find hotspots: a buurt where one category of nuisance is improbably frequent of late.

The method, in plain words (README repeats it):

1. For every buurt and category, count the reports of the last 28 days (the *window*), and add
   the "still going on" answers to follow-ups given in the window: recurring nuisance is extra
   evidence that a problem sits there.
2. Compare with what that buurt usually sees: the same category's reports in the 12 months
   before the window, scaled to 28 days (the *expected* count shown). The test takes the
   history's own uncertainty into account: if nothing changed, each of the n reports of window
   and history together fell in the window with probability 28 / (28 + 365), so the window's
   count is Binomial(n, 28/393); the cell's *p-value* is the chance of at least the observed
   count under that.
3. With less than a year of history (*cold start*) the expectation is the city-wide rate of the
   category per inhabitant times the buurt's inhabitants (CBS), and the count is compared with a
   Poisson distribution of that mean; a buurt without an inhabitants figure falls back on its
   own short history. An expectation is never taken below `MIN_EXPECTED`.
4. Only cells with at least `min_reports` reports in the window can be hotspots. A cell is one
   when its p-value is below `alpha / m`, where m is the number of buurt and category cells
   there are (Bonferroni over every cell, not only those that reached `min_reports`: choosing
   the cells by their count first would let more false signals through): the chance that a
   week without any real change raises even one false signal stays at most `alpha` (1% by
   default), however many buurten and categories there are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

WINDOW_DAYS = 28
HISTORY_DAYS = 365
MIN_EXPECTED = 0.5
DEFAULT_ALPHA = 0.01
DEFAULT_MIN_REPORTS = 5


@dataclass(frozen=True, order=True)
class Cell:
    """One buurt and one category."""

    buurt_code: str
    category_id: str


@dataclass(frozen=True)
class CellCounts:
    """What one cell saw: in the window, and in the history before it."""

    recent: int
    history: int = 0
    ongoing: int = 0
    """"Still going on" answers to follow-ups given in the window."""


@dataclass(frozen=True)
class Hotspot:
    """A cell whose recent count is improbably high under its expectation."""

    cell: Cell
    observed: int
    """Reports in the window plus "still going on" answers."""
    reports: int
    expected: float
    p_value: float
    cold_start: bool
    """The expectation came from the city-wide rate: the history is shorter than a year."""

    @property
    def ratio(self) -> float:
        return self.observed / self.expected


def poisson_upper_tail(k: int, mean: float) -> float:
    """Return P(X >= k) for X ~ Poisson(mean), accurate far into the tail."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    # Sum the tail from k upwards in log space; terms fall fast once i exceeds the mean.
    log_term = -mean + k * math.log(mean) - math.lgamma(k + 1)
    total = 0.0
    i = k
    term = math.exp(log_term)
    while True:
        total += term
        i += 1
        term *= mean / i
        if term < total * 1e-17 or i > k + 10_000:
            break
    return min(1.0, total)


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """Return P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)

    def log_term(i: int) -> float:
        return (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )

    return min(1.0, sum(math.exp(log_term(i)) for i in range(k, n + 1)))


def expectation(
    counts: CellCounts,
    *,
    history_days: int,
    city_rate: float | None,
    inhabitants: int | None,
) -> tuple[float, bool]:
    """Return the expected count in a window and whether it is a cold-start expectation."""
    if history_days >= HISTORY_DAYS or city_rate is None or not inhabitants:
        days = max(1, min(history_days, HISTORY_DAYS))
        return max(MIN_EXPECTED, counts.history * WINDOW_DAYS / days), False
    return max(MIN_EXPECTED, city_rate * inhabitants), True


def find_hotspots(
    cells: Mapping[Cell, CellCounts],
    *,
    history_days: int,
    city_rates: Mapping[str, float] | None = None,
    inhabitants: Mapping[str, int | None] | None = None,
    alpha: float = DEFAULT_ALPHA,
    min_reports: int = DEFAULT_MIN_REPORTS,
    all_cells: int | None = None,
) -> list[Hotspot]:
    """Return the hotspots among the cells, most improbable first.

    `history_days` is how many days of history the database holds before the window (at most
    365 are used); `city_rates` the city-wide reports per inhabitant per window, by category;
    `all_cells` the number of buurt and category cells there are (default: those given).
    """
    rates = city_rates or {}
    people = inhabitants or {}
    tested: list[Hotspot] = []
    for cell, counts in cells.items():
        if counts.recent < min_reports:
            continue
        expected, cold = expectation(
            counts,
            history_days=history_days,
            city_rate=rates.get(cell.category_id),
            inhabitants=people.get(cell.buurt_code),
        )
        observed = counts.recent + counts.ongoing
        if cold:
            p_value = poisson_upper_tail(observed, expected)
        else:
            share = WINDOW_DAYS / (WINDOW_DAYS + max(1, min(history_days, HISTORY_DAYS)))
            p_value = binomial_upper_tail(observed, observed + counts.history, share)
        tested.append(Hotspot(cell, observed, counts.recent, expected, p_value, cold))
    if not tested:
        return []
    threshold = alpha / max(all_cells or 0, len(cells), 1)
    found = [spot for spot in tested if spot.p_value < threshold]
    return sorted(found, key=lambda spot: (spot.p_value, spot.cell))


def city_rates(
    reports_by_category: Mapping[str, int], inhabitants: Iterable[int | None], days: int
) -> dict[str, float]:
    """Return reports per inhabitant per window, by category, from `days` of city history."""
    people = sum(n for n in inhabitants if n)
    if people == 0 or days <= 0:
        return {}
    return {
        category: count * WINDOW_DAYS / days / people
        for category, count in reports_by_category.items()
    }


@dataclass(frozen=True, slots=True)
class HotspotFigures:
    """A hotspot that was active at some moment of a period, as the council report lists it."""

    buurt_code: str
    place: str
    """The buurt and its wijk, as people call them."""
    category_id: str
    first_seen: datetime
    ended_at: datetime | None
    observed: int
    """Reports and "still going on" answers in 28 days at its last check."""
    expected: float
    decision: str | None
    """What the coordinator decided: None, "seen", "joint" or "dismissed"."""
