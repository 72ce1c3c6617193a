"""The page's JSON API over the local Bot API: what a browser may send, and what it cannot break."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from reports.map_svg import draw_map
from sandbox.botapi import FakeBotApi
from sandbox.page import SandboxPage, Team
from sandbox.render import render_text

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    """The local Bot API with no bot behind it: the page's requests stop at its update queue."""
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def page(bot_api: FakeBotApi) -> AsyncIterator[SandboxPage]:
    moments = [NOW]

    async def skip(delta: timedelta) -> None:
        moments[0] += delta

    group = bot_api.group(-1_001_000_000_001, "Politie")
    group.bot_status = "administrator"
    kees = bot_api.user(20_001, "Kees")
    square = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"buurtcode": "BU1", "buurtnaam": "Centrum"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[6.8, 52.2], [6.9, 52.2], [6.9, 52.3], [6.8, 52.2]]],
                },
            }
        ],
    }
    shown = SandboxPage(
        bot_api,
        [Team("politie", group, [kees])],
        draw_map(square).svg,
        now=lambda: moments[0],
        skip=skip,
    )
    shown.add_resident("Anna", "nl")
    await shown.start("127.0.0.1", 0)
    yield shown
    await shown.stop()


async def post(page: SandboxPage, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else None
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{page.url}{path}", data=data, json=None if data is not None else body
        ) as answer,
    ):
        return answer.status, await answer.json()


async def test_a_resident_message_reaches_the_bot_as_a_telegram_update(page: SandboxPage) -> None:
    status, answer = await post(page, "/api/message", {"user": 10_001, "text": "/start"})
    assert status == 200 and answer["id"] == 1
    update = page.api.world.updates.pending[-1]
    assert update["message"]["text"] == "/start"
    assert update["message"]["from"]["first_name"] == "Anna"
    assert update["message"]["entities"][0]["type"] == "bot_command"


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/api/message", b"{not json", "the body must be JSON"),
        ("/api/message", b"[1, 2]", "the body must be a JSON object"),
        ("/api/message", {"user": "anna", "text": "hoi"}, "user must be a whole number"),
        ("/api/message", {"user": 4242, "text": "hoi"}, "unknown user"),
        ("/api/message", {"user": 10_001, "text": "   "}, "an empty message cannot be sent"),
        ("/api/message", {"user": 10_001, "text": "x" * 10_001}, "longer than 10000"),
        ("/api/message", {"user": 10_001, "text": 5}, "text must be text"),
        # A resident cannot write in a partner group; a caseworker only in their own.
        (
            "/api/message",
            {"user": 10_001, "chat": -1_001_000_000_001, "text": "hoi"},
            "cannot write in that chat",
        ),
        ("/api/message", {"user": 10_001, "text": "hoi", "reply_to": 99}, "does not exist"),
        ("/api/press", {"user": 10_001, "message": 1, "data": "x"}, "that message is gone"),
        ("/api/location", {"user": 10_001, "latitude": "52"}, "must be numbers"),
        ("/api/location", {"user": 10_001, "latitude": 95, "longitude": 6}, "not a place"),
        ("/api/clock", {"skip": "-1 day"}, "skip must be one of"),
        ("/api/residents", {"name": "Zoë", "language": "xx"}, "language must be one of"),
    ],
)
async def test_malformed_requests_get_a_reason_and_change_nothing(
    page: SandboxPage, path: str, body: Any, reason: str
) -> None:
    before = page.version()
    status, answer = await post(page, path, body)
    assert status == 400 and reason in answer["error"]
    assert page.version() == before
    assert page.api.world.updates.pending == []


async def test_a_forged_or_gone_button_is_refused(page: SandboxPage, bot_api: FakeBotApi) -> None:
    anna = bot_api.world.users[10_001]
    bot_api.send_text(anna, "/start")
    sent = bot_api.world.store(
        {
            "message_id": 2,
            "chat": {"id": anna.id, "type": "private"},
            "date": 0,
            "text": "Kies",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
        by_bot=True,
    )
    status, answer = await post(
        page, "/api/press", {"user": anna.id, "message": 2, "data": "forged"}
    )
    assert status == 400 and "no longer on the message" in answer["error"]
    status, answer = await post(page, "/api/press", {"user": anna.id, "message": 2, "data": "a"})
    assert status == 200 and answer["callback"]
    assert page.api.world.updates.pending[-1]["callback_query"]["data"] == "a"
    assert sent["text"] == "Kies"


async def test_a_photo_upload_becomes_a_photo_message_and_can_be_shown(
    page: SandboxPage,
) -> None:
    form = aiohttp.FormData()
    form.add_field("user", "10001")
    form.add_field("photo", b"\xff\xd8\xff\xe0 not really a jpeg", filename="bankje.jpg")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{page.url}/api/photo", data=form) as answer:
            assert answer.status == 200
        message = page.api.world.updates.pending[-1]["message"]
        file_id = message["photo"][-1]["file_id"]
        async with session.get(f"{page.url}/api/file/{file_id}") as picture:
            assert picture.status == 200 and picture.content_type == "image/jpeg"
            assert await picture.read() == b"\xff\xd8\xff\xe0 not really a jpeg"
        empty = aiohttp.FormData()
        empty.add_field("user", "10001")
        async with session.post(f"{page.url}/api/photo", data=empty) as refused:
            assert refused.status == 400
            assert (await refused.json())["error"] == "no photo in the upload"


async def test_skipping_moves_the_clock_the_page_shows(page: SandboxPage) -> None:
    status, answer = await post(page, "/api/clock", {"skip": "day"})
    assert status == 200 and answer["now"] == (NOW + timedelta(days=1)).isoformat()
    assert page.state()["now"] == answer["now"]


def test_messages_render_like_telegram_with_nothing_unescaped() -> None:
    text = "Melding ENS-1 <script>x</script> 🙋 zie https://example.org"
    entities = [
        {"type": "bold", "offset": 0, "length": 13},
        {"type": "italic", "offset": 8, "length": 5},
        {"type": "url", "offset": 40, "length": 19},
    ]
    html = render_text(text, entities)
    assert html.startswith("<b>Melding <i>ENS-1</i></b>")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<a href="https://example.org" target="_blank"' in html
    hostile = render_text(
        "klik", [{"type": "text_link", "offset": 0, "length": 4, "url": "javascript:alert(1)"}]
    )
    assert hostile == "klik"


async def test_the_page_waits_for_news_and_hears_the_bot_at_once(
    page: SandboxPage, bot_api: FakeBotApi
) -> None:
    await post(page, "/api/message", {"user": 10_001, "text": "/start"})
    version = page.version()
    async with aiohttp.ClientSession() as session:
        waiting = asyncio.ensure_future(session.get(f"{page.url}/api/state?version={version}"))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # nothing changed: the request waits
        async with session.post(
            f"{bot_api.base_url}{bot_api.token}/sendMessage",
            json={"chat_id": 10_001, "text": "Welkom!"},
        ) as sent:
            assert sent.status == 200
        answer = await asyncio.wait_for(waiting, 5)
        shown = await answer.json()
        answer.release()
    assert shown["version"] != version
    assert shown["residents"][0]["messages"][-1]["html"] == "Welkom!"
