"""The statistics, the exports and the open data match a hand-computed database.

The rows and why each figure is what it is: tests/services/insight_fixture.py.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from fractions import Fraction

import pytest

from reports.clock import ManualClock
from reports.disclosure import suppress
from reports.insight import Durations, Period, SafetyMeasure, Share
from services.container import Services
from services.exports import BOM, buurten_geojson, write_csv
from services.insight import UnknownWijk, compute_insight
from services.open_data import HIDDEN, open_data
from storage.database import Database
from tests.services.insight_fixture import NOW, PIN, build

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
H = timedelta(hours=1)


@pytest.fixture
def clock() -> ManualClock:
    """Return a clock two weeks after the quarter."""
    return ManualClock(NOW)


@pytest.fixture
async def filled(svc: Services, database: Database) -> Services:
    """Return the services on the hand-computed database."""
    await build(database)
    return svc


async def test_the_headline_counts_reports_by_their_local_date(filled: Services) -> None:
    insight = await compute_insight(filled, Q1)
    head = insight.headline
    assert (head.reports, head.resolved, head.open, head.cancelled) == (4, 2, 1, 1)
    assert dict(head.per_category) == {"jongerenoverlast": 2, "zwerfvuil-dumping": 1, "overig": 1}
    assert dict(head.per_wijk) == {"WK015300": 2, "WK015306": 1, "WK015307": 1}
    assert head.to_claim == Durations(2, 2 * H, timedelta(seconds=10080))
    assert head.to_resolve == Durations(2, 60 * H, timedelta(seconds=250560))
    assert (insight.previous.reports, insight.previous.resolved) == (1, 1)


async def test_the_safety_measure_per_wijk_and_for_the_city(filled: Services) -> None:
    insight = await compute_insight(filled, Q1)
    wijken = {w.code: w for w in insight.wijken}
    centre = wijken["WK015300"].safety
    assert centre == SafetyMeasure(often=2, sometimes=1, never=9, min_answers=10)
    assert centre.share == 0.25 and centre.meets_target() is False
    interval = centre.interval
    assert interval is not None and (round(interval[0], 4), round(interval[1], 4)) == (
        0.0889,
        0.5323,
    )
    south = wijken["WK015306"].safety
    assert south.answers == 3 and south.too_few and south.share is None
    assert wijken["WK015301"].safety.answers == 0 and wijken["WK015301"].safety.share is None
    assert insight.city_safety.unsafe == Share(4, 15)


async def test_partners_satisfaction_and_recurrence(filled: Services) -> None:
    insight = await compute_insight(filled, Q1)
    partners = {p.partner_id: p for p in insight.partners}
    police = partners["politie"]
    assert (police.led, police.forwarded, police.not_ours, police.reopened_by_survey) == (
        2,
        1,
        0,
        1,
    )
    assert police.to_claim.median == 2 * H and police.to_resolve.median == 60 * H
    assert police.within_target == Share(1, 2)
    assert police.satisfaction == Share(9, 12)
    milieu = partners["twente-milieu"]
    assert (milieu.led, milieu.within_target, milieu.to_claim.count) == (1, Share(0, 1), 0)
    assert milieu.satisfaction == Share(2, 3)
    assert partners["coordinator"].within_target == Share(0, 0)
    assert (partners["handhaving"].led, partners["handhaving"].not_ours) == (0, 1)
    assert insight.satisfaction.satisfied == Share(11, 15)
    assert dict(insight.satisfaction.reasons) == {
        "niet-opgelost": 2,
        "duurde-te-lang": 1,
        "snel-opgepakt": 1,
    }
    assert insight.recurrence.ongoing == Share(2, 3)
    assert dict(insight.recurrence.per_category) == {
        "jongerenoverlast": Share(1, 1),
        "zwerfvuil-dumping": Share(1, 2),
    }
    assert dict(insight.recurrence.per_wijk) == {"WK015300": Share(1, 1), "WK015306": Share(1, 2)}


async def test_buurten_rates_and_the_trend(filled: Services) -> None:
    insight = await compute_insight(filled, Q1)
    buurten = {b.code: b for b in insight.buurten}
    assert len(buurten) == 70
    assert buurten["BU01530008"].reports == 2
    assert buurten["BU01530008"].per_thousand == pytest.approx(2000 / 1325)
    assert buurten["BU01530703"].reports == 1 and buurten["BU01530703"].per_thousand is None
    assert buurten["BU01530000"].per_thousand == 0.0
    months = {m.month.start.month: m for m in insight.trend}
    assert len(insight.trend) == 12 and insight.trend[0].month.start == date(2025, 4, 1)
    assert (months[1].reports, months[1].resolved) == (2, 2)
    assert months[2].safety.answers == 15 and months[4].safety.answers == 0
    assert (months[6].reports, months[6].resolved) == (14, 14)


async def test_one_wijk_and_an_unknown_one(filled: Services) -> None:
    south = await compute_insight(filled, Q1, "enschede-zuid")
    assert south.wijk == "WK015306" and south.headline.reports == 1
    assert [w.code for w in south.wijken] == ["WK015306"]
    assert {b.wijk_code for b in south.buurten} == {"WK015306"}
    assert south.city_safety.answers == 15
    with pytest.raises(UnknownWijk):
        await compute_insight(filled, Q1, "Atlantis")


async def test_an_empty_period_has_no_figures_and_no_division_by_zero(filled: Services) -> None:
    insight = await compute_insight(filled, Period(date(2024, 1, 1), date(2024, 3, 31)))
    assert insight.empty and insight.headline.to_claim.median is None
    assert insight.satisfaction.satisfied.fraction is None
    assert insight.city_safety.share is None and insight.recurrence.ongoing.fraction is None
    assert all(p.within_target.fraction is None for p in insight.partners)


async def test_the_csv_has_one_row_per_report_and_no_personal_data(filled: Services) -> None:
    out = io.StringIO()
    assert await write_csv(filled, Q1, out) == 4
    text = out.getvalue()
    assert text.startswith(BOM) and "Geheime beschrijving" not in text
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    first = rows[0]
    assert first["reference"] == "ENS-2026-00001"
    assert first["signalen_slug"] == "jongerenoverlast"
    assert first["created_at"] == "2026-01-01T00:30:00+01:00"
    assert first["claimed_at"] == "2026-01-01T01:30:00+01:00"
    assert (first["within_target"], first["survey_satisfied"]) == ("1", "1")
    assert first["survey_feels_unsafe"] == "never"
    assert [r["within_target"] for r in rows] == ["1", "0", "0", ""]
    assert rows[3]["buurt_name"] == "Kennispark" and rows[3]["status"] == "cancelled"
    assert str(PIN[0]) not in text


async def test_the_geojson_has_every_buurt_and_only_gridded_pins(filled: Services) -> None:
    collection = await buurten_geojson(filled, Q1)
    features = {f["properties"]["buurtcode"]: f["properties"] for f in collection["features"]}
    assert len(features) == 70
    assert features["BU01530008"]["reports"] == 2
    assert features["BU01530008"]["wijk_unsafe_share"] == 0.25
    assert features["BU01530703"]["reports_per_1000"] is None
    assert features["BU01530601"]["wijk_unsafe_share"] is None
    gridded = await buurten_geojson(filled, Q1, pins_grid=250)
    points = [f for f in gridded["features"] if f["geometry"]["type"] == "Point"]
    assert len(points) == 1
    lon, lat = points[0]["geometry"]["coordinates"]
    assert (lat, lon) != PIN and abs(lat - PIN[0]) < 0.003 and abs(lon - PIN[1]) < 0.004
    with pytest.raises(ValueError, match="at least 50"):
        await buurten_geojson(filled, Q1, pins_grid=10)


def determined(table: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """Return the hidden cells whose value follows from the published ones (exact algebra)."""
    unknowns = [(r, c) for r, row in enumerate(hidden) for c, h in enumerate(row) if h]
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows, columns = len(table), len(table[0])
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    equations: list[list[Fraction]] = []
    for line in lines:
        equation = [Fraction(0)] * len(unknowns)
        *parts, total = line
        for cell in parts:
            if cell in index:
                equation[index[cell]] += 1
        if total in index:
            equation[index[total]] -= 1
        equations.append(equation)

    def rank(matrix: list[list[Fraction]]) -> int:
        m = [row[:] for row in matrix]
        found = 0
        for col in range(len(unknowns)):
            pivot = next((i for i in range(found, len(m)) if m[i][col] != 0), None)
            if pivot is None:
                continue
            m[found], m[pivot] = m[pivot], m[found]
            for i in range(len(m)):
                if i != found and m[i][col] != 0:
                    factor = m[i][col] / m[found][col]
                    m[i] = [a - factor * b for a, b in zip(m[i], m[found], strict=True)]
            found += 1
        return found

    base = rank(equations)
    return [
        cell
        for cell, i in index.items()
        if rank([*equations, [Fraction(int(j == i)) for j in range(len(unknowns))]]) == base
    ]


def shifted(hidden: list[list[bool]], cell: tuple[int, int]) -> list[list[int]] | None:
    """Return a change of the hidden values, nonzero at `cell`, that keeps every line's sum
    (cells minus total): another table the published values cannot tell apart. None if none.

    It walks a cycle of hidden cells through `cell` (rows and columns alternate) and adds +1 and
    -1 in turn; with the totals' sign flipped each line still adds up.
    """
    rows, columns = len(hidden), len(hidden[0])
    start, goal = ("r", cell[0]), ("c", cell[1])
    came: dict[tuple[str, int], tuple[tuple[str, int], tuple[int, int]] | None] = {start: None}
    queue = [start]
    for node in queue:
        kind, at = node
        others = range(columns) if kind == "r" else range(rows)
        for other in others:
            edge = (at, other) if kind == "r" else (other, at)
            nxt = ("c", other) if kind == "r" else ("r", other)
            if edge == cell or not hidden[edge[0]][edge[1]] or nxt in came:
                continue
            came[nxt] = (node, edge)
            queue.append(nxt)
    if goal not in came:
        return None
    path = [cell]
    node = goal
    while (step := came[node]) is not None:
        node, edge = step
        path.append(edge)
    delta = [[0] * columns for _ in range(rows)]
    for i, (r, c) in enumerate(path):
        sign = 1 if i % 2 == 0 else -1
        delta[r][c] += -sign if (r == rows - 1) != (c == columns - 1) else sign
    for r in range(rows):
        assert sum(delta[r][:-1]) == delta[r][-1]
    for c in range(columns):
        assert sum(delta[r][c] for r in range(rows - 1)) == delta[rows - 1][c]
    return delta


@pytest.mark.parametrize(
    "body",
    [
        [[7, 1, 9], [8, 6, 12], [20, 30, 2]],
        [[0, 0, 6], [9, 9, 9], [5, 3, 40], [6, 7, 8]],
        [[12, 2], [10, 10]],
    ],
)
def test_no_suppressed_value_follows_from_the_totals(body: list[list[int]]) -> None:
    table = [[*row, sum(row)] for row in body]
    table.append([sum(column) for column in zip(*table, strict=True)])
    hidden = suppress(table, 5)
    assert all(hidden[r][c] for r, row in enumerate(table) for c, v in enumerate(row) if v < 5)
    assert determined(table, hidden) == []
    cells = [(r, c) for r, row in enumerate(hidden) for c, h in enumerate(row) if h]
    assert all(shifted(hidden, cell) is not None for cell in cells)


async def test_open_data_hides_small_counts_beyond_recovery(filled: Services) -> None:
    release = await open_data(filled, Q1)
    assert set(release.files()) == {release.name, "README.md", "LICENSE.txt"}
    assert "CC BY 4.0" in release.licence and "meldingen_per_1000" in release.readme
    rows = list(csv.reader(io.StringIO(release.table)))
    header, data = rows[0], rows[1:]
    assert len(data) == 71 and data[-1][0] == "GM0153"
    counts = header.index("meldingen")
    table = [
        [int(v) if v != HIDDEN else -1 for v in [*row[counts + 1 :], row[counts]]] for row in data
    ]
    hidden = [[v == -1 for v in row] for row in table]
    assert all(v >= 5 or v == -1 for row in table for v in row)
    assert any(any(row) for row in hidden)
    kennispark = next(row for row in data if row[0] == "BU01530703")
    assert kennispark[header.index("inwoners")] == "" and kennispark[4] == ""
    cells = [(r, c) for r, row in enumerate(hidden) for c, h in enumerate(row) if h]
    assert all(shifted(hidden, cell) is not None for cell in cells)
