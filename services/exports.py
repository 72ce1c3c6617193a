"""Export the reports of a period for analysts: CSV (one row per report) and GeoJSON per buurt.

No personal data leaves: no description, no resident id, no caseworker, no exact pin. The CSV
uses `;` as delimiter and starts with a UTF-8 byte order mark: Excel set to Dutch (where the
list separator is `;` because the decimal separator is `,`) then opens it in columns with
accents intact, and pandas reads it with `sep=";", encoding="utf-8-sig"`. Times are local
(the municipality's zone) ISO 8601 with their UTC offset.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from reports.disclosure import snap
from reports.insight import Insight, Period
from services.container import Services
from services.insight import compute_insight, find_wijk
from storage.timestamps import from_text, to_text

CSV_COLUMNS = (
    "reference",
    "category",
    "signalen_slug",
    "wijk_code",
    "wijk_name",
    "buurt_code",
    "buurt_name",
    "created_at",
    "claimed_at",
    "resolved_at",
    "status",
    "lead_partner",
    "within_target",
    "survey_satisfied",
    "survey_feels_unsafe",
)
"""The CSV's header; claimed_at is the first claim, within_target 1/0/empty (see README)."""
CSV_DELIMITER = ";"
BOM = "\ufeff"
PAGE = 5000
"""Reports per read: a page is one short query, so a large export never holds the reader."""
MIN_GRID_METRES = 50


def _local(svc: Services, text: str | None) -> str:
    if text is None:
        return ""
    return from_text(text).astimezone(svc.config.municipality.zone).isoformat(timespec="seconds")


def _flag(value: object) -> str:
    return "" if value is None else str(int(value))  # type: ignore[call-overload]


async def _pages(svc: Services, period: Period, wijk: str | None) -> Any:
    lo, hi = (to_text(t) for t in period.bounds(svc.config.municipality.zone))
    now = to_text(svc.clock.now())
    after: tuple[str, int] = ("", 0)
    while True:
        rows = await svc.insight.export_page(now, lo, hi, after, PAGE, wijk)
        for row in rows:
            yield row
        if len(rows) < PAGE:
            return
        after = (rows[-1][7], rows[-1][0])


async def write_csv(svc: Services, period: Period, out: TextIO, wijk: str | None = None) -> int:
    """Write the reports made in the period as CSV to `out`; return how many rows."""
    code = find_wijk(svc, wijk).code if wijk is not None else None
    slugs = {c.id: c.signalen_slug or "" for c in svc.config.categories}
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    written = 0
    async for row in _pages(svc, period, code):
        (_, reference, category, wijk_code, wijk_name, buurt_code, buurt_name) = row[:7]
        created, claimed, resolved, status, lead, within, satisfied, unsafe = row[7:15]
        writer.writerow(
            (
                reference,
                category,
                slugs.get(category, ""),
                wijk_code,
                wijk_name,
                buurt_code,
                buurt_name,
                _local(svc, created),
                _local(svc, claimed),
                _local(svc, resolved),
                status,
                lead or "",
                _flag(within),
                _flag(satisfied),
                unsafe or "",
            )
        )
        written += 1
    return written


def check_grid(metres: int | None) -> int | None:
    """Return a usable pin grid, or raise ValueError: pins only on a grid of 50 m or more."""
    if metres is None or metres == 0:
        return None
    if metres < MIN_GRID_METRES:
        raise ValueError(f"--pins-grid must be at least {MIN_GRID_METRES} metres, got {metres}")
    return metres


@cache
def _shapes(path: Path) -> list[dict[str, Any]]:
    """Return the shipped buurt features (read once)."""
    features: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


def _buurt_properties(insight: Insight) -> Callable[[str], dict[str, Any] | None]:
    buurten = {b.code: b for b in insight.buurten}
    wijken = {w.code: w for w in insight.wijken}

    def properties(code: str) -> dict[str, Any] | None:
        buurt = buurten.get(code)
        if buurt is None:
            return None
        wijk = wijken[buurt.wijk_code]
        rate = buurt.per_thousand
        return {
            "buurtcode": buurt.code,
            "buurtnaam": buurt.name,
            "wijkcode": wijk.code,
            "wijknaam": wijk.name,
            "reports": buurt.reports,
            "inhabitants": buurt.inhabitants,
            "reports_per_1000": None if rate is None else round(rate, 2),
            "wijk_unsafe_share": None if wijk.safety.share is None else round(wijk.safety.share, 4),
            "wijk_unsafe_answers": wijk.safety.answers,
        }

    return properties


async def buurten_geojson(
    svc: Services, period: Period, *, wijk: str | None = None, pins_grid: int | None = None
) -> dict[str, Any]:
    """Return the buurt polygons with the period's counts, rates and wijk safety share.

    With `pins_grid` (metres, at least 50) each report with a pin adds a Point at the centre
    of its grid square, with only its category and status; the exact pin is never exported.
    """
    grid = check_grid(pins_grid)
    insight = await compute_insight(svc, period, wijk)
    properties = _buurt_properties(insight)
    features: list[dict[str, Any]] = []
    for feature in _shapes(Path(svc.config.neighbourhoods.buurten)):
        found = properties(feature["properties"]["buurtcode"])
        if found is not None:
            features.append(
                {"type": "Feature", "properties": found, "geometry": feature["geometry"]}
            )
    if grid is not None:
        async for row in _pages(svc, period, insight.wijk):
            latitude, longitude = row[15], row[16]
            if latitude is None or longitude is None:
                continue
            lat, lon = snap(latitude, longitude, grid)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"category": row[2], "status": row[10], "grid_m": grid},
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                }
            )
    attribution = svc.config.neighbourhoods.attribution
    extra = svc.config.neighbourhoods.inhabitants_attribution
    return {
        "type": "FeatureCollection",
        "name": f"meldbot-buurten-{period.slug()}",
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "attribution": f"{attribution}; {extra}" if extra else attribution,
        "features": features,
    }
