"""The hotspot check on a real database: a planted concentration gives one coordinator message,
once per period however many runs ask, again only when it grows, and once when it ends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from reports.clock import ManualClock
from services.container import Services
from services.hotspots import check_hotspots, decide_hotspot
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


async def outbox_to(database: Database, chat_id: int) -> list[str]:
    async with database.read() as session:
        rows = await session.fetch_all(
            "SELECT params FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
    return [str(row[0]) for row in rows]


async def test_the_coordinator_decides_seen_then_joint_and_the_partners_hear_it_once(
    svc: Services, database: Database, clock: ManualClock, history: int
) -> None:
    await fill(database, history, 12, BODDENKAMP, 5, spread=4)
    clock.set(START + 7 * DAY)
    [notice] = await check_hotspots(svc)
    [message] = await hotspot_messages(database)
    assert f"h:{notice.hotspot_id}:se:" in message and f"h:{notice.hotspot_id}:jo:" in message
    seen = await decide_hotspot(svc, notice.hotspot_id, "seen")
    assert seen is not None and seen.told == ()
    assert await decide_hotspot(svc, notice.hotspot_id, "seen") is None, "seen already"
    before = await outbox_to(database, -1001)
    joint = await decide_hotspot(svc, notice.hotspot_id, "joint")
    assert joint is not None and joint.told == ("politie",)
    [request] = (await outbox_to(database, -1001))[len(before) :]
    assert "Gezamenlijke aanpak" in request and "Boddenkamp" in request and "12" in request
    assert await decide_hotspot(svc, notice.hotspot_id, "joint") is None
    assert await decide_hotspot(svc, notice.hotspot_id, "dismissed", "known") is None
    assert await decide_hotspot(svc, 999, "seen") is None, "no such hotspot"
    async with database.read() as session:
        row = await session.fetch_one("SELECT decision, decided_at FROM hotspots")
    assert row is not None and row[0] == "joint" and row[1] is not None


async def test_not_relevant_keeps_the_buurt_quiet_until_the_suppression_ends(
    svc: Services, database: Database, clock: ManualClock, history: int
) -> None:
    rid = await fill(database, history, 12, BODDENKAMP, 5, spread=4)
    clock.set(START + 7 * DAY)
    [notice] = await check_hotspots(svc)
    with pytest.raises(ValueError):
        await decide_hotspot(svc, notice.hotspot_id, "dismissed")  # a reason is required
    dismissed = await decide_hotspot(svc, notice.hotspot_id, "dismissed", "event")
    assert dismissed is not None and dismissed.until is not None
    assert dismissed.until - clock.now() == timedelta(days=svc.config.hotspots.suppress_days)
    # It grows to three times the count: nothing is said while it is suppressed.
    rid = await fill(database, rid, 30, BODDENKAMP, -9, spread=3)
    clock.set(START + 14 * DAY)
    assert await check_hotspots(svc) == []
    # It ends (quietly), and comes back within the suppression: still nothing.
    clock.set(START + 70 * DAY)
    assert await check_hotspots(svc) == []
    await fill(database, rid, 25, BODDENKAMP, -75, spread=4)
    clock.set(START + 84 * DAY)
    assert await check_hotspots(svc) == []
    assert len(await hotspot_messages(database)) == 1
    async with database.read() as session:
        rows = await session.fetch_all("SELECT state, decision FROM hotspots ORDER BY id")
    assert [tuple(row) for row in rows] == [("ended", "dismissed"), ("active", None)], (
        "found again, and kept, but not announced"
    )
