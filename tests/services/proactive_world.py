"""Build the services of the proactive use cases on a real SQLite file, without Telegram.

The world has the shipped Enschede configuration, a manual clock, the Telegram renderer of
messages (texts only: nothing talks to the Bot API) and a fake dispatcher that "sends" what
fell due by marking it sent with a new message id, as the real one does after Telegram
accepted it.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import ManualClock
from reports.kinds import ActorKind
from reports.locating import LocationResolver
from reports.models import Report
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from reports.records import Actor
from reports.workflow import CaseAction
from services.container import Services
from services.reporting import submit_report
from services.scheduling import Scheduler
from storage.database import Database
from storage.outbox import OutboxRepository, OutboxRow
from tests.storage.builders import PIN_IN_CITY, complete_draft

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
"""Saturday 11:00 in Enschede: youth nuisance in the city centre goes to the police."""
POLICE = -1001
CASEWORKER = Actor(ActorKind.CASEWORKER, 501, "Kees", "politie")


@cache
def config() -> MunicipalityConfig:
    """Return the shipped configuration of Enschede."""
    return load_municipality()


@cache
def resolver() -> LocationResolver:
    """Return the neighbourhood map of Enschede, offline (no geocoder)."""
    files = config().neighbourhoods
    hoods = NeighbourhoodMap.from_files(files.buurten, files.centroids)
    places = PlaceIndex.from_files(files.aliases, hoods)
    postcodes = PostcodeTable.from_csv(files.postcodes)
    return LocationResolver(hoods, places, postcodes, None, config().municipality.name)


@dataclass
class World:
    """The services on one database, its clock, and what the fake dispatcher sent."""

    svc: Services
    clock: ManualClock
    outbox: OutboxRepository
    wakes: list[datetime] = field(default_factory=list)
    sent: list[OutboxRow] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    async def report(self, user_id: int, *, at: datetime | None = None) -> Report:
        """Let a resident send a report of youth nuisance in the city centre; return it."""
        if at is not None:
            self.clock.set(at)
        now = self.clock.now()
        draft = complete_draft(user_id, at=now, location=PIN_IN_CITY, photos=("photo-a",))
        draft.category_id = "jongerenoverlast"
        draft.contact_allowed = False
        await self.svc.drafts.save(draft)
        return await submit_report(self.svc, draft, None)

    async def deliver(self, at: datetime | None = None) -> list[OutboxRow]:
        """Move the clock, "send" every row that fell due, and return them."""
        if at is not None:
            self.clock.set(at)
        now = self.clock.now()
        policy = self.svc.config.schedule.send_policy(self.svc.config.municipality.zone)
        sent: list[OutboxRow] = []
        while rows := await self.outbox.claim_due(now, 100, policy=policy):
            for row in rows:
                assert await self.outbox.mark_sent(row.id, next(self._message_ids), now)
                stored = await self.outbox.get(row.id)
                assert stored is not None
                sent.append(stored)
        self.sent.extend(sent)
        return sent

    async def resolve(self, report: Report) -> Report:
        """Let the police caseworker resolve a report they claimed; its survey is queued with it."""
        now = self.clock.now()
        changes = {
            "resolved_at": now,
            "closing_text": "Gesprek gevoerd",
            "claimed_by": CASEWORKER.user_id,
            "claimed_by_name": CASEWORKER.name,
            "claimed_at": now,
            "reminded_at": now,
        }
        async with self.svc.uow() as work:
            resolved = await work.cases.act(
                report.id, CaseAction.RESOLVE, CASEWORKER, now, changes=changes
            )
            await Scheduler(self.svc.config, self.svc.messages).survey(work, resolved, now)
        return resolved

    async def stored(self, report: Report) -> Report:
        """Return the report as stored now."""
        found = await self.svc.cases.get(report.id)
        assert found is not None
        return found

    def in_chat(self, chat_id: int, kind: str | None = None) -> list[OutboxRow]:
        """Return what was sent to a chat (of one kind, when given), in order."""
        return [r for r in self.sent if r.chat_id == chat_id and kind in (None, r.kind)]


def text_of(row: OutboxRow) -> str:
    """Return the text or caption of a sent row."""
    return str(row.params.get("text") or row.params.get("caption") or "")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Open a fresh database with the police chat linked, at START."""
    database = await Database.open(tmp_path / "meldbot.sqlite3")
    clock = ManualClock(START)
    wakes: list[datetime] = []
    settings = config()
    svc = Services.create(
        settings,
        database,
        clock=clock,
        messages=TelegramMessages(settings),
        locations=resolver(),
        wake=lambda: wakes.append(clock.now()),
        languages=languages(),
    )
    async with svc.uow() as work:
        await work.cases.link("politie", POLICE, 501, START)
    try:
        yield World(svc, clock, OutboxRepository(database), wakes)
    finally:
        await database.close()
