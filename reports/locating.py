"""Turn what a resident gives (a pin, a postcode, a name, an address) into a place in the city."""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import Location, LocationSource, Neighbourhood
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeQuery, PostcodeTable, parse_postcode
from reports.ports import Geocoder, GeocoderUnavailable

MAX_QUERY_CHARS = 120
"""Longer texts are not looked up: they are sentences, not places."""


@dataclass(frozen=True)
class Found:
    """The place is known."""

    location: Location


@dataclass(frozen=True)
class Choose:
    """The text names several buurten; the resident picks one."""

    query: str
    candidates: tuple[Neighbourhood, ...]


@dataclass(frozen=True)
class Outside:
    """The place lies outside the municipality."""


@dataclass(frozen=True)
class NotFound:
    """Nothing matches the text."""

    query: str


@dataclass(frozen=True)
class Unavailable:
    """The address lookup failed; offer the pin and the neighbourhood list instead."""


Resolution = Found | Choose | Outside | NotFound | Unavailable


class LocationResolver:
    """Resolve pins, typed postcodes, neighbourhood names and street addresses."""

    def __init__(
        self,
        neighbourhoods: NeighbourhoodMap,
        places: PlaceIndex,
        postcodes: PostcodeTable,
        geocoder: Geocoder | None,
        city: str,
    ) -> None:
        self._city = city
        self.neighbourhoods = neighbourhoods
        self._places = places
        self._postcodes = postcodes
        self._geocoder = geocoder

    def from_point(
        self,
        latitude: float,
        longitude: float,
        source: LocationSource,
        label: str | None = None,
    ) -> Found | Outside:
        """Place a shared pin, venue or live location in its buurt."""
        neighbourhood = self.neighbourhoods.locate(latitude, longitude)
        if neighbourhood is None:
            return Outside()
        return Found(
            Location(
                neighbourhood=neighbourhood,
                latitude=round(latitude, 6),
                longitude=round(longitude, 6),
                source=source,
                label=_clip(label),
            )
        )

    def from_buurt(self, buurt_code: str, source: LocationSource) -> Found | None:
        """Place a report in a buurt the resident chose, without an exact spot."""
        neighbourhood = self.neighbourhoods.buurt(buurt_code)
        if neighbourhood is None:
            return None
        return Found(Location(neighbourhood=neighbourhood, source=source))

    async def from_text(self, text: str) -> Resolution:
        """Resolve a typed postcode, neighbourhood name or street address."""
        query = " ".join(text.split())
        if not query or len(query) > MAX_QUERY_CHARS:
            return NotFound(_clip(query) or "")
        postcode = parse_postcode(query)
        if postcode is not None:
            return await self._from_postcode(query, postcode)
        place = self._places.match(query)
        if place is not None:
            single = place.neighbourhood
            if single is not None:
                return Found(
                    Location(neighbourhood=single, source=LocationSource.NAME, label=_clip(query))
                )
            return Choose(query=query, candidates=place.candidates)
        return await self._from_address(query)

    async def _from_postcode(self, query: str, postcode: PostcodeQuery) -> Resolution:
        if not self._postcodes.is_enschede(postcode.pc4):
            return Outside()
        if postcode.letters and postcode.house_number and self._geocoder is not None:
            resolution = await self._from_address(
                f"{postcode.postcode} {postcode.house_number}, {self._city}"
            )
            if isinstance(resolution, Found):
                return resolution
        centroid = self._postcodes.centroid(postcode.pc4)
        if centroid is None:
            return NotFound(query)
        neighbourhood = self.neighbourhoods.locate(*centroid)
        if neighbourhood is None:
            return NotFound(query)
        return Found(
            Location(
                neighbourhood=neighbourhood,
                source=LocationSource.POSTCODE,
                label=postcode.postcode,
            )
        )

    async def _from_address(self, query: str) -> Resolution:
        if self._geocoder is None:
            return NotFound(query)
        try:
            result = await self._geocoder.geocode(query)
        except GeocoderUnavailable:
            return Unavailable()
        if result is None:
            return NotFound(query)
        return self.from_point(result.latitude, result.longitude, LocationSource.ADDRESS, query)


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= 200 else text[:199] + "…"
