"""Find the CBS buurt and wijk of a point in Enschede, offline.

Boundaries come from ``buurten.geojson`` (CBS 2025 codes and names on the detailed Open Data
Enschede geometry). ``Neighbourhood.wijk_name`` holds the readable short wijk name that residents
recognise ("Enschede-Noord", the CBS ``wijknaam_kort``), not the full CBS name ("Wijk 04
Enschede-Noord"); ``wijk_code`` stays exact, and ``Wijk.name`` keeps the full CBS name.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pydantic import BaseModel, ConfigDict
from shapely.geometry import shape

from reports.buurt_grid import BuurtGrid
from reports.models import Neighbourhood

NEAREST_BUURT_METRES = 200.0
"""How far outside every buurt a point may lie and still get the nearest one (border, jitter)."""


class Wijk(BaseModel):
    """A CBS wijk: its exact code, full CBS name and the short name residents know."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class BuurtArea:
    """One buurt: who it is, its lon/lat polygon and a point inside it as (latitude, longitude)."""

    neighbourhood: Neighbourhood
    wijk: Wijk
    polygon: Any
    inside_point: tuple[float, float] | None = None


class _LocalMetres:
    """Project lon/lat onto a flat plane in metres around one reference latitude."""

    def __init__(self, latitude: float, longitude: float) -> None:
        phi = math.radians(latitude)
        self._lat0 = latitude
        self._lon0 = longitude
        self._m_per_lat = 111_132.954 - 559.822 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
        self._m_per_lon = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        """Return the plane coordinates (x east, y north) of a point in metres."""
        return (
            (longitude - self._lon0) * self._m_per_lon,
            (latitude - self._lat0) * self._m_per_lat,
        )

    def geometry(self, lonlat_geometry: Any) -> Any:
        """Return a lon/lat shapely geometry in plane coordinates."""
        return shapely.transform(
            lonlat_geometry,
            lambda coords: (coords - (self._lon0, self._lat0)) * (self._m_per_lon, self._m_per_lat),
        )


class NeighbourhoodMap:
    """Answer which buurt a point lies in, and list wijken and buurten; build it once."""

    def __init__(self, areas: Sequence[BuurtArea]) -> None:
        if not areas:
            raise ValueError("a neighbourhood map needs at least one buurt")
        codes = [area.neighbourhood.buurt_code for area in areas]
        if len(set(codes)) != len(codes):
            raise ValueError("buurt codes must be unique")
        for area in areas:
            expected_wijk = "WK" + area.neighbourhood.buurt_code[2:8]
            if area.neighbourhood.wijk_code != expected_wijk or area.wijk.code != expected_wijk:
                raise ValueError(f"{area.neighbourhood.buurt_code} is not in {expected_wijk}")
        ordered = sorted(areas, key=lambda area: area.neighbourhood.buurt_code)
        min_lon, min_lat, max_lon, max_lat = (
            float(value) for value in shapely.total_bounds([a.polygon for a in ordered])
        )
        self._bounds = (min_lon, min_lat, max_lon, max_lat)
        self._plane = _LocalMetres((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)
        self._neighbourhoods = [area.neighbourhood for area in ordered]
        self._by_code = {n.buurt_code: n for n in self._neighbourhoods}
        self._inside_points = {
            area.neighbourhood.buurt_code: _inside_point(area) for area in ordered
        }
        self._grid = BuurtGrid(
            [self._plane.geometry(area.polygon) for area in ordered], NEAREST_BUURT_METRES
        )
        wijken = {area.wijk.code: area.wijk for area in ordered}
        self._wijken = [wijken[code] for code in sorted(wijken)]
        self._buurten_by_wijk: dict[str, list[Neighbourhood]] = {}
        for neighbourhood in sorted(self._neighbourhoods, key=lambda n: n.buurt_name.casefold()):
            self._buurten_by_wijk.setdefault(neighbourhood.wijk_code, []).append(neighbourhood)

    @classmethod
    def from_files(
        cls, buurten_geojson: Path, centroids_csv: Path | None = None
    ) -> NeighbourhoodMap:
        """Load the buurt polygons and, when given, the guaranteed-inside points."""
        collection = json.loads(buurten_geojson.read_text(encoding="utf-8"))
        inside_points: dict[str, tuple[float, float]] = {}
        if centroids_csv is not None:
            with centroids_csv.open(encoding="utf-8", newline="") as rows:
                for row in csv.DictReader(rows):
                    inside_points[row["buurtcode"]] = (
                        float(row["inside_point_lat"]),
                        float(row["inside_point_lon"]),
                    )
        return cls.from_geojson(collection, inside_points)

    @classmethod
    def from_geojson(
        cls,
        collection: Mapping[str, Any],
        inside_points: Mapping[str, tuple[float, float]] | None = None,
    ) -> NeighbourhoodMap:
        """Build the map from a parsed buurten FeatureCollection and optional inside points."""
        points = inside_points or {}
        areas: list[BuurtArea] = []
        for feature in collection["features"]:
            properties = feature["properties"]
            wijk = Wijk(
                code=properties["wijkcode"],
                name=properties["wijknaam"],
                short_name=properties.get("wijknaam_kort") or properties["wijknaam"],
            )
            neighbourhood = Neighbourhood(
                buurt_code=properties["buurtcode"],
                buurt_name=properties["buurtnaam"],
                wijk_code=wijk.code,
                wijk_name=wijk.short_name,
            )
            areas.append(
                BuurtArea(
                    neighbourhood=neighbourhood,
                    wijk=wijk,
                    polygon=shape(feature["geometry"]),
                    inside_point=points.get(neighbourhood.buurt_code),
                )
            )
        return cls(areas)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return the municipality's bounding box as (min_lon, min_lat, max_lon, max_lat)."""
        return self._bounds

    def locate(self, latitude: float, longitude: float) -> Neighbourhood | None:
        """Return the buurt of a point, the nearest one within 200 m, or None when outside."""
        found = self._grid.locate(*self._plane.xy(latitude, longitude))
        return None if found is None else self._neighbourhoods[found]

    @property
    def grid(self) -> BuurtGrid:
        """Return the grid that answers `locate` (in plane metres; for tests and benchmarks)."""
        return self._grid

    def contains(self, latitude: float, longitude: float) -> bool:
        """Tell whether a point belongs to the municipality (within the border tolerance)."""
        return self.locate(latitude, longitude) is not None

    def wijken(self) -> list[Wijk]:
        """Return every wijk, sorted by code."""
        return list(self._wijken)

    def wijk(self, code: str) -> Wijk | None:
        """Return the wijk with this code, or None."""
        return next((wijk for wijk in self._wijken if wijk.code == code), None)

    def buurten(self, wijk_code: str) -> list[Neighbourhood]:
        """Return the buurten of a wijk sorted by name; empty for an unknown wijk."""
        return list(self._buurten_by_wijk.get(wijk_code, []))

    def buurt(self, code: str) -> Neighbourhood | None:
        """Return the buurt with this code, or None."""
        return self._by_code.get(code)

    def inside_point(self, buurt_code: str) -> tuple[float, float]:
        """Return a point inside the buurt as (latitude, longitude); KeyError when unknown."""
        return self._inside_points[buurt_code]


def _inside_point(area: BuurtArea) -> tuple[float, float]:
    """Return the given inside point when it really is inside, else one computed from the shape."""
    if area.inside_point is not None:
        latitude, longitude = area.inside_point
        if area.polygon.contains(shapely.Point(longitude, latitude)):
            return area.inside_point
    point = area.polygon.representative_point()
    return (float(point.y), float(point.x))
