"""Keep people unidentifiable in published figures: small-cell suppression and coarse pins.

`suppress` protects a table of counts with its row and column totals the way CBS protects small
cells. Primary suppression hides every count below the threshold (totals included). A hidden
value could still be worked out from the published ones: a row's hidden cell is its total minus
the other cells. Such a value is recoverable exactly when its cell is a *bridge* in the graph
whose nodes are the table's rows and columns and whose edges are the hidden cells (every line
of the table is a sum equation; only a cycle of hidden cells leaves the values free to shift).
Complementary suppression therefore hides, for every bridge, the cheapest three further cells
that close it into a rectangle, until no hidden cell is a bridge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Cell = tuple[int, int]
_METRES_PER_DEGREE = 111_320.0


def _bridges(cells: set[Cell]) -> list[Cell]:
    """Return the hidden cells that lie on no cycle of the row/column graph (Tarjan)."""
    graph: dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]] = {}
    for row, column in cells:
        graph.setdefault(("r", row), []).append((("c", column), (row, column)))
        graph.setdefault(("c", column), []).append((("r", row), (row, column)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[Cell] = []

    def visit(node: tuple[str, int], via: Cell | None) -> None:
        order[node] = low[node] = len(order)
        for neighbour, edge in graph[node]:
            if edge == via:
                continue
            if neighbour in order:
                low[node] = min(low[node], order[neighbour])
                continue
            visit(neighbour, edge)
            low[node] = min(low[node], low[neighbour])
            if low[neighbour] > order[node]:
                found.append(edge)

    for node in sorted(graph):
        if node not in order:
            visit(node, None)
    return sorted(found)


def suppress(table: Sequence[Sequence[int]], threshold: int) -> list[list[bool]]:
    """Return which values of `table` to hide; True means hidden.

    `table` is the full table: every row ends with its total and the last row holds the
    column totals (and the grand total last). Every value below `threshold` is hidden, then
    as few further values as the rule above needs; no hidden value follows from the others.
    """
    rows, columns = len(table), len(table[0])
    if rows < 2 or columns < 2 or any(len(row) != columns for row in table):
        raise ValueError("a table with totals has at least two rows and two columns, all equal")
    hidden = {(r, c) for r in range(rows) for c in range(columns) if table[r][c] < threshold}
    while bridges := _bridges(hidden):
        row, column = bridges[0]
        best: tuple[int, Cell] | None = None
        for other_row in range(rows):
            for other_column in range(columns):
                if other_row == row or other_column == column:
                    continue
                extra = {(row, other_column), (other_row, other_column), (other_row, column)}
                cost = sum(table[r][c] for r, c in extra - hidden)
                if best is None or cost < best[0]:
                    best = (cost, (other_row, other_column))
        assert best is not None
        other_row, other_column = best[1]
        hidden |= {(row, other_column), (other_row, other_column), (other_row, column)}
    return [[(r, c) in hidden for c in range(columns)] for r in range(rows)]


def snap(latitude: float, longitude: float, metres: float) -> tuple[float, float]:
    """Return the centre of the `metres` grid square that holds a point (lat/lon degrees).

    The grid is aligned to whole multiples of its step from 0°, so every point of a square
    gets the same centre and nothing of the exact spot remains beyond its square.
    """
    if metres <= 0:
        raise ValueError("a grid needs a size above zero metres")
    lat_step = metres / _METRES_PER_DEGREE
    lon_step = metres / (_METRES_PER_DEGREE * math.cos(math.radians(52.0)))

    def centre(value: float, step: float) -> float:
        return round((math.floor(value / step) + 0.5) * step, 6)

    return centre(latitude, lat_step), centre(longitude, lon_step)
