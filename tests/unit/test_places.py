"""Read postcodes and neighbourhood names that residents type."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.neighbourhoods import NeighbourhoodMap
from reports.places import (
    PlaceIndex,
    PlaceKind,
    PostcodeQuery,
    PostcodeTable,
    normalise_place,
    parse_postcode,
)

DATA = Path(__file__).resolve().parents[2] / "config" / "data"


@pytest.fixture(scope="module")
def city_map() -> NeighbourhoodMap:
    return NeighbourhoodMap.from_files(DATA / "buurten.geojson", DATA / "buurten_centroids.csv")


@pytest.fixture(scope="module")
def places(city_map: NeighbourhoodMap) -> PlaceIndex:
    return PlaceIndex.from_files(DATA / "namen_aliassen.csv", city_map)


@pytest.fixture(scope="module")
def postcodes() -> PostcodeTable:
    return PostcodeTable.from_csv(DATA / "pc4_enschede_centroids.csv")


@pytest.mark.parametrize(
    ("text", "pc4", "letters", "house_number"),
    [
        ("7511", "7511", None, None),
        ("7511 AB", "7511", "AB", None),
        ("7511AB", "7511", "AB", None),
        ("  7511 ab  ", "7511", "AB", None),
        ("7511AB 12", "7511", "AB", "12"),
        ("7511 ab 12a", "7511", "AB", "12A"),
        ("7511 AB 12 b", "7511", "AB", "12B"),
        ("7511AB, 12", "7511", "AB", "12"),
        ("7511AB12", "7511", "AB", "12"),
        ("7511 AB 12-2", "7511", "AB", "12-2"),
        ("7511 AB Enschede", "7511", "AB", None),
        ("7511AB 12, Enschede", "7511", "AB", "12"),
    ],
)
def test_a_typed_postcode_is_recognised(
    text: str, pc4: str, letters: str | None, house_number: str | None
) -> None:
    assert parse_postcode(text) == PostcodeQuery(
        pc4=pc4, letters=letters, house_number=house_number
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "in 2024 the streetlight broke",
        "sinds 2023 staat hier afval",
        "Oude Markt 12",
        "0511 AB",
        "75111",
        "751",
        "7511 ABC",
        "7511 a",
        "7511 12",
        "7511 AB 12 a b",
        "06 12345678",
    ],
)
def test_text_that_is_not_only_a_postcode_is_no_postcode(text: str) -> None:
    assert parse_postcode(text) is None


def test_a_postcode_is_written_with_a_space_before_the_letters() -> None:
    query = parse_postcode("7511ab")

    assert query is not None
    assert query.postcode == "7511 AB"


def test_a_residential_postcode_has_a_centroid_in_enschede(
    postcodes: PostcodeTable, city_map: NeighbourhoodMap
) -> None:
    centroid = postcodes.centroid("7511")

    assert centroid is not None
    found = city_map.locate(*centroid)
    assert found is not None
    assert found.buurt_name == "De Bothoven"


def test_every_residential_postcode_centroid_lies_in_enschede(
    postcodes: PostcodeTable, city_map: NeighbourhoodMap
) -> None:
    residential = [f"{number}" for number in range(7505, 7549) if postcodes.centroid(f"{number}")]

    assert len(residential) == 23
    for pc4 in residential:
        centroid = postcodes.centroid(pc4)
        assert centroid is not None
        assert city_map.locate(*centroid) is not None, pc4


@pytest.mark.parametrize("pc4", ["7500", "7502", "7503", "7504"])
def test_a_po_box_postcode_is_enschede_but_has_no_centroid(
    postcodes: PostcodeTable, pc4: str
) -> None:
    assert postcodes.is_enschede(pc4)
    assert postcodes.centroid(pc4) is None


@pytest.mark.parametrize("pc4", ["7550", "7601", "1012", "7515"])
def test_a_postcode_elsewhere_is_not_enschede(postcodes: PostcodeTable, pc4: str) -> None:
    assert not postcodes.is_enschede(pc4)
    assert postcodes.centroid(pc4) is None


@pytest.mark.parametrize(
    ("text", "buurt_code"),
    [
        ("Zwering", "BU01530207"),
        ("'t Zwering", "BU01530207"),
        ("\u2019t zwering", "BU01530207"),
        ("De Laares", "BU01530002"),
        ("laares", "BU01530002"),
        ("UT", "BU01530406"),
        ("U.T.", "BU01530406"),
        ("bij de UT", "BU01530406"),
        ("Universiteit Twente", "BU01530406"),
        ("Drienerveld-U.T.", "BU01530406"),
        ("Binnenstad", "BU01530000"),
        ("Het Brunink", "BU01530609"),
        ("Pathmös", "BU01530202"),
        ("De Broeierd", "BU01530703"),
        ("Stroinkslanden Noord Oost", "BU01530600"),
        ("Stroinkslanden noordoost", "BU01530600"),
        ("Roombeek, Enschede", "BU01530402"),
        ("Bolhaar.", "BU01530401"),
        ("Twekkelerveld", "BU01530301"),
    ],
)
def test_a_buurt_name_or_alias_names_exactly_one_buurt(
    places: PlaceIndex, text: str, buurt_code: str
) -> None:
    match = places.match(text)

    assert match is not None
    assert match.kind is PlaceKind.BUURT
    assert match.neighbourhood is not None
    assert match.neighbourhood.buurt_code == buurt_code
    assert match.exact


@pytest.mark.parametrize(
    ("text", "buurt_code"),
    [
        ("Rombeek", "BU01530402"),
        ("Mekelholt", "BU01530403"),
        ("Deppenbrook", "BU01530404"),
        ("universiteit twnte", "BU01530406"),
        ("Kennisprak", "BU01530703"),
    ],
)
def test_a_small_typo_still_names_the_buurt(places: PlaceIndex, text: str, buurt_code: str) -> None:
    match = places.match(text)

    assert match is not None
    assert match.neighbourhood is not None
    assert match.neighbourhood.buurt_code == buurt_code
    assert not match.exact


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Wesselerbrink", 4),
        ("Weselerbrink", 4),
        ("Stroinkslanden", 3),
        ("Boekelo", 2),
        ("Lonneker", 2),
        ("Stokhorst", 2),
        ("Hogeland", 2),
    ],
)
def test_an_alias_for_an_area_names_several_buurten(
    places: PlaceIndex, text: str, count: int
) -> None:
    match = places.match(text)

    assert match is not None
    assert match.kind is PlaceKind.BUURTEN
    assert len(match.candidates) == count
    assert match.neighbourhood is None
    names = [buurt.buurt_name for buurt in match.candidates]
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize(
    ("text", "wijk_code", "count"),
    [
        ("Enschede-Noord", "WK015304", 7),
        ("enschede noord", "WK015304", 7),
        ("Wijk 04 Enschede-Noord", "WK015304", 7),
        ("Centrum", "WK015300", 9),
        ("centrum enschede", "WK015300", 9),
        ("Glanerbrug", "WK015308", 9),
        ("Hogeland - Velve", "WK015301", 7),
        ("Landelijk gebied en kernen", "WK015309", 9),
    ],
)
def test_a_wijk_name_lists_its_buurten(
    places: PlaceIndex, text: str, wijk_code: str, count: int
) -> None:
    match = places.match(text)

    assert match is not None
    assert match.kind is PlaceKind.WIJK
    assert match.wijk is not None
    assert match.wijk.code == wijk_code
    assert len(match.candidates) == count
    assert {buurt.wijk_code for buurt in match.candidates} == {wijk_code}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "de",
        "'t",
        "Enschede",
        "Hengelo",
        "Oude Markt",
        "Noord",
        "stad",
        "7511 AB",
        "Er ligt veel afval op straat",
        "Wesselerbrink " + "x" * 40,
        (
            "Bij de Wesselerbrink staat al weken een kapotte lantaarnpaal en 's avonds is het "
            "daardoor erg donker op het fietspad naar het winkelcentrum, wat onveilig voelt voor "
            "iedereen die daar na zonsondergang langs moet."
        ),
    ],
)
def test_text_that_names_no_known_place_matches_nothing(places: PlaceIndex, text: str) -> None:
    assert places.match(text) is None


def test_names_are_compared_without_case_accents_articles_or_punctuation() -> None:
    assert normalise_place("'t Zwering") == normalise_place("ZWERING")
    assert normalise_place("Pathmös") == "pathmos"
    assert normalise_place("Drienerveld-U.T.") == "drienerveldut"
    assert normalise_place("in de Wesselerbrink") == "wesselerbrink"


def test_an_alias_with_an_unknown_code_is_refused(
    city_map: NeighbourhoodMap, tmp_path: Path
) -> None:
    aliases = tmp_path / "aliassen.csv"
    aliases.write_text(
        "alias,niveau,codes,namen,opmerking\nNergens,buurt,BU01539999,Nergens,\n", encoding="utf-8"
    )

    with pytest.raises(ValueError, match="unknown buurt"):
        PlaceIndex.from_files(aliases, city_map)
