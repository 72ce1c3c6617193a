"""The grid in front of the buurt lookup gives exactly the answers of testing every buurt."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import shapely

from reports.buurt_grid import BuurtGrid
from reports.neighbourhoods import NEAREST_BUURT_METRES, NeighbourhoodMap

DATA = Path(__file__).resolve().parents[2] / "config" / "data"


class ExactLookup:
    """The lookup before the grid: every buurt tested exactly through an STRtree."""

    def __init__(self, polygons: list[Any]) -> None:
        self._tree = shapely.STRtree(polygons)

    def locate(self, x: float, y: float) -> int | None:
        point = shapely.Point(x, y)
        hits = self._tree.query(point, predicate="intersects")
        if len(hits) == 0:
            hits = self._tree.query_nearest(point, max_distance=NEAREST_BUURT_METRES)
            if len(hits) == 0:
                return None
        return int(min(hits))


@pytest.fixture(scope="module")
def polygons() -> list[Any]:
    city = NeighbourhoodMap.from_files(DATA / "buurten.geojson")
    return list(city.grid.polygons)


def border_points(polygons: list[Any], rng: random.Random, n: int) -> list[tuple[float, float]]:
    """Return points on, and a few metres beside, the buurten's borders and vertices."""
    points: list[tuple[float, float]] = []
    rings = [shapely.get_coordinates(shapely.boundary(p)) for p in polygons]
    for _ in range(n):
        ring = rings[rng.randrange(len(rings))]
        x, y = ring[rng.randrange(len(ring))]
        offset = rng.choice((0.0, 0.0, 0.5, 3.0, 40.0, 199.0, 201.0))
        points.append(
            (float(x) + rng.uniform(-offset, offset), float(y) + rng.uniform(-1, 1) * offset)
        )
    return points


@pytest.mark.parametrize("cell", [100.0, 37.0])
def test_the_grid_answers_like_the_exact_test_everywhere(polygons: list[Any], cell: float) -> None:
    exact = ExactLookup(polygons)
    grid = BuurtGrid(polygons, NEAREST_BUURT_METRES, cell)
    rng = random.Random(2026)
    min_x, min_y, max_x, max_y = (float(v) for v in shapely.total_bounds(polygons))
    spread = [
        (rng.uniform(min_x - 500, max_x + 500), rng.uniform(min_y - 500, max_y + 500))
        for _ in range(10_000)
    ]
    points = spread + border_points(polygons, rng, 5_000)
    different = [(x, y) for x, y in points if grid.locate(x, y) != exact.locate(x, y)]
    assert different == []
    answers = {exact.locate(x, y) for x, y in spread}
    assert None in answers and len(answers) > 60, "the points reach every kind of answer"
