"""A report is confirmed only after it is stored; a failed commit loses nothing."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.steps.residents import choose_category, finish_after_location


async def test_a_failed_commit_gives_no_reference_and_the_draft_can_be_sent_again(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    rik = api.user(4001, "Rik")
    await choose_category(meldbot, rik)
    await meldbot.say(rik, "Boddenkamp", expect="Plek:")
    summary = await finish_after_location(meldbot, rik)
    assert meldbot.bot is not None
    database = meldbot.bot.database
    async with database.transaction() as session:
        await session.execute(
            "CREATE TRIGGER refuse_reports BEFORE INSERT ON reports "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    failed = await meldbot.tap(rik, summary, "✅ Versturen", expect="niet gelukt")
    assert "ENS-" not in failed.text
    assert await meldbot.bot.services.reports.count() == 0
    assert await meldbot.bot.services.drafts.get(rik.id) is not None
    async with database.transaction() as session:
        await session.execute("DROP TRIGGER refuse_reports")
    confirmed = await meldbot.tap(rik, summary, "✅ Versturen", expect="ENS-2026-0001")
    assert "Dank u wel" in confirmed.text
    assert await meldbot.bot.services.reports.count() == 1
