"""Build the use cases' services on a real SQLite file, the shipped configuration and a clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_resolver
from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import ManualClock
from reports.models import Draft, Language, Location, LocationSource, Neighbourhood, Timing
from services.container import Services
from storage.database import Database

START = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a Monday, in office hours
BODDENKAMP = Neighbourhood(
    buurt_code="BU01530008",
    buurt_name="Boddenkamp",
    wijk_code="WK015300",
    wijk_name="Binnensingelgebied",
)
LINKS = "[partners.coordinator]\nchat_id = -1000\n[partners.politie]\nchat_id = -1001\n"
"""Partner chats of the tests: the coordinator and the police are linked, the others not."""


class Bell:
    """Count how often the dispatcher would have been woken."""

    def __init__(self) -> None:
        self.rings = 0

    def ring(self) -> None:
        """Count one wake-up."""
        self.rings += 1


@pytest.fixture
def bell() -> Bell:
    """Return the test's dispatcher bell."""
    return Bell()


@pytest.fixture
def clock() -> ManualClock:
    """Return the test's clock, at a Monday morning."""
    return ManualClock(START)


@pytest.fixture
def config(tmp_path: Path) -> MunicipalityConfig:
    """Return the shipped configuration, offline, with two partner chats linked."""
    override = tmp_path / "meldbot.toml"
    override.write_text('[geocoder]\nprovider = "none"\n' + LINKS, encoding="utf-8")
    return load_municipality(override)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """Open a fresh, migrated database and close it after the test."""
    opened = await Database.open(tmp_path / "meldbot.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def svc(config: MunicipalityConfig, database: Database, clock: ManualClock, bell: Bell) -> Services:
    """Return the services as the bot builds them, without Telegram."""
    resolver, _ = build_resolver(config)
    return Services.create(
        config,
        database,
        clock=clock,
        messages=TelegramMessages(config),
        locations=resolver,
        wake=bell.ring,
        languages=languages(),
    )


def complete_draft(
    user_id: int = 501,
    *,
    category: str = "zwerfvuil-dumping",
    description: str = "Er ligt al dagen een bank op de stoep.",
    contact: bool = False,
    at: datetime = START,
) -> Draft:
    """Return a draft with every answer given, ready to send."""
    return Draft(
        user_id=user_id,
        chat_id=user_id,
        token="abc123",
        language=Language.NL,
        category_id=category,
        location=Location(neighbourhood=BODDENKAMP, source=LocationSource.CHOSEN),
        description=description,
        photos_done=True,
        timing=Timing.NOW,
        contact_allowed=contact,
        created_at=at,
        updated_at=at,
    )
