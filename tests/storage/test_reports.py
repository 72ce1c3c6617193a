"""Committing drafts as numbered reports and finding them again."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reports.models import IncompleteDraftError, ReportStatus, StaleDraftError, Timing
from storage.database import Database
from storage.drafts import DraftRepository
from storage.reports import ReportRepository
from tests.storage.builders import (
    POSTCODE_IN_ROOMBEEK,
    ROOMBEEK,
    START,
    complete_draft,
    empty_draft,
)


async def _commit_new(
    drafts: DraftRepository,
    reports: ReportRepository,
    user_id: int = 1001,
    *,
    now: datetime = START,
    prefix: str = "ENS",
) -> str:
    draft = complete_draft(user_id, at=now)
    await drafts.save(draft)
    report = await reports.commit_draft(draft, prefix=prefix, now=now)
    return report.reference


async def _counter(db: Database, prefix: str, year: int) -> int | None:
    async with db.read() as session:
        value = await session.fetch_value(
            "SELECT last_number FROM reference_counters WHERE prefix = ? AND year = ?",
            (prefix, year),
        )
    return None if value is None else int(value)


async def test_committing_a_draft_stores_the_report_and_deletes_the_draft(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft()
    await drafts.save(draft)
    now = START + timedelta(minutes=3)
    report = await reports.commit_draft(draft, prefix="ENS", now=now)
    assert report.id > 0
    assert report.reference == "ENS-2026-0001"
    assert report.user_id == draft.user_id
    assert report.chat_id == draft.chat_id
    assert report.category_id == "litter"
    assert report.location == draft.location
    assert report.description == draft.description
    assert report.photo_file_ids == ["photo-a", "photo-b"]
    assert report.timing is Timing.RECURRING
    assert report.contact_allowed is True
    assert report.status is ReportStatus.NEW
    assert report.created_at == now
    assert await drafts.get(draft.user_id) is None
    assert await reports.get_by_reference("ENS-2026-0001") == report


async def test_a_report_without_a_point_or_photos_round_trips(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft(location=POSTCODE_IN_ROOMBEEK, photos=())
    await drafts.save(draft)
    report = await reports.commit_draft(draft, prefix="ENS", now=START)
    loaded = await reports.get_by_reference(report.reference)
    assert loaded == report
    assert loaded is not None
    assert loaded.location.neighbourhood == ROOMBEEK
    assert not loaded.location.has_point
    assert loaded.photo_file_ids == []


async def test_an_unknown_reference_finds_nothing(reports: ReportRepository) -> None:
    assert await reports.get_by_reference("ENS-2026-9999") is None


async def test_references_are_sequential_per_year(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    made = [await _commit_new(drafts, reports, user_id) for user_id in (1, 2, 1)]
    assert made == ["ENS-2026-0001", "ENS-2026-0002", "ENS-2026-0003"]


async def test_the_reference_counter_starts_again_at_one_in_a_new_year(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    december = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    january = datetime(2027, 1, 1, 0, 1, tzinfo=UTC)
    assert await _commit_new(drafts, reports, 1, now=december) == "ENS-2026-0001"
    assert await _commit_new(drafts, reports, 2, now=december) == "ENS-2026-0002"
    assert await _commit_new(drafts, reports, 3, now=january) == "ENS-2027-0001"


async def test_each_prefix_counts_on_its_own(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    assert await _commit_new(drafts, reports, 1, prefix="ENS") == "ENS-2026-0001"
    assert await _commit_new(drafts, reports, 2, prefix="TST") == "TST-2026-0001"
    assert await _commit_new(drafts, reports, 3, prefix="ENS") == "ENS-2026-0002"


async def test_references_grow_past_four_digits(
    db: Database, drafts: DraftRepository, reports: ReportRepository
) -> None:
    async with db.transaction() as session:
        await session.execute(
            "INSERT INTO reference_counters (prefix, year, last_number) VALUES ('ENS', 2026, 9999)"
        )
    assert await _commit_new(drafts, reports) == "ENS-2026-10000"


async def test_concurrent_commits_all_get_unique_references(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    references = await asyncio.gather(
        *(_commit_new(drafts, reports, user_id) for user_id in range(1, 21))
    )
    assert sorted(references) == [f"ENS-2026-{n:04d}" for n in range(1, 21)]
    assert await reports.count() == 20


async def test_an_incomplete_draft_is_refused_and_nothing_is_written(
    db: Database, drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft()
    draft.timing = None
    await drafts.save(draft)
    with pytest.raises(IncompleteDraftError, match="timing"):
        await reports.commit_draft(draft, prefix="ENS", now=START)
    with pytest.raises(ValueError, match="category"):
        await reports.commit_draft(empty_draft(), prefix="ENS", now=START)
    assert await reports.count() == 0
    assert await drafts.get(draft.user_id) == draft
    assert await _counter(db, "ENS", 2026) is None


async def test_an_invalid_prefix_is_refused(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft()
    await drafts.save(draft)
    with pytest.raises(ValueError, match="prefix"):
        await reports.commit_draft(draft, prefix="ens-", now=START)


async def test_sending_the_same_draft_twice_makes_one_report(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft()
    await drafts.save(draft)
    first, second = await asyncio.gather(
        reports.commit_draft(draft, prefix="ENS", now=START),
        reports.commit_draft(draft, prefix="ENS", now=START),
        return_exceptions=True,
    )
    assert not isinstance(first, BaseException)
    assert first.reference == "ENS-2026-0001"
    assert isinstance(second, StaleDraftError)
    assert await reports.count() == 1


async def test_a_draft_changed_since_it_was_read_is_not_sent(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    draft = complete_draft()
    await drafts.save(draft)
    changed = draft.model_copy(deep=True)
    changed.description = "Toch iets anders."
    changed.updated_at += timedelta(seconds=10)
    await drafts.save(changed)
    with pytest.raises(StaleDraftError):
        await reports.commit_draft(draft, prefix="ENS", now=START)
    assert await reports.count() == 0
    assert await drafts.get(draft.user_id) == changed


async def test_a_failure_halfway_leaves_no_partial_report(
    db: Database, drafts: DraftRepository, reports: ReportRepository
) -> None:
    async with db.transaction() as session:
        await session.execute(
            "CREATE TEMP TRIGGER photos_fail BEFORE INSERT ON report_photos"
            " BEGIN SELECT RAISE(ABORT, 'disk full, say'); END"
        )
    draft = complete_draft()
    await drafts.save(draft)
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        await reports.commit_draft(draft, prefix="ENS", now=START)
    assert await reports.count() == 0
    assert await drafts.get(draft.user_id) == draft
    assert await _counter(db, "ENS", 2026) is None
    async with db.transaction() as session:
        await session.execute("DROP TRIGGER photos_fail")
    assert (await reports.commit_draft(draft, prefix="ENS", now=START)).reference == (
        "ENS-2026-0001"
    )


async def test_list_for_user_shows_only_their_reports_newest_first(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    for minutes, user_id in [(0, 1), (5, 2), (10, 1), (15, 1), (20, 2)]:
        await _commit_new(drafts, reports, user_id, now=START + timedelta(minutes=minutes))
    mine = await reports.list_for_user(1)
    assert [report.reference for report in mine] == [
        "ENS-2026-0004",
        "ENS-2026-0003",
        "ENS-2026-0001",
    ]
    assert all(report.user_id == 1 for report in mine)
    assert all(report.photo_file_ids == ["photo-a", "photo-b"] for report in mine)
    theirs = await reports.list_for_user(2)
    assert [report.reference for report in theirs] == ["ENS-2026-0005", "ENS-2026-0002"]
    assert await reports.list_for_user(3) == []


async def test_list_for_user_respects_the_limit_and_breaks_ties_by_newest_id(
    drafts: DraftRepository, reports: ReportRepository
) -> None:
    for _ in range(4):
        await _commit_new(drafts, reports, 1, now=START)
    latest = await reports.list_for_user(1, limit=2)
    assert [report.reference for report in latest] == ["ENS-2026-0004", "ENS-2026-0003"]


async def test_reports_survive_closing_and_reopening(db_path: Path) -> None:
    async with await Database.open(db_path) as db:
        reference = await _commit_new(DraftRepository(db), ReportRepository(db))
        stored = await ReportRepository(db).get_by_reference(reference)
    async with await Database.open(db_path) as db:
        reopened = ReportRepository(db)
        assert await reopened.get_by_reference(reference) == stored
        assert await reopened.count() == 1
        assert await _commit_new(DraftRepository(db), reopened) == "ENS-2026-0002"
