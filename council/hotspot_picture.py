"""Draw a hotspot's buurt with its reports as a blurred density, never as pins.

The buurt is drawn with its neighbours around it; each report with a location adds a disc to a
density layer that is then blurred over about 150 metres and coloured: the picture shows where
the reports concentrate, not where any one resident stood. Drawn with Pillow in a few
hundredths of a second.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from council.picture import INK, _font, _polygon
from reports.map_svg import Projection, rings

SIZE = 640
MARGIN = 0.6
"""How much of the buurt's own size is shown around it on every side."""
BLUR_METRES = 150.0
DISC_METRES = 60.0
HEAT = (214, 39, 40)
"""The density's colour (a red), drawn with more opacity where more reports lie."""


def _bounds(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    lons = [p[0] for ring in rings(geometry) for p in ring]
    lats = [p[1] for ring in rings(geometry) for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _projection(geometry: Mapping[str, Any]) -> Projection:
    """A square view of the buurt with MARGIN of its size around it."""
    west, south, east, north = _bounds(geometry)
    middle = (north + south) / 2
    shrink = math.cos(math.radians(middle))
    span = max((east - west) * shrink, north - south) * (1 + 2 * MARGIN)
    centre_lon, centre_lat = (west + east) / 2, middle
    scale_y = SIZE / span
    scale_x = scale_y * shrink
    return Projection(
        centre_lon - SIZE / 2 / scale_x, centre_lat + SIZE / 2 / scale_y, scale_x, scale_y
    )


def hotspot_picture(
    buurt_code: str,
    points: Sequence[tuple[float, float]],
    title: str,
    buurten: Mapping[str, Any],
) -> bytes:
    """Return the PNG of a buurt (by CBS code) with `points` (latitude, longitude) as density.

    Raises KeyError for a buurt the map does not have.
    """
    features = {str(f["properties"]["buurtcode"]): f for f in buurten["features"]}
    geometry = features[buurt_code]["geometry"]
    projection = _projection(geometry)
    image = Image.new("RGB", (SIZE, SIZE), "#f6f7f8")
    draw = ImageDraw.Draw(image)
    for code, feature in features.items():
        if code != buurt_code:
            outside = feature["geometry"]
            _polygon(draw, outside, projection, (0, 0), fill="#eceff1", outline="#b8c2ca")
    _polygon(draw, geometry, projection, (0, 0), fill="white")
    pixels_per_metre = projection.scale_y / 111_320.0
    density = _density(points, projection, pixels_per_metre)
    if density is not None:
        image.paste(Image.new("RGB", (SIZE, SIZE), HEAT), (0, 0), density)
    _polygon(draw, geometry, projection, (0, 0), outline=INK, width=3)
    _scale_bar(draw, pixels_per_metre)
    box = draw.textbbox((12, 10), title, font=_font(20))
    draw.rectangle((box[0] - 6, box[1] - 4, box[2] + 6, box[3] + 4), fill="white")
    draw.text((12, 10), title, fill=INK, font=_font(20))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _density(
    points: Sequence[tuple[float, float]], projection: Projection, pixels_per_metre: float
) -> Image.Image | None:
    """The blurred density of the points as an opacity mask (None without points)."""
    if not points:
        return None
    radius = max(2.0, DISC_METRES * pixels_per_metre)
    density = Image.new("L", (SIZE, SIZE), 0)
    for latitude, longitude in points:
        x, y = projection.xy(longitude, latitude)
        disc = Image.new("L", (SIZE, SIZE), 0)
        ImageDraw.Draw(disc).ellipse((x - radius, y - radius, x + radius, y + radius), fill=48)
        density = ImageChops.add(density, disc)
    blurred = density.filter(ImageFilter.GaussianBlur(max(2.0, BLUR_METRES * pixels_per_metre)))
    peak = blurred.getextrema()[1]
    if not isinstance(peak, int | float) or peak <= 0:
        return None
    return blurred.point(lambda value: round(210 * value / peak))


def _scale_bar(draw: ImageDraw.ImageDraw, pixels_per_metre: float) -> None:
    """Draw a bar of a round length (100, 200, 500 m or 1 km) in the lower left corner."""
    metres = next((m for m in (100, 200, 500, 1000, 2000) if m * pixels_per_metre >= 80), 5000)
    length = metres * pixels_per_metre
    x, y = 16, SIZE - 24
    draw.rectangle((x - 6, y - 22, x + length + 6, y + 10), fill="white")
    draw.line((x, y, x + length, y), fill=INK, width=3)
    label = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    draw.text((x, y - 20), label, fill=INK, font=_font(14))
