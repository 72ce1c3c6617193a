"""Typed places, postcodes, pins and addresses resolve to the right buurt, or say why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.locating import Choose, Found, LocationResolver, NotFound, Outside, Unavailable
from reports.models import LocationSource
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from reports.ports import GeocodeResult, GeocoderUnavailable

DATA = Path(__file__).resolve().parents[2] / "config" / "data"
HOODS = NeighbourhoodMap.from_files(DATA / "buurten.geojson", DATA / "buurten_centroids.csv")
PLACES = PlaceIndex.from_files(DATA / "namen_aliassen.csv", HOODS)
POSTCODES = PostcodeTable.from_csv(DATA / "pc4_enschede_centroids.csv")


class TableGeocoder:
    """A geocoder that answers from a table, records its queries and can be switched off."""

    def __init__(self, table: dict[str, tuple[float, float]], *, down: bool = False) -> None:
        self.table = table
        self.down = down
        self.queries: list[str] = []

    async def geocode(self, query: str) -> GeocodeResult | None:
        self.queries.append(query)
        if self.down:
            raise GeocoderUnavailable("down")
        point = self.table.get(query)
        return (
            None
            if point is None
            else GeocodeResult(latitude=point[0], longitude=point[1], label=query)
        )


def resolver(geocoder: TableGeocoder | None = None) -> LocationResolver:
    return LocationResolver(HOODS, PLACES, POSTCODES, geocoder, "Enschede")


def test_a_pin_on_the_oude_markt_lies_in_city() -> None:
    found = resolver().from_point(52.2196, 6.8937, LocationSource.PIN)
    assert isinstance(found, Found)
    assert found.location.neighbourhood.buurt_code == "BU01530000"
    assert found.location.has_point


def test_a_pin_in_hengelo_is_outside() -> None:
    assert isinstance(resolver().from_point(52.2658, 6.7931, LocationSource.PIN), Outside)


async def test_a_neighbourhood_name_places_the_report_without_a_point() -> None:
    found = await resolver().from_text("Boddenkamp")
    assert isinstance(found, Found)
    assert found.location.neighbourhood.buurt_name == "Boddenkamp"
    assert not found.location.has_point
    assert found.location.source is LocationSource.NAME


async def test_a_name_of_several_buurten_asks_to_choose() -> None:
    choice = await resolver().from_text("Stadsveld")
    assert isinstance(choice, Choose)
    assert len(choice.candidates) >= 2


async def test_a_pc4_of_enschede_places_the_report_by_its_centroid() -> None:
    found = await resolver().from_text("7511")
    assert isinstance(found, Found)
    assert found.location.source is LocationSource.POSTCODE
    assert found.location.neighbourhood.wijk_code == "WK015300"


async def test_a_postcode_of_another_town_is_outside() -> None:
    assert isinstance(await resolver().from_text("7551 AB"), Outside)


async def test_a_pc6_with_house_number_is_geocoded_for_an_exact_point() -> None:
    geocoder = TableGeocoder({"7511 AB 12, Enschede": (52.2196, 6.8937)})
    found = await resolver(geocoder).from_text("7511ab 12")
    assert isinstance(found, Found)
    assert found.location.has_point and found.location.source is LocationSource.ADDRESS
    assert geocoder.queries == ["7511 AB 12, Enschede"]


async def test_a_pc6_falls_back_to_the_pc4_when_the_geocoder_is_down() -> None:
    found = await resolver(TableGeocoder({}, down=True)).from_text("7511 AB 12")
    assert isinstance(found, Found)
    assert found.location.source is LocationSource.POSTCODE


async def test_an_address_goes_through_the_geocoder() -> None:
    geocoder = TableGeocoder({"Oude Markt 1": (52.2196, 6.8937)})
    found = await resolver(geocoder).from_text("  Oude   Markt 1 ")
    assert isinstance(found, Found) and found.location.label == "Oude Markt 1"


async def test_an_unknown_address_is_not_found_and_a_failing_geocoder_is_unavailable() -> None:
    assert isinstance(await resolver(TableGeocoder({})).from_text("Nergensstraat 9"), NotFound)
    down = TableGeocoder({}, down=True)
    assert isinstance(await resolver(down).from_text("Nergensstraat 9"), Unavailable)


async def test_without_a_geocoder_an_address_is_not_found() -> None:
    assert isinstance(await resolver(None).from_text("Hengelosestraat 100"), NotFound)


@pytest.mark.parametrize("text", ["", "   ", "x" * 500])
async def test_empty_or_essay_length_text_is_not_looked_up(text: str) -> None:
    geocoder = TableGeocoder({})
    assert isinstance(await resolver(geocoder).from_text(text), NotFound)
    assert geocoder.queries == []


def test_a_chosen_buurt_places_the_report_and_an_unknown_code_does_not() -> None:
    found = resolver().from_buurt("BU01530000", LocationSource.CHOSEN)
    assert isinstance(found, Found) and found.location.neighbourhood.buurt_name == "City"
    assert resolver().from_buurt("BU99999999", LocationSource.CHOSEN) is None
