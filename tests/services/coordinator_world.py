"""Build the use cases' services on a real SQLite file, with a manual clock and no Telegram."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import ManualClock
from reports.locating import LocationResolver
from reports.models import Draft, Language, Location, LocationSource, Neighbourhood, Report, Timing
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from services.container import Services
from services.reporting import submit_report
from storage.database import Database
from storage.timestamps import to_text

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
"""Saturday 28 November 2026, 11:00 in Enschede."""
POLICE, ENFORCEMENT, FIRE, COORDINATOR = -1001, -1002, -1003, -1009
LINK_CODE = "geheim-koppel-2026"
LINKED_CHATS = (
    f"[partners.politie]\nchat_id = {POLICE}\n"
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
)
BODDENKAMP = Neighbourhood(
    buurt_code="BU01530008",
    buurt_name="Boddenkamp",
    wijk_code="WK015300",
    wijk_name="Binnensingelgebied",
)


@dataclass(frozen=True)
class Queued:
    """One outbox row as a test reads it."""

    chat_id: int
    kind: str
    params: dict[str, Any]
    dedupe_key: str | None

    @property
    def text(self) -> str:
        """Return the message text."""
        return str(self.params.get("text", ""))


@dataclass
class World:
    """The services of one Meldbot, its database and clock, and what it woke the sender for."""

    svc: Services
    database: Database
    clock: ManualClock
    wakes: list[datetime] = field(default_factory=list)

    async def report(self, category_id: str = "jongerenoverlast", *, user_id: int = 7001) -> Report:
        """Submit a report in Boddenkamp now, as the resident's "Send" does; return it routed."""
        now = self.clock.now()
        draft = Draft(
            user_id=user_id,
            chat_id=user_id,
            token="t0k3n",
            language=Language.NL,
            category_id=category_id,
            location=Location(neighbourhood=BODDENKAMP, source=LocationSource.CHOSEN),
            description="Een groep jongeren gooit met flessen bij het speelveld.",
            photos_done=True,
            timing=Timing.RECURRING,
            contact_allowed=False,
            created_at=now,
            updated_at=now,
        )
        await self.svc.drafts.save(draft)
        return await submit_report(self.svc, draft, None)

    async def stored(self, report: Report) -> Report:
        """Return a report as it is stored now."""
        found = await self.svc.cases.get(report.id)
        assert found is not None
        return found

    async def queued(self, kind: str) -> list[Queued]:
        """Return the outbox rows of a kind, oldest first."""
        async with self.database.read() as session:
            rows = await session.fetch_all(
                "SELECT chat_id, kind, params, dedupe_key FROM outbox WHERE kind = ? ORDER BY id",
                (kind,),
            )
        return [
            Queued(row["chat_id"], row["kind"], json.loads(row["params"]), row["dedupe_key"])
            for row in rows
        ]

    async def deliver(self, kind: str, message_id: int) -> None:
        """Record the oldest pending row of a kind as sent, as the dispatcher would."""
        stamp = to_text(self.clock.now())
        async with self.database.transaction() as session:
            changed = await session.execute(
                "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, finished_at = ?"
                " WHERE id = (SELECT id FROM outbox WHERE kind = ? AND status = 'pending'"
                " ORDER BY id LIMIT 1)",
                (message_id, stamp, stamp, kind),
            )
        assert changed == 1, f"nothing of kind {kind} to deliver"

    def advance(self, delta: timedelta) -> None:
        """Move the clock on."""
        self.clock.advance(delta)


def municipality(directory: Path, overrides: str) -> MunicipalityConfig:
    """Load the shipped configuration with overrides, fully offline (no geocoder)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "meldbot.toml"
    path.write_text('[geocoder]\nprovider = "none"\n' + overrides, encoding="utf-8")
    return load_municipality(path)


@asynccontextmanager
async def world(
    tmp_path: Path, overrides: str = LINKED_CHATS, *, link_code: str | None = LINK_CODE
) -> AsyncIterator[World]:
    """Open Meldbot's services on a fresh database, the shipped configuration plus overrides."""
    config = municipality(tmp_path, overrides)
    files = config.neighbourhoods
    hoods = NeighbourhoodMap.from_files(files.buurten, files.centroids)
    locations = LocationResolver(
        hoods,
        PlaceIndex.from_files(files.aliases, hoods),
        PostcodeTable.from_csv(files.postcodes),
        None,
        config.municipality.name,
    )
    clock = ManualClock(START)
    database = await Database.open(tmp_path / "meldbot.sqlite3")
    wakes: list[datetime] = []

    def wake() -> None:
        wakes.append(clock.now())

    svc = Services.create(
        config,
        database,
        clock=clock,
        messages=TelegramMessages(config),
        locations=locations,
        wake=wake,
        languages=languages(),
        link_code=link_code,
    )
    try:
        yield World(svc, database, clock, wakes)
    finally:
        await database.close()
