"""Locate points in Enschede's CBS buurten and list its wijken and buurten."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from reports.neighbourhoods import NeighbourhoodMap

DATA = Path(__file__).resolve().parents[2] / "config" / "data"


@pytest.fixture(scope="module")
def city_map() -> NeighbourhoodMap:
    return NeighbourhoodMap.from_files(DATA / "buurten.geojson", DATA / "buurten_centroids.csv")


@pytest.fixture(scope="module")
def municipality() -> shapely.Geometry:
    collection = json.loads((DATA / "gemeente_enschede.geojson").read_text(encoding="utf-8"))
    return shape(collection["features"][0]["geometry"])


@pytest.mark.parametrize(
    ("latitude", "longitude", "buurt_code", "buurt_name"),
    [
        pytest.param(52.2196, 6.8937, "BU01530000", "City", id="Oude Markt"),
        pytest.param(52.2393, 6.8555, "BU01530406", "Drienerveld-U.T.", id="UT campus"),
        pytest.param(52.2368, 6.8373, "BU01530703", "Kennispark", id="De Grolsch Veste"),
        pytest.param(52.2036, 6.7998, "BU01530901", "Dorp Boekelo", id="Boekelo"),
        pytest.param(52.2185, 6.9620, "BU01530801", "Bentveld-Bultserve", id="Glanerbrug"),
    ],
)
def test_a_known_place_lies_in_its_buurt(
    city_map: NeighbourhoodMap, latitude: float, longitude: float, buurt_code: str, buurt_name: str
) -> None:
    found = city_map.locate(latitude, longitude)

    assert found is not None
    assert (found.buurt_code, found.buurt_name) == (buurt_code, buurt_name)
    assert found.wijk_code == "WK" + buurt_code[2:8]


def test_the_wijk_name_is_the_short_name_residents_know(city_map: NeighbourhoodMap) -> None:
    found = city_map.locate(52.2393, 6.8555)

    assert found is not None
    assert (found.wijk_code, found.wijk_name) == ("WK015304", "Enschede-Noord")


def test_a_point_in_hengelo_is_outside_the_municipality(city_map: NeighbourhoodMap) -> None:
    assert city_map.locate(52.2658, 6.7931) is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "buurt_code"),
    [
        pytest.param(52.285869, 6.906778, "BU01530902", id="north of Lonneker"),
        pytest.param(52.214852, 6.980428, "BU01530802", id="east of Glanerbrug"),
    ],
)
def test_a_point_fifty_metres_outside_the_border_gets_the_nearest_buurt(
    city_map: NeighbourhoodMap,
    municipality: shapely.Geometry,
    latitude: float,
    longitude: float,
    buurt_code: str,
) -> None:
    point = shapely.Point(longitude, latitude)
    assert not municipality.contains(point)
    assert 0.0004 < municipality.distance(point) < 0.0009  # about 50 m in degrees here

    found = city_map.locate(latitude, longitude)

    assert found is not None
    assert found.buurt_code == buurt_code


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        pytest.param(52.287593, 6.905951, id="250 m north of Lonneker"),
        pytest.param(52.214874, 6.983354, id="250 m east of Glanerbrug"),
    ],
)
def test_a_point_well_outside_the_border_is_outside_the_municipality(
    city_map: NeighbourhoodMap, latitude: float, longitude: float
) -> None:
    assert city_map.locate(latitude, longitude) is None


def test_a_point_exactly_on_a_shared_border_gets_one_of_the_two_buurten(
    city_map: NeighbourhoodMap,
) -> None:
    found = city_map.locate(52.223536, 6.895092)  # a vertex shared by City and Lasonder, Zeggelt

    assert found is not None
    assert found.buurt_code in {"BU01530000", "BU01530001"}


def test_a_point_exactly_on_the_municipal_border_gets_its_buurt(
    city_map: NeighbourhoodMap,
) -> None:
    found = city_map.locate(52.166727, 6.849486)  # a vertex of the municipal outline

    assert found is not None
    assert found.buurt_code == "BU01530905"


def test_enschede_has_ten_wijken_sorted_by_code(city_map: NeighbourhoodMap) -> None:
    wijken = city_map.wijken()

    assert [wijk.code for wijk in wijken] == [f"WK0153{number:02d}" for number in range(10)]
    assert wijken[4].name == "Wijk 04 Enschede-Noord"
    assert wijken[4].short_name == "Enschede-Noord"


def test_enschede_has_seventy_buurten_each_in_its_own_wijk(city_map: NeighbourhoodMap) -> None:
    buurten = [buurt for wijk in city_map.wijken() for buurt in city_map.buurten(wijk.code)]

    assert len(buurten) == 70
    assert len({buurt.buurt_code for buurt in buurten}) == 70
    assert all(buurt.wijk_code == "WK" + buurt.buurt_code[2:8] for buurt in buurten)


def test_the_buurten_of_a_wijk_are_sorted_by_name(city_map: NeighbourhoodMap) -> None:
    names = [buurt.buurt_name for buurt in city_map.buurten("WK015308")]

    assert names == sorted(names, key=str.casefold)
    assert len(names) == 9
    assert "Glanerveld" in names


def test_an_unknown_wijk_has_no_buurten(city_map: NeighbourhoodMap) -> None:
    assert city_map.buurten("WK099999") == []
    assert city_map.wijk("WK099999") is None


def test_a_buurt_is_found_by_its_code(city_map: NeighbourhoodMap) -> None:
    found = city_map.buurt("BU01530207")

    assert found is not None
    assert found.buurt_name == "'t Zwering"
    assert city_map.buurt("BU99999999") is None


def test_every_buurt_inside_point_locates_to_that_buurt(city_map: NeighbourhoodMap) -> None:
    for wijk in city_map.wijken():
        for buurt in city_map.buurten(wijk.code):
            found = city_map.locate(*city_map.inside_point(buurt.buurt_code))
            assert found == buurt


def test_an_unknown_buurt_has_no_inside_point(city_map: NeighbourhoodMap) -> None:
    with pytest.raises(KeyError):
        city_map.inside_point("BU99999999")


def test_the_bounds_enclose_the_municipality(
    city_map: NeighbourhoodMap, municipality: shapely.Geometry
) -> None:
    expected = tuple(round(value, 6) for value in municipality.bounds)

    assert tuple(round(value, 6) for value in city_map.bounds) == expected
    min_lon, min_lat, max_lon, max_lat = city_map.bounds
    assert min_lon < 6.8937 < max_lon
    assert min_lat < 52.2196 < max_lat


def test_the_map_also_works_without_the_inside_point_table() -> None:
    bare = NeighbourhoodMap.from_files(DATA / "buurten.geojson")

    for wijk in bare.wijken():
        for buurt in bare.buurten(wijk.code):
            assert bare.locate(*bare.inside_point(buurt.buurt_code)) == buurt


def test_contains_tells_whether_a_point_is_in_the_municipality(city_map: NeighbourhoodMap) -> None:
    assert city_map.contains(52.2196, 6.8937)
    assert not city_map.contains(52.2658, 6.7931)


def test_a_lookup_takes_well_under_a_millisecond(city_map: NeighbourhoodMap) -> None:
    points = [(52.2196, 6.8937), (52.2658, 6.7931), (52.285869, 6.906778)] * 300
    started = time.perf_counter()
    for latitude, longitude in points:
        city_map.locate(latitude, longitude)
    per_lookup = (time.perf_counter() - started) / len(points)

    assert per_lookup < 0.0005


def test_a_wijk_code_that_does_not_match_the_buurt_code_is_refused() -> None:
    collection = json.loads((DATA / "buurten.geojson").read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["wijkcode"] = "WK015301"

    with pytest.raises(ValueError, match="is not in"):
        NeighbourhoodMap.from_geojson(collection)
