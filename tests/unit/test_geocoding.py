"""Geocode typed addresses through NominatimGeocoder against a local fake Nominatim."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.geocoding import NominatimGeocoder
from reports.neighbourhoods import NeighbourhoodMap
from reports.ports import Geocoder, GeocoderUnavailable
from tests.fakes.geocoder import FakeNominatim, FakePlace

DATA = Path(__file__).resolve().parents[2] / "config" / "data"
USER_AGENT = "Meldbot-tests/0.1 (meldbot@example.org)"

OUDE_MARKT = FakePlace(52.2196, 6.8937, "Oude Markt, City, Enschede, Overijssel, Nederland")
HENGELO_MARKT = FakePlace(52.2658, 6.7931, "Markt, Hengelo, Overijssel, Nederland")
AMSTERDAM_DAM = FakePlace(52.3731, 4.8926, "Dam, Amsterdam, Noord-Holland, Nederland")

MakeGeocoder = Callable[..., NominatimGeocoder]


@pytest.fixture(scope="module")
def city_map() -> NeighbourhoodMap:
    return NeighbourhoodMap.from_files(DATA / "buurten.geojson", DATA / "buurten_centroids.csv")


@pytest.fixture
async def nominatim() -> AsyncIterator[FakeNominatim]:
    async with FakeNominatim() as fake:
        fake.add("oude markt", OUDE_MARKT)
        fake.add("markt, hengelo", HENGELO_MARKT)
        fake.add("marktstraat", HENGELO_MARKT, OUDE_MARKT)
        fake.add("dam", AMSTERDAM_DAM)
        yield fake


@pytest.fixture
async def make_geocoder(
    nominatim: FakeNominatim, city_map: NeighbourhoodMap
) -> AsyncIterator[MakeGeocoder]:
    made: list[NominatimGeocoder] = []

    def make(**overrides: Any) -> NominatimGeocoder:
        options: dict[str, Any] = {
            "domain": nominatim.domain,
            "scheme": "http",
            "user_agent": USER_AGENT,
            "timeout": 2.0,
            "bounds": city_map.bounds,
            "contains": city_map.contains,
        }
        options.update(overrides)
        geocoder = NominatimGeocoder(**options)
        made.append(geocoder)
        return geocoder

    yield make
    for geocoder in made:
        await geocoder.close()


def test_the_nominatim_geocoder_satisfies_the_geocoder_port(city_map: NeighbourhoodMap) -> None:
    geocoder: Geocoder = NominatimGeocoder(user_agent=USER_AGENT, bounds=city_map.bounds)

    assert geocoder is not None


async def test_an_address_in_enschede_is_found_with_its_label(
    make_geocoder: MakeGeocoder,
) -> None:
    result = await make_geocoder().geocode("Oude Markt 12")

    assert result is not None
    assert (result.latitude, result.longitude) == pytest.approx((52.2196, 6.8937))
    assert result.label == OUDE_MARKT.display_name


async def test_the_search_is_bounded_to_the_municipality_in_the_netherlands(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim, city_map: NeighbourhoodMap
) -> None:
    await make_geocoder().geocode("Oude Markt 12")

    params = nominatim.search_requests[0].params
    min_lon, min_lat, max_lon, max_lat = city_map.bounds
    assert params["q"] == "Oude Markt 12"
    assert params["viewbox"] == f"{min_lon},{min_lat},{max_lon},{max_lat}"
    assert params["bounded"] == "1"
    assert params["countrycodes"] == "nl"
    assert params["format"] == "json"


async def test_the_user_agent_is_sent(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    await make_geocoder().geocode("Oude Markt")

    assert nominatim.search_requests[0].user_agent == USER_AGENT


async def test_a_result_outside_the_municipality_is_dropped(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    assert await make_geocoder().geocode("Markt, Hengelo") is None
    assert len(nominatim.search_requests) == 1


async def test_the_first_result_inside_the_municipality_wins(
    make_geocoder: MakeGeocoder,
) -> None:
    result = await make_geocoder().geocode("Marktstraat")

    assert result is not None
    assert result.label == OUDE_MARKT.display_name


async def test_a_result_outside_the_viewbox_never_arrives(make_geocoder: MakeGeocoder) -> None:
    assert await make_geocoder(contains=None).geocode("Dam") is None


async def test_an_unknown_address_is_none(make_geocoder: MakeGeocoder) -> None:
    assert await make_geocoder().geocode("Nergensstraat 1") is None


async def test_a_server_error_raises_geocoder_unavailable(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    nominatim.fail_next(status=500)

    with pytest.raises(GeocoderUnavailable):
        await make_geocoder().geocode("Oude Markt")


async def test_a_refusal_for_too_many_requests_raises_geocoder_unavailable(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    nominatim.fail_next(status=429)

    with pytest.raises(GeocoderUnavailable):
        await make_geocoder().geocode("Oude Markt")


async def test_a_time_out_raises_geocoder_unavailable(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    nominatim.delay(5.0)

    with pytest.raises(GeocoderUnavailable):
        await make_geocoder(timeout=0.2).geocode("Oude Markt")


async def test_an_unreachable_server_raises_geocoder_unavailable(
    make_geocoder: MakeGeocoder,
) -> None:
    with pytest.raises(GeocoderUnavailable):
        await make_geocoder(domain="127.0.0.1:9").geocode("Oude Markt")


async def test_a_repeated_query_is_answered_from_the_cache(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    geocoder = make_geocoder()

    first = await geocoder.geocode("Oude Markt 12")
    again = await geocoder.geocode("  oude   MARKT 12 ")

    assert again == first
    assert len(nominatim.search_requests) == 1


async def test_a_query_without_result_is_cached_too(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    geocoder = make_geocoder()

    assert await geocoder.geocode("Nergensstraat 1") is None
    assert await geocoder.geocode("nergensstraat 1") is None

    assert len(nominatim.search_requests) == 1


async def test_a_failure_is_not_cached(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    geocoder = make_geocoder(min_interval=0.05)
    nominatim.fail_next(status=503)

    with pytest.raises(GeocoderUnavailable):
        await geocoder.geocode("Oude Markt")
    result = await geocoder.geocode("Oude Markt")

    assert result is not None
    assert len(nominatim.search_requests) == 2


async def test_the_least_recently_used_result_leaves_a_full_cache(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    geocoder = make_geocoder(cache_size=1, min_interval=0)

    await geocoder.geocode("Oude Markt")
    await geocoder.geocode("Marktstraat")
    await geocoder.geocode("Oude Markt")

    assert len(nominatim.search_requests) == 3


async def test_two_quick_lookups_are_at_least_a_second_apart(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    geocoder = make_geocoder()

    await geocoder.geocode("Oude Markt")
    await geocoder.geocode("Marktstraat")

    first, second = nominatim.search_requests
    assert second.at - first.at >= 1.0


async def test_a_postcode_with_house_number_is_searched_as_one_line(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    nominatim.add("7511 ab 12", OUDE_MARKT)

    result = await make_geocoder().geocode_postcode("7511ab", "12")

    assert result is not None
    assert nominatim.search_requests[0].params["q"] == "7511 AB 12, Enschede"


async def test_a_long_text_is_never_sent(
    make_geocoder: MakeGeocoder, nominatim: FakeNominatim
) -> None:
    assert await make_geocoder().geocode("Oude Markt " + "x" * 300) is None
    assert nominatim.search_requests == []


async def test_a_closed_geocoder_is_unavailable(make_geocoder: MakeGeocoder) -> None:
    geocoder = make_geocoder()
    await geocoder.close()

    with pytest.raises(GeocoderUnavailable):
        await geocoder.geocode("Oude Markt")


@pytest.mark.parametrize("user_agent", ["", "   "])
def test_an_identifying_user_agent_is_required(city_map: NeighbourhoodMap, user_agent: str) -> None:
    with pytest.raises(ValueError, match="user agent"):
        NominatimGeocoder(user_agent=user_agent, bounds=city_map.bounds)
