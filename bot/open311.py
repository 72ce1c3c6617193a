"""Serve Open311 GeoReport v2 under /open311/v2/ from the bot's own process and event loop.

On when `[open311] enabled = true`, on `host`:`port` (127.0.0.1:8311; behind the city's TLS
proxy in production). The calls and what they return are in services/open311.py; this module
speaks HTTP: JSON and XML as the standard asks, its error format for every refusal (also for
a body over 1 MB or an unknown path), API keys checked against their SHA-256 (the keys
themselves are never stored), and a rate limit per key (per address without one). Request
bodies are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from aiohttp import web

from config.open311 import Open311Client
from services import open311
from services.container import Services
from services.open311 import NewRequest, Open311Error

log = logging.getLogger(__name__)

BASE = "/open311/v2"
MAX_BODY = 1024 * 1024
_FMT = "{fmt:json|xml}"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _document(top: ET.Element) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="unicode")
    ).encode()


def _xml(root: str, item: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if value is not None:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
    return _document(top)


def _answer(
    fmt: str, root: str, item: str, rows: Sequence[Mapping[str, Any]], status: int = 200
) -> web.Response:
    if fmt == "xml":
        return web.Response(
            body=_xml(root, item, rows), status=status, content_type="text/xml", charset="utf-8"
        )
    return web.json_response(list(rows), status=status)


def _error(fmt: str, code: int, description: str) -> web.Response:
    return _answer(fmt, "errors", "error", [{"code": code, "description": description}], code)


def _format_of(request: web.Request) -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def _date(value: str | None, zone: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise Open311Error(400, "dates must be W3C datetimes, e.g. 2026-11-01T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class Open311Server:
    """The endpoint's HTTP side: routes, keys, rate limits, formats."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config.open311
        self._calls: defaultdict[str, deque[float]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def app(self) -> web.Application:
        """Return the aiohttp application with the GeoReport routes."""
        application = web.Application(client_max_size=MAX_BODY, middlewares=[self._errors])
        application.add_routes(
            [
                web.get(f"{BASE}/services.{_FMT}", self.services),
                web.get(f"{BASE}/services/{{code:[^/]+?}}.{_FMT}", self.definition),
                web.get(f"{BASE}/requests.{_FMT}", self.requests),
                web.post(f"{BASE}/requests.{_FMT}", self.post_request),
                web.get(f"{BASE}/requests/{{id:[^/]+?}}.{_FMT}", self.one_request),
            ]
        )
        return application

    async def start(self) -> None:
        """Listen on the configured host and port (0: any free port, see `port`)."""
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        log.info("Open311 GeoReport v2 listens on %s:%d%s/", self.config.host, self.port, BASE)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer every refusal in the standard's error format."""
        fmt = _format_of(request)
        try:
            return await handler(request)
        except Open311Error as refused:
            return _error(fmt, refused.code, refused.description)
        except web.HTTPException as failed:
            return _error(fmt, failed.status, failed.reason)

    def _client(self, key: str | None, *, need: str | None) -> Open311Client | None:
        """Return the client whose key this is; raise 403 for a wrong key or missing right."""
        if not key:
            if need is not None:
                raise Open311Error(403, "an api_key is required")
            return None
        digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
        client = next(
            (c for c in self.config.clients if hmac.compare_digest(c.key_sha256, digest)), None
        )
        if client is None:
            raise Open311Error(403, "the api_key is not valid")
        if need is not None and need not in client.methods:
            raise Open311Error(403, f"this api_key may not {need}")
        return client

    def _limit(self, request: web.Request, client: Open311Client | None) -> None:
        """Refuse (429) a key or address that called more than its calls per minute."""
        who = f"key:{client.name}" if client else f"ip:{request.remote}"
        allowed = client.per_minute if client else self.config.anonymous_per_minute
        now = time.monotonic()
        calls = self._calls[who]
        while calls and calls[0] <= now - 60:
            calls.popleft()
        if len(calls) >= allowed:
            raise Open311Error(429, "too many requests; try again in a minute")
        calls.append(now)

    def _reader(self, request: web.Request) -> Open311Client | None:
        client = self._client(request.query.get("api_key"), need=None)
        self._limit(request, client)
        return client

    async def services(self, request: web.Request) -> web.Response:
        """GET services: every category, with its Signalen slug as keyword."""
        self._reader(request)
        rows = [
            {
                "service_code": s.code,
                "service_name": s.name,
                "description": s.description,
                "metadata": False,
                "type": "realtime",
                "keywords": s.keywords,
                "group": s.group,
            }
            for s in open311.services_of(self.svc)
        ]
        return _answer(request.match_info["fmt"], "services", "service", rows)

    async def definition(self, request: web.Request) -> web.Response:
        """GET services/{code}: no extra attributes are asked."""
        self._reader(request)
        found = open311.service(self.svc, request.match_info["code"])
        if found is None:
            raise Open311Error(404, "unknown service_code")
        fmt = request.match_info["fmt"]
        if fmt == "xml":
            top = ET.Element("service_definition")
            ET.SubElement(top, "service_code").text = found.code
            ET.SubElement(top, "attributes")
            body = _document(top)
            return web.Response(body=body, content_type="text/xml", charset="utf-8")
        return web.json_response({"service_code": found.code, "attributes": []})

    async def requests(self, request: web.Request) -> web.Response:
        """GET requests: by id, or by code, status and a window of at most 90 days; paged."""
        client = self._reader(request)
        query = request.query
        zone = self.svc.config.municipality.zone

        def listed(name: str) -> list[str]:
            return [v.strip() for v in query.get(name, "").split(",") if v.strip()]

        page = query.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= 10_000:
            raise Open311Error(400, "page must be a number from 1")
        found = await open311.find_requests(
            self.svc,
            ids=listed("service_request_id"),
            codes=listed("service_code"),
            statuses=listed("status"),
            start=_date(query.get("start_date"), zone),
            end=_date(query.get("end_date"), zone),
            page=int(page),
            with_descriptions=client is not None and self.config.show_descriptions,
        )
        rows = [asdict(view) for view in found]
        return _answer(request.match_info["fmt"], "service_requests", "request", rows)

    async def one_request(self, request: web.Request) -> web.Response:
        """GET requests/{id}: one request, in a list as the standard has it."""
        client = self._reader(request)
        found = await open311.find_requests(
            self.svc,
            ids=[request.match_info["id"]],
            codes=[],
            statuses=[],
            start=None,
            end=None,
            page=1,
            with_descriptions=client is not None and self.config.show_descriptions,
        )
        if not found:
            raise Open311Error(404, "no such service_request_id")
        rows = [asdict(view) for view in found]
        return _answer(request.match_info["fmt"], "service_requests", "request", rows)

    async def post_request(self, request: web.Request) -> web.Response:
        """POST requests: a new service request from a client with a write key."""
        fields = await self._fields(request)
        client = self._client(str(fields.get("api_key") or ""), need="write")
        assert client is not None
        self._limit(request, client)

        def field(name: str) -> str | None:
            value = fields.get(name)
            return None if value is None else str(value)

        new = NewRequest(
            service_code=field("service_code"),
            lat=field("lat"),
            long=field("long") or field("lon"),
            address_string=field("address_string"),
            description=field("description"),
            media_url=field("media_url"),
        )
        report = await open311.create_request(self.svc, client.name, new)
        log.info("Open311 client %s posted %s", client.name, report.reference)
        notice = "Passed to the chain partner; follow it with GET requests/{id}."
        row = {"service_request_id": report.reference, "service_notice": notice, "account_id": None}
        return _answer(request.match_info["fmt"], "service_requests", "request", [row], 201)

    async def _fields(self, request: web.Request) -> Mapping[str, Any]:
        """Read a POST's fields: form-encoded (the standard) or a JSON object."""
        if request.content_type == "application/json":
            try:
                body = json.loads(await request.text())
            except (ValueError, UnicodeDecodeError):
                raise Open311Error(400, "the body is not valid JSON") from None
            if not isinstance(body, dict):
                raise Open311Error(400, "the body must be a JSON object")
            merged = dict(request.query)
            merged.update({k: v for k, v in body.items() if isinstance(v, str | int | float)})
            return merged
        form = await request.post()
        merged = dict(request.query)
        merged.update({k: v for k, v in form.items() if isinstance(v, str)})
        return merged
