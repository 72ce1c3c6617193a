"""Migration 0018 keeps every follow-up and survey (as the reporter's) and seats co-reporters."""

from __future__ import annotations

from pathlib import Path

from storage.database import Database
from storage.drafts import DraftRepository
from storage.followers import follow, followers_of
from storage.migrate import load_migrations
from storage.outbox import Priority
from storage.reports import ReportRepository
from storage.timestamps import to_text
from tests.storage.builders import START, complete_draft

BEFORE = 17
"""The schema version before follow-ups and surveys were asked per respondent."""


async def test_answers_stay_the_reporters_and_co_reporters_get_seats_in_joining_order(
    db_path: Path,
) -> None:
    shipped = load_migrations()
    assert shipped[BEFORE].name == "co_reporter_questions"
    async with await Database.open(db_path, migrations=shipped[:BEFORE]) as old:
        draft = complete_draft(1001, at=START)
        await DraftRepository(old).save(draft)
        report = (await ReportRepository(old).commit_draft(draft, prefix="ENS", now=START)).id
        async with old.transaction() as session:
            stamp = to_text(START)
            # Written as version 17 knew the outbox (today's repository writes newer columns).
            row = await session.fetch_value(
                "INSERT INTO outbox (chat_id, method, params, priority, due_at, next_attempt_at,"
                " kind, report_id, dedupe_key, created_at)"
                " VALUES (1001, 'sendMessage', '{\"text\":\"?\"}', ?, ?, ?,"
                " 'followup.question', ?, ?, ?) RETURNING id",
                (int(Priority.BULK), stamp, stamp, report, f"followup:{report}:1", stamp),
            )
            await session.execute(
                "INSERT INTO followups (report_id, number, outbox_id, due_at, answer, answered_at)"
                " VALUES (?, 1, ?, ?, 'ongoing', ?)",
                (report, row, stamp, stamp),
            )
            await session.execute(
                "INSERT INTO surveys (report_id, buurt_code, wijk_code, state, satisfied,"
                " feels_unsafe, comment, due_at, expires_at) VALUES (?, 'BU01530100', 'WK015301',"
                " 'done', 1, 'never', 'Prima', ?, ?)",
                (report, stamp, stamp),
            )
            for user_id, minute in ((2002, 30), (2001, 10)):  # joined 10:30, then 10:10
                await session.execute(
                    "INSERT INTO report_followers (report_id, user_id, language, joined_at)"
                    " VALUES (?, ?, 'nl', ?)",
                    (report, user_id, f"2026-11-28T10:{minute}:00.000000Z"),
                )
            await session.execute("UPDATE reports SET co_reporters = 2 WHERE id = ?", (report,))

    async with await Database.open(db_path) as db:
        assert await db.schema_version() == len(shipped)
        async with db.transaction() as session:
            followups = await session.fetch_all(
                "SELECT respondent, number, outbox_id, answer FROM followups"
            )
            assert [tuple(r) for r in followups] == [(0, 1, row, "ongoing")]
            surveys = await session.fetch_all(
                "SELECT report_id, respondent, satisfied, comment FROM surveys"
            )
            assert [tuple(r) for r in surveys] == [(report, 0, 1, "Prima")]
            seated = [(f.user_id, f.seat) for f in await followers_of(session, report)]
            assert seated == [(2001, 1), (2002, 2)]
            assert await follow(session, report, 2003, "en", START, START) == 3
            assert await follow(session, report, 2003, "en", START, START) is None
            listed = await session.fetch_all("SELECT name FROM sqlite_master WHERE type = 'index'")
            indexes = {r[0] for r in listed}
            assert {
                "followups_awaiting",
                "followups_by_outbox",
                "followups_by_answered",
                "surveys_open",
                "surveys_wijk",
                "surveys_by_outbox",
                "surveys_by_answered",
                "report_followers_seat",
            } <= indexes
