"""Open311 GeoReport v2 from the running bot: an outside client (the `georeport` package) reads
services and requests, a posted request reaches the police group and shows "closed" after the
caseworker resolves it, and bad input is answered with the right status and stores nothing."""

from __future__ import annotations

import asyncio
import hashlib
import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from georeport import GeoReport

from tests.e2e.steps.chain import Chain, running

KEY = "geheim-van-de-website"
READER = "alleen-lezen"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip
BODDENKAMP = {"lat": "52.2203", "long": "6.8939"}  # the Oude Markt


def sha(key: str) -> str:
    """Return the SHA-256 hex digest configured for a key."""
    return hashlib.sha256(key.encode()).hexdigest()


@pytest.fixture
async def api311(chain: Chain) -> str:
    """Restart the chain's Meldbot with Open311 on a free port; return its base URL."""
    chain.run.overrides += (
        "[open311]\nenabled = true\nport = 0\nshow_descriptions = false\n"
        f'[[open311.clients]]\nname = "Gemeente website"\nkey_sha256 = "{sha(KEY)}"\n'
        f'[[open311.clients]]\nname = "Dashboard"\nkey_sha256 = "{sha(READER)}"\n'
        'methods = ["read"]\nper_minute = 5\n'
    )
    await chain.run.restart()
    server = running(chain).open311
    assert server is not None
    return f"http://127.0.0.1:{server.port}/open311/v2"


async def post(base: str, fmt: str = "json", **fields: Any) -> httpx.Response:
    """POST a service request as a form, the standard's way."""
    async with httpx.AsyncClient() as client:
        return await client.post(f"{base}/requests.{fmt}", data=fields)


async def get(base: str, path: str, **params: Any) -> httpx.Response:
    """GET a path under the base."""
    async with httpx.AsyncClient() as client:
        return await client.get(f"{base}/{path}", params=params)


def error_code(response: httpx.Response) -> int:
    """Return the code of an Open311 JSON error answer."""
    [error] = response.json()
    assert set(error) == {"code", "description"} and error["description"]
    return int(error["code"])


async def count_reports(chain: Chain) -> int:
    """Return how many reports are stored."""
    return await running(chain).services.reports.count()


async def test_an_outside_client_reads_the_services_and_the_requests(
    chain: Chain, api311: str
) -> None:
    anna = chain.run.api.user(1901, "Anna")
    reference = await chain.report(anna)
    client = GeoReport(api311)
    services = await asyncio.to_thread(client.get_service_list)
    assert services and all(set(s) == SERVICE_FIELDS for s in services)
    youth = next(s for s in services if s["service_code"] == "jongerenoverlast")
    assert youth["keywords"] == "jongerenoverlast" and youth["metadata"] is False
    definition = await asyncio.to_thread(client.get_service_definition, "jongerenoverlast")
    assert definition == {"service_code": "jongerenoverlast", "attributes": []}
    xml_client = GeoReport(api311, output_format="xml")
    xml_services = await asyncio.to_thread(xml_client.get_service_list)
    assert {s["service_code"] for s in xml_services} == {s["service_code"] for s in services}

    requests = await asyncio.to_thread(client.get_service_requests)
    [mine] = [r for r in requests if r["service_request_id"] == reference]
    assert set(mine) == REQUEST_FIELDS
    assert mine["status"] == "open" and mine["agency_responsible"].startswith("Police")
    assert mine["description"] is None  # not without show_descriptions and a key
    assert "Anna" not in json.dumps(requests) and "Boddenkamp" in mine["address"]
    one = await asyncio.to_thread(client.get_service_request, reference)
    assert one == mine
    xml_one = await asyncio.to_thread(xml_client.get_service_request, reference)
    assert xml_one["service_request_id"] == reference and xml_one["status"] == "open"
    closed = await asyncio.to_thread(client.get_service_requests, status="closed")
    assert reference not in json.dumps(closed)


