"""Residents' language preference."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reports.models import Language
from reports.records import OptOut
from storage.database import Database
from storage.residents import (
    ResidentRepository,
    proactive_off,
    turn_proactive_off,
    turn_proactive_on,
)
from tests.storage.builders import START


async def test_a_resident_who_never_chose_has_no_language(residents: ResidentRepository) -> None:
    assert await residents.language(1001) is None


async def test_a_chosen_language_is_remembered_and_can_change(
    residents: ResidentRepository,
) -> None:
    await residents.set_language(1001, Language.EN, START)
    assert await residents.language(1001) == Language.EN
    await residents.set_language(1001, Language.NL, START + timedelta(minutes=1))
    assert await residents.language(1001) == Language.NL
    assert await residents.language(1002) is None


async def test_choosing_none_goes_back_to_following_telegram(
    residents: ResidentRepository,
) -> None:
    await residents.set_language(1001, Language.EN, START)
    await residents.set_language(1001, None, START + timedelta(minutes=1))
    assert await residents.language(1001) is None


async def test_changing_the_language_keeps_when_the_resident_first_chose(
    db: Database, residents: ResidentRepository
) -> None:
    await residents.set_language(1001, Language.EN, START)
    await residents.set_language(1001, Language.NL, START + timedelta(days=2))
    async with db.read() as session:
        row = await session.fetch_one(
            "SELECT created_at, updated_at FROM residents WHERE user_id = 1001"
        )
    assert row is not None
    assert row["created_at"] == "2026-03-01T09:30:00.000000+00:00"
    assert row["updated_at"] == "2026-03-03T09:30:00.000000+00:00"


async def test_the_language_survives_closing_and_reopening(db_path: Path) -> None:
    async with await Database.open(db_path) as db:
        await ResidentRepository(db).set_language(1001, Language.EN, START)
    async with await Database.open(db_path) as db:
        assert await ResidentRepository(db).language(1001) == Language.EN


async def test_a_transaction_reads_the_opt_out_once_and_sees_its_own_changes(db: Database) -> None:
    async with db.transaction() as session:
        assert await proactive_off(session, 1001) is None
        assert await proactive_off(session, 1001) is None
        await turn_proactive_off(session, 1001, OptOut.STOP, START)
        assert await proactive_off(session, 1001) is OptOut.STOP
        assert await turn_proactive_on(session, 1001, START) is OptOut.STOP
        assert await proactive_off(session, 1001) is None
    async with db.transaction() as session:
        assert await proactive_off(session, 1001) is None
