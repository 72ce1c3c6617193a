"""Count the hotspot method's false signals and its power on synthetic cities.

Uses tests/unit/test_hotspots.py's generator: 70 buurten x 12 categories, usual rates from a
Gamma distribution, a year of history, Poisson counts. Prints the share of quiet weeks with a
false signal (10 cities x 52 weeks) and how often a planted tripling is found (40 runs per usual
rate). Run from the repository root: `.venv/bin/python -m bench.hotspots`.
"""

from __future__ import annotations

import random

from reports.hotspots import DEFAULT_ALPHA, HISTORY_DAYS, Cell, find_hotspots
from tests.unit.test_hotspots import city, week


def main() -> None:
    weeks = noisy = signals = 0
    for seed in range(10):
        rng = random.Random(100 + seed)
        rates = city(rng)
        for _ in range(52):
            found = find_hotspots(week(rng, rates, {}), history_days=HISTORY_DAYS)
            weeks += 1
            noisy += bool(found)
            signals += len(found)
    print(
        f"quiet weeks with a false signal: {noisy} of {weeks} ({noisy / weeks:.1%});"
        f" {signals} false signals; alpha {DEFAULT_ALPHA:.0%}"
    )
    target = Cell("BU01530012", "cat-3")
    for usual in (15, 10, 8, 6, 4):
        hits = 0
        for seed in range(40):
            rng = random.Random(seed)
            rates = city(rng)
            rates[target] = usual
            found = find_hotspots(week(rng, rates, {target: 3.0}), history_days=HISTORY_DAYS)
            hits += any(spot.cell == target for spot in found)
        print(f"tripling of {usual} per 28 days found in {hits} of 40 runs ({hits / 40:.0%})")


if __name__ == "__main__":
    main()
