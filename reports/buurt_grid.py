"""A grid over the buurt polygons that answers most point lookups without a geometry test.

Each square cell of the grid (in plane metres) is settled once, when the map is built:

* wholly inside one buurt's interior, touching no other: every point in it lies in that buurt;
* farther than the border tolerance from every buurt: every point in it is outside;
* anything else (a border runs through it, or it lies just outside the municipality): the
  points in it are tested exactly against the buurten that touch the cell, in buurt order,
  and, when none holds the point, against the nearest buurt within the tolerance.

A point outside the grid is farther than the tolerance from every buurt. The answers are those
of testing every buurt exactly (`NeighbourhoodMap.locate` before the grid): the lowest-numbered
buurt that holds the point (its border included), else the lowest-numbered nearest one within
the tolerance, else none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

CELL_METRES = 100.0
"""The side of a cell: smaller cells settle more of the map but take longer to build."""
_SLACK = 1e-6
"""Cells are settled as if this much (metres) larger, so rounding at their edges is harmless."""

_ROUGH = 10.0
"""Metres: how far the outlines may move when simplified to settle the cells outside."""
_OUTSIDE = -1
Cell = int | tuple[int, ...]
"""A buurt's index, _OUTSIDE, or the buurten to test (in order) for a border cell."""


class BuurtGrid:
    """Find the index of the buurt polygon (plane coordinates) a point lies in, or near."""

    def __init__(self, polygons: Sequence[Any], reach: float, cell: float = CELL_METRES) -> None:
        self._polygons = list(polygons)
        self._tree = shapely.STRtree(self._polygons)
        self._reach = reach
        self._cell = cell
        for polygon in self._polygons:
            shapely.prepare(polygon)
        min_x, min_y, max_x, max_y = (float(v) for v in shapely.total_bounds(self._polygons))
        margin = reach + cell
        self._x0, self._y0 = min_x - margin, min_y - margin
        self._columns = math.ceil((max_x + margin - self._x0) / cell)
        self._rows = math.ceil((max_y + margin - self._y0) / cell)
        self._cells = self._settle()

    def _settle(self) -> list[Cell]:
        """Decide every cell: one buurt, outside, or the buurten to test."""
        columns, rows, cell = self._columns, self._rows, self._cell
        xs = self._x0 + np.arange(columns) * cell
        ys = self._y0 + np.arange(rows) * cell
        left = np.tile(xs, rows) - _SLACK
        bottom = np.repeat(ys, columns) - _SLACK
        boxes = shapely.box(left, bottom, left + cell + 2 * _SLACK, bottom + cell + 2 * _SLACK)
        box_ids, polygon_ids = self._tree.query(boxes, predicate="intersects")
        touching = np.bincount(box_ids, minlength=len(boxes))
        near = np.zeros(len(boxes), dtype=bool)
        near[box_ids] = True
        # Simplified outlines are within _ROUGH of the real ones: a cell farther than the reach
        # plus _ROUGH from them is farther than the reach from every buurt.
        rough = shapely.STRtree(shapely.simplify(self._polygons, _ROUGH))
        away = np.flatnonzero(~near)
        near[away[rough.query(boxes[away], "dwithin", distance=self._reach + _ROUGH)[0]]] = True
        cells: list[Cell] = [() if close else _OUTSIDE for close in near.tolist()]
        single = touching[box_ids] == 1
        polygons = np.array(self._polygons, dtype=object)
        inside = shapely.contains_properly(polygons[polygon_ids[single]], boxes[box_ids[single]])
        for box_id, polygon_id in zip(
            box_ids[single][inside].tolist(), polygon_ids[single][inside].tolist(), strict=True
        ):
            cells[box_id] = polygon_id
        border: dict[int, list[int]] = {}
        for box_id, polygon_id in zip(box_ids.tolist(), polygon_ids.tolist(), strict=True):
            if not isinstance(cells[box_id], int):
                border.setdefault(box_id, []).append(polygon_id)
        for box_id, found in border.items():
            cells[box_id] = tuple(sorted(found))
        return cells

    def locate(self, x: float, y: float) -> int | None:
        """Return the index of the buurt holding (x, y), else of the nearest within reach."""
        column = math.floor((x - self._x0) / self._cell)
        row = math.floor((y - self._y0) / self._cell)
        if not (0 <= column < self._columns and 0 <= row < self._rows):
            return None
        found = self._cells[row * self._columns + column]
        if isinstance(found, int):
            return None if found == _OUTSIDE else found
        for index in found:
            if shapely.intersects_xy(self._polygons[index], x, y):
                return index
        hits = self._tree.query_nearest(shapely.Point(x, y), max_distance=self._reach)
        return int(min(hits)) if len(hits) else None

    @property
    def polygons(self) -> tuple[Any, ...]:
        """Return the buurt polygons in plane coordinates, in buurt order."""
        return tuple(self._polygons)

    def settled_share(self) -> float:
        """Return the share of cells that need no geometry test (for the benchmark)."""
        return sum(isinstance(c, int) for c in self._cells) / len(self._cells)
