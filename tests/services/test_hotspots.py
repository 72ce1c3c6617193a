"""The hotspot check on a real database: a planted concentration gives one coordinator message,
once per period however many runs ask, again only when it grows, and once when it ends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from reports.clock import ManualClock
from services.container import Services
from services.hotspots import check_hotspots
from storage.database import Database
from storage.outbox import OutboxStatus
from tests.services.conftest import START
from tests.services.insight_fixture import BODDENKAMP, STROINKSLANDEN, _report

DAY = timedelta(days=1)


async def fill(
    database: Database,
    start: int,
    count: int,
    area: tuple[str, ...],
    days_ago: float,
    *,
    category: str = "jongerenoverlast",
    spread: float = 1.0,
) -> int:
    """Add `count` reports made `days_ago` (spread over `spread` days) before START."""
    for number in range(count):
        made = START - timedelta(days=days_ago - spread * number / max(count, 1))
        await _report(
            database,
            start + number,
            category,
            area,
            status="resolved",
            created=made.strftime("%Y-%m-%dT%H:%M"),
            lead="politie",
        )
    return start + count


async def hotspot_messages(database: Database) -> list[str]:
    async with database.read() as session:
        rows = await session.fetch_all(
            "SELECT params FROM outbox WHERE kind = 'hotspot.signal' AND chat_id = -1000"
            " ORDER BY id"
        )
    return [str(row[0]) for row in rows]


@pytest.fixture
async def history(database: Database) -> int:
    """Two years of ordinary youth nuisance in Boddenkamp and Stroinkslanden: one a month."""
    rid = 1
    for month in range(24):
        for area in (BODDENKAMP, STROINKSLANDEN):
            rid = await fill(database, rid, 1, area, 40 + 30 * month)
    return rid


async def test_a_planted_concentration_is_announced_once_and_ends_once(
    svc: Services, database: Database, clock: ManualClock, history: int
) -> None:
    assert await check_hotspots(svc) == []  # an ordinary month: nothing
    await fill(database, history, 12, BODDENKAMP, 5, spread=4)
    clock.set(START + 7 * DAY)
    first, second = await asyncio.gather(check_hotspots(svc), check_hotspots(svc))
    notices = first + second
    assert [(n.kind, n.buurt_code, n.category_id) for n in notices] == [
        ("new", "BU01530008", "jongerenoverlast")
    ]
    notice = notices[0]
    assert notice.reports == 12 and notice.expected < 2 and notice.partners == ("politie",)
    assert notice.place == "Boddenkamp (Binnensingelgebied)"
    [message] = await hotspot_messages(database)
    assert "Hotspot" in message and "Boddenkamp" in message and "Jongerenoverlast" in message
    # The next week it persists at the same level: no new message.
    clock.set(START + 14 * DAY)
    assert await check_hotspots(svc) == []
    assert len(await hotspot_messages(database)) == 1
    # Two months later the window is ordinary again: it ends, once.
    clock.set(START + 70 * DAY)
    ended = await check_hotspots(svc)
    assert [n.kind for n in ended] == ["ended"]
    clock.set(START + 77 * DAY)
    assert await check_hotspots(svc) == []
    messages = await hotspot_messages(database)
    assert len(messages) == 2 and "Geen hotspot meer" in messages[1]


async def test_an_empty_database_says_nothing(svc: Services, database: Database) -> None:
    assert await check_hotspots(svc) == []
    async with database.read() as session:
        rows = await session.fetch_all("SELECT status FROM outbox")
    assert [row[0] for row in rows if row[0] != OutboxStatus.SENT] == []