async def test_a_posted_request_reaches_the_partner_and_shows_closed_once_resolved(
    chain: Chain, api311: str
) -> None:
    api = chain.run.api
    answer = await post(
        api311,
        api_key=KEY,
        service_code="jongerenoverlast",
        description="Groep jongeren <b>schreeuwt</b> bij de bank",
        email="iemand@example.org",
        **BODDENKAMP,
    )
    assert answer.status_code == 201, answer.text
    [created] = answer.json()
    reference = created["service_request_id"]
    lead = await chain.notification(chain.police, reference)
    assert "Open311 (Gemeente website)" in lead.text
    assert "<b>schreeuwt</b>" in lead.text  # shown as typed, not as markup
    assert "iemand@example.org" not in lead.text
    assert lead.button_texts == [
        "🙋 Oppakken",
        "✅ Afhandelen",
        "↪️ Doorzetten",
        "🚫 Niet van ons",
        "🔗 Dubbel",
    ]
    report = await running(chain).services.reports.get_by_reference(reference)
    assert report is not None and not report.user_id and not report.chat_id  # no resident
    assert report.channel == "open311:Gemeente website"
    api.drain(chain.police.id)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    while "Gesprek gevoerd" not in menu.button_texts:  # the pin after the lead may come first
        menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    client = GeoReport(api311)  # the outside client reads the status (it cannot post)
    for _ in range(100):
        view = await asyncio.to_thread(client.get_service_request, reference)
        if view["status"] == "closed":
            break
        await asyncio.sleep(0.05)
    assert view["status"] == "closed" and view["status_notes"].startswith("Resolved")
    assert view["lat"] == 52.22 and view["long"] == 6.894  # rounded: about 100 m
    with_key = (await get(api311, f"requests/{reference}.json", api_key=READER)).json()
    assert with_key[0]["description"] is None  # show_descriptions is off


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"service_code": "jongerenoverlast", "description": "x", **BODDENKAMP}, 403),
        ({"api_key": "fout", "service_code": "jongerenoverlast", "description": "x"}, 403),
        ({"api_key": READER, "service_code": "jongerenoverlast", "description": "x"}, 403),
        ({"api_key": KEY, "service_code": "bestaat-niet", "description": "x", **BODDENKAMP}, 400),
        ({"api_key": KEY, "service_code": "jongerenoverlast", "description": "x"}, 400),
        ({"api_key": KEY, "service_code": "jongerenoverlast", **BODDENKAMP}, 400),
        ({"api_key": KEY, "service_code": "jongerenoverlast", "description": "x",
          "lat": "52.3676", "long": "4.9041"}, 400),  # Amsterdam
        ({"api_key": KEY, "service_code": "jongerenoverlast", "description": "x",
          "lat": "noord", "long": "oost"}, 400),
        ({"api_key": KEY, "service_code": "jongerenoverlast", "description": "x" * 2001,
          **BODDENKAMP}, 400),
        ({"api_key": KEY, "service_code": "jongerenoverlast", "description": "x",
          "media_url": "javascript:alert(1)", **BODDENKAMP}, 400),
    ],
)  # fmt: skip
async def test_bad_posts_are_refused_with_the_right_status_and_store_nothing(
    chain: Chain, api311: str, fields: dict[str, str], status: int
) -> None:
    before = await count_reports(chain)
    answer = await post(api311, **fields)
    assert answer.status_code == status and error_code(answer) == status
    assert await count_reports(chain) == before


async def test_sql_html_malformed_json_huge_bodies_and_floods_change_nothing(
    chain: Chain, api311: str
) -> None:
    before = await count_reports(chain)
    nasty = "'; DROP TABLE reports; -- <script>alert(1)</script>"
    answer = await post(
        api311,
        api_key=KEY,
        service_code=nasty,
        description=nasty,
        lat=nasty,
        long=nasty,
        address_string=nasty,
        media_url=nasty,
    )
    assert answer.status_code == 400 and "<script>" not in answer.text
    async with httpx.AsyncClient() as client:
        broken = await client.post(
            f"{api311}/requests.json",
            content=b'{"api_key": "' + KEY.encode() + b'", "service_code": ',
            headers={"content-type": "application/json"},
        )
        assert broken.status_code == 400 and error_code(broken) == 400
        huge = await client.post(
            f"{api311}/requests.json",
            data={"api_key": KEY, "service_code": "jongerenoverlast", "description": "x" * 10**7},
        )
        assert huge.status_code == 413 and error_code(huge) == 413
        missing = await client.get(f"{api311}/nergens.json")
        assert missing.status_code == 404
    for params in (
        {"service_request_id": nasty},
        {"service_code": nasty},
        {"status": nasty},
        {"start_date": nasty},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"page": "0"},
    ):
        found = await get(api311, "requests.json", **params)
        assert found.status_code in (200, 400), params
        if found.status_code == 200:
            assert found.json() == []
    xml_error = await get(api311, "requests.xml", status="half")
    assert xml_error.status_code == 400
    assert ET.fromstring(xml_error.content).find("error/code").text == "400"  # type: ignore[union-attr]
    assert await count_reports(chain) == before
    assert await running(chain).services.reports.get_by_reference("ENS-2026-0001") is None
    # The read-only key may call five times a minute.
    codes = [(await get(api311, "services.json", api_key=READER)).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert (await get(api311, "services.json", api_key="verkeerd")).status_code == 403


async def test_json_bodies_lon_and_an_address_string_are_accepted(
    chain: Chain, api311: str
) -> None:
    async with httpx.AsyncClient() as client:
        as_json = await client.post(
            f"{api311}/requests.xml",
            json={
                "api_key": KEY,
                "service_code": "jongerenoverlast",
                "description": "Scooters op de stoep",
                "lat": 52.2203,
                "lon": 6.8939,
            },
        )
    assert as_json.status_code == 201
    reference = ET.fromstring(as_json.content).findtext("request/service_request_id")
    assert reference is not None and reference.startswith("ENS-")
    by_name = await post(
        api311,
        api_key=KEY,
        service_code="jongerenoverlast",
        description="Groep bij het winkelcentrum",
        address_string="Boddenkamp",
    )
    assert by_name.status_code == 201
    [created] = by_name.json()
    [view] = (await get(api311, f"requests/{created['service_request_id']}.json")).json()
    assert view["address"].startswith("Boddenkamp") and view["lat"] is None
    assert await count_reports(chain) == 2
