"""Geocode typed addresses through Nominatim without blocking, politely and within Enschede."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
from geopy.adapters import AioHTTPAdapter
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from reports.ports import GeocodeResult, GeocoderUnavailable

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
"""Longer texts are descriptions, not addresses; they are never sent to the geocoder."""

MAX_LABEL_LENGTH = 200
"""Labels are cut to what ``Location.label`` accepts."""

_POSTCODE = re.compile(r"\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*")


def normalise_query(query: str) -> str:
    """Return the cache key of a query: case-folded, whitespace collapsed."""
    return " ".join(query.casefold().split())


def point_label(latitude: float, longitude: float) -> str:
    """Return a plain label for a point that came without a name."""
    return f"{latitude:.5f}, {longitude:.5f}"


class NominatimGeocoder:
    """Find typed addresses through Nominatim: one request a second, cached, bounded to the city."""

    def __init__(
        self,
        *,
        user_agent: str,
        bounds: tuple[float, float, float, float],
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        timeout: float = 5.0,
        contains: Callable[[float, float], bool] | None = None,
        min_interval: float = 1.0,
        cache_size: int = 512,
        max_results: int = 5,
        language: str | None = "nl",
    ) -> None:
        if not user_agent.strip():
            raise ValueError("Nominatim needs an identifying user agent")
        if scheme not in {"http", "https"}:
            raise ValueError(f"unsupported scheme {scheme!r}")
        if timeout <= 0 or min_interval < 0 or cache_size < 0 or max_results < 1:
            raise ValueError("timeout and max_results must be positive, the others not negative")
        min_lon, min_lat, max_lon, max_lat = bounds
        if not (min_lon < max_lon and min_lat < max_lat):
            raise ValueError("bounds must be (min_lon, min_lat, max_lon, max_lat)")
        self._viewbox = [(min_lat, min_lon), (max_lat, max_lon)]
        self._contains = contains
        self._min_interval = min_interval
        self._cache_size = cache_size
        self._max_results = max_results
        self._language = language
        self._nominatim: Any = Nominatim(
            domain=domain,
            scheme=scheme,
            user_agent=user_agent.strip(),
            timeout=timeout,
            adapter_factory=AioHTTPAdapter,
        )
        self._cache: OrderedDict[str, GeocodeResult | None] = OrderedDict()
        self._lock = asyncio.Lock()
        self._next_request_at = 0.0
        self._closed = False

    async def geocode(self, query: str) -> GeocodeResult | None:
        """Return the best match inside the municipality, None when nothing matches."""
        key = normalise_query(query)
        if not key or len(key) > MAX_QUERY_LENGTH:
            return None
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        async with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            places = await self._search(query.strip())
            result = self._first_inside(places)
            self._remember(key, result)
            return result

    async def geocode_postcode(
        self, postcode: str, house_number: str | None = None
    ) -> GeocodeResult | None:
        """Return the point of a postcode ("7511AB" or "7511 AB") and house number in Enschede."""
        match = _POSTCODE.fullmatch(postcode)
        if match is None:
            raise ValueError(f"not a Dutch postcode: {postcode!r}")
        pc4, letters = match.groups()
        parts = [pc4] if letters is None else [pc4, letters.upper()]
        if house_number is not None and house_number.strip():
            parts.append(house_number.strip())
        return await self.geocode(" ".join(parts) + ", Enschede")

    async def close(self) -> None:
        """Close the HTTP session; later lookups raise GeocoderUnavailable."""
        if self._closed:
            return
        self._closed = True
        await self._nominatim.__aexit__(None, None, None)

    async def __aenter__(self) -> NominatimGeocoder:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _search(self, query: str) -> list[Any]:
        """Send one request, no sooner than the rate limit allows; the caller holds the lock."""
        if self._closed:
            raise GeocoderUnavailable("the geocoder is closed")
        wait = self._next_request_at - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            places = await self._nominatim.geocode(
                query,
                exactly_one=False,
                limit=self._max_results,
                country_codes="nl",
                viewbox=self._viewbox,
                bounded=True,
                language=self._language or False,
            )
        except (GeopyError, aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            logger.warning("Nominatim failed: %s", type(error).__name__)
            raise GeocoderUnavailable(str(error) or type(error).__name__) from error
        finally:
            self._next_request_at = time.monotonic() + self._min_interval
        return list(places or [])

    def _first_inside(self, places: list[Any]) -> GeocodeResult | None:
        """Return the first place inside the municipality, or None."""
        for place in places:
            latitude, longitude = place.latitude, place.longitude
            if latitude is None or longitude is None:
                continue
            if self._contains is not None and not self._contains(latitude, longitude):
                continue
            label = str(place.address or point_label(latitude, longitude))
            if len(label) > MAX_LABEL_LENGTH:
                label = label[: MAX_LABEL_LENGTH - 1].rstrip() + "…"
            return GeocodeResult(latitude=float(latitude), longitude=float(longitude), label=label)
        return None

    def _remember(self, key: str, result: GeocodeResult | None) -> None:
        """Cache a result (also None), dropping the least recently used beyond the cache size."""
        if self._cache_size == 0:
            return
        self._cache[key] = result
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
