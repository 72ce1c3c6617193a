"""Erasing a resident queues the clean-up of what partner chats received about their reports."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.dispatcher import request_params
from config.municipality import MunicipalityConfig
from reports.clock import ManualClock
from reports.kinds import CaseNote, OutboxKind
from reports.locating import LocationResolver
from reports.models import Report
from services.casework import Casework, Caseworker, Done
from services.casework_texts import Asked, CaseworkTexts, relay_answer
from services.container import Services
from services.coordination import remember_shown
from services.reporting import submit_report
from services.residents import forget_resident
from storage.database import Database
from storage.outbox import OutboxRow
from tests.services.builders import configured, resolver_for, services_on
from tests.storage.builders import complete_draft

POLICE, ENFORCEMENT, COORDINATOR = -1001, -1002, -1009
KEES, RESIDENT = 501, 1201
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
OVERRIDES = (
    f"[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [{KEES}]\n"
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    '[geocoder]\nprovider = "none"\n'
)
DESCRIPTION = complete_draft().description or ""
ERASURE = (OutboxKind.ERASURE_EDIT, OutboxKind.ERASURE_DELETE)


@dataclass
class World:
    """Services on a real SQLite file; rows are 'sent' with ids the test chooses."""

    svc: Services
    db: Database
    clock: ManualClock
    next_id: int = 9000

    async def report(self) -> Report:
        """Submit a youth nuisance report with a pin and two photos (police leads)."""
        draft = complete_draft(RESIDENT, at=self.clock.now())
        draft.category_id = "jongerenoverlast"
        await self.svc.drafts.save(draft)
        report = await submit_report(self.svc, draft, None)
        assert report.lead_partner == "politie"
        return report

    def sent_ids(self, row: OutboxRow) -> tuple[int, list[int] | None]:
        """Return the message id Telegram would give the row, and an album's ids (with gaps)."""
        self.next_id += 10
        if row.method != "sendMediaGroup":
            return self.next_id, None
        album = [self.next_id + 3 * n for n in range(len(row.params["media"]))]
        return album[0], album

    async def claim(self) -> list[OutboxRow]:
        """Claim what is due, as the dispatcher does, without sending it."""
        return await self.svc.outbox.claim_due(self.clock.now(), 100)

    async def sent(self, row: OutboxRow) -> None:
        """Record that Telegram accepted a claimed row."""
        first, album = self.sent_ids(row)
        assert await self.svc.outbox.mark_sent(row.id, first, self.clock.now(), album_ids=album)

    async def dispatch(self) -> None:
        """Send every row that is due, one per chat at a time."""
        while claimed := await self.claim():
            for row in claimed:
                await self.sent(row)

    async def rows(self, **where: Any) -> list[dict[str, Any]]:
        """Return outbox rows matching column values, oldest first, params decoded."""
        sql = "SELECT * FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(f"{column} = ?" for column in where)
        async with self.db.read() as session:
            found = await session.fetch_all(sql + " ORDER BY id", tuple(where.values()))
        rows = [dict(row) | {"params": json.loads(row["params"])} for row in found]
        for row in rows:
            row["album_ids"] = json.loads(row["album_ids"]) if row["album_ids"] else None
        return rows

    async def cleanup(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Return the queued erasure rows (to one chat), oldest first."""
        rows = [row for row in await self.rows() if row["kind"] in ERASURE]
        return [row for row in rows if chat_id is None or row["chat_id"] == chat_id]

    async def sent_to(self, chat_id: int, kind: str) -> list[dict[str, Any]]:
        """Return the sent rows of a kind in a chat."""
        return await self.rows(chat_id=chat_id, kind=kind, status="sent")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> MunicipalityConfig:
    """Load the shipped configuration with linked police, enforcement and coordinator chats."""
    return configured(tmp_path_factory.mktemp("config"), OVERRIDES)


@pytest.fixture(scope="module")
def resolver(config: MunicipalityConfig) -> LocationResolver:
    """Load the neighbourhood map once for the module."""
    return resolver_for(config)


@pytest.fixture
async def world(
    tmp_path: Path, config: MunicipalityConfig, resolver: LocationResolver
) -> AsyncIterator[World]:
    """Build the services like the composition root does, without Telegram."""
    clock = ManualClock(MONDAY)
    path = tmp_path / "meldbot.sqlite3"
    async with services_on(path, config, clock, locations=resolver) as (svc, db):
        yield World(svc, db, clock)


def ids(rows: list[dict[str, Any]], method: str) -> list[int]:
    """Return the message ids the rows of a method act on."""
    return [row["params"]["message_id"] for row in rows if row["method"] == method]


def attachment_ids(rows: list[dict[str, Any]]) -> list[int]:
    """Return every message id a chat's pin and album rows produced."""
    found: list[int] = []
    for row in rows:
        found += row["album_ids"] or [row["message_id"]]
    return found


async def test_an_open_reports_lead_notification_is_emptied_and_everything_else_deleted(
    world: World,
) -> None:
    report = await world.report()
    await world.dispatch()
    lead = (await world.sent_to(POLICE, OutboxKind.NOTIFICATION_LEAD))[0]
    info = (await world.sent_to(ENFORCEMENT, OutboxKind.NOTIFICATION_INFORM))[0]

    result = await forget_resident(world.svc, RESIDENT)

    assert result.reports_anonymised == 1
    police = await world.cleanup(POLICE)
    (edit,) = [row for row in police if row["method"] == "editMessageText"]
    assert edit["params"]["message_id"] == lead["message_id"]
    text = edit["params"]["text"]
    assert report.reference in text and "gewist" in text
    assert DESCRIPTION not in text and "City" not in text and "Oude Markt" not in text
    assert edit["params"]["reply_markup"]["inline_keyboard"], "caseworkers keep their buttons"
    attachments = [
        row
        for row in await world.rows(chat_id=POLICE, status="sent")
        if row["kind"].startswith("notification.lead.")
    ]
    assert [row["method"] for row in attachments] == ["sendLocation", "sendMediaGroup"]
    assert len(attachments[1]["album_ids"]) == 2
    assert ids(police, "deleteMessage") == attachment_ids(attachments)
    assert lead["message_id"] not in ids(police, "deleteMessage")

    enforcement = await world.cleanup(ENFORCEMENT)
    first = enforcement[0]
    assert first["method"] == "editMessageText", "emptied first"
    assert "reply_markup" not in first["params"]
    informed_attachments = [
        row
        for row in await world.rows(chat_id=ENFORCEMENT, status="sent")
        if row["kind"].startswith("notification.inform.")
    ]
    assert ids(enforcement, "deleteMessage") == [
        info["message_id"],
        *attachment_ids(informed_attachments),
    ]
    assert all(row["status"] == "pending" and row["report_id"] == report.id for row in police)
    assert await world.rows(chat_id=RESIDENT) == [], "nothing goes to the resident's chat"
    trail = [event.action for event in await world.svc.cases.events(report.id)]
    assert trail[-1] == CaseNote.ERASED


async def test_a_resolved_reports_notification_is_emptied_and_then_deleted(world: World) -> None:
    report = await world.report()
    await world.dispatch()
    lead = (await world.sent_to(POLICE, OutboxKind.NOTIFICATION_LEAD))[0]
    kees = Casework(world.svc, Caseworker(KEES, "Kees", POLICE))
    assert isinstance(await kees.resolve(report.id, lead["message_id"], "gesprek"), Done)
    await world.dispatch()

    await forget_resident(world.svc, RESIDENT)

    police = await world.cleanup(POLICE)
    edits = [row for row in police if row["method"] == "editMessageText"]
    assert [row["params"]["message_id"] for row in edits] == [lead["message_id"]]
    assert "reply_markup" not in edits[0]["params"]
    assert ids(police, "deleteMessage")[0] == lead["message_id"]
    last_edit = max(row["id"] for row in edits)
    assert all(row["id"] > last_edit for row in police if row["method"] == "deleteMessage")


async def test_a_relayed_answer_is_emptied_and_deleted(world: World) -> None:
    report = await world.report()
    await world.dispatch()
    lead = (await world.sent_to(POLICE, OutboxKind.NOTIFICATION_LEAD))[0]
    kees = Caseworker(KEES, "Kees", POLICE)
    assert isinstance(await Casework(world.svc, kees).claim(report.id, lead["message_id"]), Done)
    typing = CaseworkTexts(world.svc, kees)
    assert isinstance(await typing.take_text(lead["message_id"], "Hoe laat?"), Asked)
    assert await relay_answer(world.svc, RESIDENT, "Rond tien uur, bij de Oude Markt.")
    await world.dispatch()
    (relayed,) = await world.sent_to(POLICE, OutboxKind.RELAY_ANSWER)

    await forget_resident(world.svc, RESIDENT)

    police = await world.cleanup(POLICE)
    emptied = [row for row in police if row["params"].get("message_id") == relayed["message_id"]]
    assert [row["method"] for row in emptied] == ["editMessageText", "deleteMessage"]
    assert "Oude Markt" not in emptied[0]["params"]["text"]
    assert report.reference in emptied[0]["params"]["text"]


async def test_a_message_still_being_sent_is_cleaned_up_once_its_id_is_known(
    world: World,
) -> None:
    await world.report()
    for claimed in await world.claim():
        if claimed.chat_id != ENFORCEMENT:
            await world.sent(claimed)
    (pin,) = [row for row in await world.claim() if row.chat_id == POLICE]
    await world.sent(pin)
    (album,) = [row for row in await world.claim() if row.chat_id == POLICE]
    assert album.method == "sendMediaGroup" and album.status == "sending"
    informed = (await world.rows(chat_id=ENFORCEMENT, kind=OutboxKind.NOTIFICATION_INFORM))[0]
    assert informed["status"] == "sending"

    await forget_resident(world.svc, RESIDENT)

    waiting = [row for row in await world.cleanup() if row["reply_to_row"] is not None]
    assert {(row["reply_to_row"], row["method"]) for row in waiting} == {
        (album.id, "deleteMessages"),
        (informed["id"], "editMessageText"),
        (informed["id"], "deleteMessage"),
    }
    assert all("message_id" not in row["params"] for row in waiting)
    await world.sent(album)
    informed_row = await world.svc.outbox.get(informed["id"])
    assert informed_row is not None
    await world.sent(informed_row)
    await world.dispatch()
    sent_album = await world.svc.outbox.get(album.id)
    sent_info = await world.svc.outbox.get(informed["id"])
    assert sent_album is not None and sent_info is not None
    for row in waiting:
        stored = await world.svc.outbox.get(row["id"])
        assert stored is not None and stored.status == "sent"
        params = request_params(stored)
        assert "reply_parameters" not in params
        if stored.method == "deleteMessages":
            assert params["message_ids"] == sent_album.album_ids
        else:
            assert params["message_id"] == sent_info.message_id


async def test_the_coordinators_report_details_are_emptied_and_deleted_too(world: World) -> None:
    report = await world.report()
    await world.dispatch()
    await remember_shown(world.svc, COORDINATOR, report.id, [777, 778])
    cora = CaseworkTexts(world.svc, Caseworker(509, "Cora", COORDINATOR))
    assert await cora.take_text(777, "Wie heeft dit gemeld?") is None, "no question to anyone"

    await forget_resident(world.svc, RESIDENT)

    shown = await world.cleanup(COORDINATOR)
    assert [(row["method"], row["params"]["message_id"]) for row in shown] == [
        ("editMessageText", 777),
        ("editMessageText", 778),
        ("deleteMessage", 777),
        ("deleteMessage", 778),
    ]
    assert "gewist" in shown[0]["params"]["text"]


async def test_messages_never_sent_need_no_clean_up_and_a_second_erasure_queues_nothing(
    world: World,
) -> None:
    await world.report()

    await forget_resident(world.svc, RESIDENT)
    assert await world.cleanup() == []
    pending = [row for row in await world.rows() if row["status"] == "pending"]
    assert pending == [], "the unsent notifications were cancelled"

    await world.dispatch()
    await forget_resident(world.svc, RESIDENT)
    assert await world.cleanup() == []
