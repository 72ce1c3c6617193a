"""The hotspot picture: the buurt with its reports as a smooth density, never as pins."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops

from council.hotspot_picture import SIZE, _projection, hotspot_picture
from council.maps import load_maps

ROOT = Path(__file__).resolve().parents[2]
BODDENKAMP = "BU01530008"
# Three reports close together inside Boddenkamp, one a bit apart.
POINTS = [(52.22185, 6.8930), (52.22195, 6.8932), (52.22175, 6.8928), (52.2212, 6.8915)]


def drawn(points: list[tuple[float, float]]) -> Image.Image:
    buurten, _ = load_maps(ROOT / "config/data/buurten.geojson")
    png = hotspot_picture(BODDENKAMP, points, "Jongerenoverlast: Boddenkamp", buurten)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (SIZE, SIZE)
    return image


def redness(pixel: tuple[int, ...]) -> int:
    return pixel[0] - (pixel[1] + pixel[2]) // 2


def test_reports_show_as_a_smooth_density_where_they_concentrate() -> None:
    image = drawn(POINTS)
    buurten, _ = load_maps(ROOT / "config/data/buurten.geojson")
    feature = next(f for f in buurten["features"] if f["properties"]["buurtcode"] == BODDENKAMP)
    projection = _projection(feature["geometry"])
    x, y = (round(v) for v in projection.xy(POINTS[0][1], POINTS[0][0]))
    centre = image.getpixel((x, y))
    assert isinstance(centre, tuple) and redness(centre) > 60, "the concentration is coloured"
    for dx, dy in ((4, 0), (0, 4), (-4, 0), (0, -4)):
        near = image.getpixel((x + dx, y + dy))
        assert isinstance(near, tuple)
        assert abs(redness(near) - redness(centre)) <= 12, "no sharp pin where a report was"
    far = image.getpixel((SIZE - 40, 60))
    assert isinstance(far, tuple) and redness(far) < 10


def test_without_locations_the_buurt_is_drawn_without_density() -> None:
    red, green, blue = drawn([]).split()
    reddest = ImageChops.subtract(red, ImageChops.add(green, blue, scale=2.0))
    _, highest = reddest.getextrema()
    assert isinstance(highest, int) and highest < 10
