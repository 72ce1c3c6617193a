"""A local fake of Nominatim's ``/search``: known places, failures on demand, a request log."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from aiohttp import web


@dataclass(frozen=True)
class FakePlace:
    """One search result the fake can return."""

    latitude: float
    longitude: float
    display_name: str
    category: str = "place"
    type: str = "house"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, with its arrival time (``time.monotonic``)."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float

    @property
    def user_agent(self) -> str | None:
        """Return the User-Agent header the client sent."""
        return self.headers.get("User-Agent")


@dataclass
class _Failure:
    status: int
    times: int


@dataclass
class FakeNominatim:
    """Answer ``/search`` like Nominatim from a table of known queries, on 127.0.0.1."""

    places: dict[str, list[FakePlace]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.places = {query.casefold(): list(found) for query, found in self.places.items()}
        self._failures: list[_Failure] = []
        self._delay = 0.0
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    def add(self, query: str, *places: FakePlace) -> None:
        """Answer every query containing ``query`` (case-insensitive) with these places."""
        self.places.setdefault(query.casefold(), []).extend(places)

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` requests with this HTTP status."""
        self._failures.append(_Failure(status, times))

    def delay(self, seconds: float) -> None:
        """Wait this long before answering every later request (0 to stop)."""
        self._delay = seconds

    @property
    def domain(self) -> str:
        """Return "127.0.0.1:PORT", the value for a Nominatim ``domain``."""
        if self._port is None:
            raise RuntimeError("the fake Nominatim is not started")
        return f"127.0.0.1:{self._port}"

    @property
    def search_requests(self) -> list[RecordedRequest]:
        """Return the requests made to ``/search``."""
        return [request for request in self.requests if request.path == "/search"]

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_get("/search", self._search)
        app.router.add_get("/status", self._status)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Release delayed requests and stop the server."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeNominatim:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _status(self, request: web.Request) -> web.Response:
        self._record(request)
        return web.Response(text="OK")

    async def _search(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        if self._delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), timeout=self._delay)
        if self._failures:
            failure = self._failures[0]
            failure.times -= 1
            if failure.times <= 0:
                self._failures.pop(0)
            return web.Response(status=failure.status, text=f"fake failure {failure.status}")
        params = request.query
        response_format = params.get("format", "xml")
        if response_format not in {"json", "jsonv2"}:
            return web.Response(status=400, text=f"format {response_format} not faked")
        found = self._find(_query_text(params))
        if params.get("bounded") == "1" and "viewbox" in params:
            found = [place for place in found if _inside(params["viewbox"], place)]
        limit = int(params.get("limit", "10"))
        results = [
            _as_json(place, index, response_format) for index, place in enumerate(found[:limit])
        ]
        return web.json_response(results)

    def _find(self, query: str) -> list[FakePlace]:
        text = query.casefold()
        return [place for known, places in self.places.items() if known in text for place in places]

    def _record(self, request: web.Request) -> None:
        self.requests.append(
            RecordedRequest(
                path=request.path,
                params=dict(request.query),
                headers=dict(request.headers),
                at=time.monotonic(),
            )
        )


def _query_text(params: Mapping[str, str]) -> str:
    if "q" in params:
        return params["q"]
    parts: Sequence[str] = [
        params[key] for key in ("street", "postalcode", "city", "county", "state") if key in params
    ]
    return ", ".join(parts)


def _inside(viewbox: str, place: FakePlace) -> bool:
    lon1, lat1, lon2, lat2 = (float(value) for value in viewbox.split(","))
    within_longitudes = min(lon1, lon2) <= place.longitude <= max(lon1, lon2)
    return within_longitudes and min(lat1, lat2) <= place.latitude <= max(lat1, lat2)


def _as_json(place: FakePlace, index: int, response_format: str) -> dict[str, object]:
    result: dict[str, object] = {
        "place_id": 100_000 + index,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 1_000_000 + index,
        "lat": f"{place.latitude:.7f}",
        "lon": f"{place.longitude:.7f}",
        "display_name": place.display_name,
        "type": place.type,
        "importance": round(0.5 - index * 0.01, 3),
        "boundingbox": [
            f"{place.latitude - 0.0001:.7f}",
            f"{place.latitude + 0.0001:.7f}",
            f"{place.longitude - 0.0001:.7f}",
            f"{place.longitude + 0.0001:.7f}",
        ],
    }
    if response_format == "jsonv2":
        result["category"] = place.category
        result["place_rank"] = 30
    else:
        result["class"] = place.category
    return result
