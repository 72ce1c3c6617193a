"""Draw the municipality's wijken and buurten as an SVG map, without a tile server.

The projection is equirectangular with the longitude scaled by cos(latitude): at the size of a
municipality that is within a fraction of a percent of a proper map projection. The map carries
its projection (`data-west`, `data-north`, `data-scale-x`, `data-scale-y` on the <svg>), so a
click on the drawing can be turned back into a latitude and longitude:
`lon = west + x / scale_x`, `lat = north - y / scale_y`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

Ring = Sequence[Sequence[float]]


@dataclass(frozen=True)
class Projection:
    """Turn longitude and latitude into SVG units and back."""

    west: float
    north: float
    scale_x: float
    scale_y: float

    def xy(self, longitude: float, latitude: float) -> tuple[float, float]:
        """Return the drawing's (x, y) of a point."""
        return (longitude - self.west) * self.scale_x, (self.north - latitude) * self.scale_y

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        """Return the (longitude, latitude) of a point on the drawing."""
        return self.west + x / self.scale_x, self.north - y / self.scale_y


@dataclass(frozen=True)
class SvgMap:
    """An SVG drawing of buurten (filled, thin borders) under wijken (thick borders)."""

    svg: str
    projection: Projection
    width: float
    height: float


def _rings(geometry: Mapping[str, Any]) -> Iterable[Ring]:
    """Yield every ring (outer and holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _bounds(collection: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) of every ring of a FeatureCollection."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in collection["features"]:
        for ring in _rings(feature["geometry"]):
            lons.extend(point[0] for point in ring)
            lats.extend(point[1] for point in ring)
    if not lons:
        raise ValueError("the map has no polygons")
    return min(lons), min(lats), max(lons), max(lats)


def fit(collection: Mapping[str, Any], width: float) -> tuple[Projection, float]:
    """Return the projection that draws a FeatureCollection `width` units wide, and its height."""
    west, south, east, north = _bounds(collection)
    scale_x = width / (east - west)
    scale_y = scale_x / math.cos(math.radians((north + south) / 2))
    return Projection(west, north, scale_x, scale_y), (north - south) * scale_y


def rings(geometry: Mapping[str, Any]) -> Iterable[Ring]:
    """Yield every ring (outer and holes) of a Polygon or MultiPolygon."""
    return _rings(geometry)


def _path(geometry: Mapping[str, Any], projection: Projection) -> str:
    """Return the SVG path data of a polygon's rings, to one decimal."""
    parts = []
    for ring in _rings(geometry):
        points = [projection.xy(point[0], point[1]) for point in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def draw_map(
    buurten: Mapping[str, Any],
    wijken: Mapping[str, Any] | None = None,
    *,
    width: float = 600.0,
    fills: Mapping[str, str] | None = None,
    title: str = "",
) -> SvgMap:
    """Draw the buurten (each a <path> with data-code and data-name, filled from `fills` by
    buurt code) and, when given, the wijk borders over them."""
    projection, height = fit(buurten, width)
    west, north = projection.west, projection.north
    scale_x, scale_y = projection.scale_x, projection.scale_y
    colours = fills or {}
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}"'
        f' data-west="{west!r}" data-north="{north!r}" data-scale-x="{scale_x!r}"'
        f' data-scale-y="{scale_y!r}" role="img" aria-label="{escape(title)}">',
    ]
    if title:
        lines.append(f"<title>{escape(title)}</title>")
    lines.append('<g class="buurten">')
    for feature in buurten["features"]:
        properties = feature["properties"]
        code = str(properties.get("buurtcode", ""))
        name = str(properties.get("buurtnaam", ""))
        fill = colours.get(code, "#e8eef3")
        lines.append(
            f'<path d="{_path(feature["geometry"], projection)}" fill="{escape(fill)}"'
            f' data-code="{escape(code)}" data-name="{escape(name)}"'
            f' data-wijk="{escape(str(properties.get("wijknaam_kort", "")))}">'
            f"<title>{escape(name)}</title></path>"
        )
    lines.append("</g>")
    if wijken is not None:
        lines.append('<g class="wijken" fill="none" pointer-events="none">')
        for feature in wijken["features"]:
            code = escape(str(feature["properties"].get("wijkcode", "")))
            lines.append(f'<path d="{_path(feature["geometry"], projection)}" data-code="{code}"/>')
        lines.append("</g>")
    lines.append("</svg>")
    return SvgMap("\n".join(lines), projection, width, height)
