"""Give every storage test its own SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database
from storage.drafts import DraftRepository
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Return where the test's database file lives."""
    return tmp_path / "data" / "meldbot.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """Open a fresh, migrated database and close it after the test."""
    database = await Database.open(db_path)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def drafts(db: Database) -> DraftRepository:
    """Return the draft repository on the test database."""
    return DraftRepository(db)


@pytest.fixture
def reports(db: Database) -> ReportRepository:
    """Return the report repository on the test database."""
    return ReportRepository(db)


@pytest.fixture
def residents(db: Database) -> ResidentRepository:
    """Return the resident repository on the test database."""
    return ResidentRepository(db)


@pytest.fixture
def privacy(db: Database) -> PrivacyRepository:
    """Return the privacy repository on the test database."""
    return PrivacyRepository(db)
