"""The SVG map of Enschede: every buurt drawn, and a click on it turned back into its place."""

from __future__ import annotations

import json
import re

from config.loading import load_municipality
from reports.map_svg import draw_map
from reports.neighbourhoods import NeighbourhoodMap


def test_every_buurt_is_drawn_and_a_point_on_the_drawing_maps_back_to_its_buurt() -> None:
    files = load_municipality().neighbourhoods
    buurten = json.loads(files.buurten.read_text(encoding="utf-8"))
    wijken = json.loads(files.buurten.with_name("wijken.geojson").read_text(encoding="utf-8"))
    drawn = draw_map(buurten, wijken, fills={"BU01530000": "#ff0000"}, title="Enschede")
    names = re.findall(r'data-name="([^"]+)"', drawn.svg)
    assert len(names) == len(buurten["features"]) == 70
    assert drawn.svg.count('class="wijken"') == 1
    assert 'fill="#ff0000" data-code="BU01530000"' in drawn.svg
    hoods = NeighbourhoodMap.from_files(files.buurten, files.centroids)
    codes = re.findall(r'data-code="(BU\d+)"', drawn.svg)
    assert len(set(codes)) == 70
    for code in codes:
        latitude, longitude = hoods.inside_point(code)
        x, y = drawn.projection.xy(longitude, latitude)
        assert 0 <= x <= drawn.width and 0 <= y <= drawn.height
        back_lon, back_lat = drawn.projection.lonlat(round(x, 1), round(y, 1))
        found = hoods.locate(back_lat, back_lon)
        assert found is not None and found.buurt_code == code
