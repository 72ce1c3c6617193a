"""Answers to "is it still going on?" reach the lead partner, count, and ask again; once each."""

from __future__ import annotations

from datetime import timedelta

from reports.followup import FollowupAnswer, followup_key
from reports.kinds import OutboxKind
from reports.models import Report, ReportStatus
from reports.workflow import CaseAction
from services import followups
from services.followups import FollowupOutcome
from storage.outbox import OutboxRow, OutboxStatus
from tests.services.proactive_world import CASEWORKER, POLICE, START, World, text_of, world

__all__ = ["world"]

DUE = START + timedelta(days=3)  # followup_after (P3D): Tuesday 11:00 in Enschede
REPEAT = timedelta(days=7)


async def asked(world: World, user_id: int = 1001) -> tuple[Report, OutboxRow]:
    """Make a report, deliver its notification and its first follow-up; return both."""
    report = await world.report(user_id)
    await world.deliver()
    await world.deliver(DUE)
    [question] = world.in_chat(user_id, OutboxKind.FOLLOWUP_QUESTION)
    return report, question


async def test_still_going_on_tells_the_lead_partner_and_asks_again_a_week_later(
    world: World,
) -> None:
    report, _ = await asked(world)
    lead = world.in_chat(POLICE, OutboxKind.NOTIFICATION_LEAD)[0]
    world.wakes.clear()
    result = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.ONGOING)
    assert result.outcome is FollowupOutcome.ONGOING and not result.refused
    assert result.asked_again_at == DUE + REPEAT
    assert world.wakes == [DUE]  # committing woke the dispatcher, once
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_FOLLOWUP_ONGOING
    assert report.reference in text_of(told) and "1×" in text_of(told)  # noqa: RUF001
    assert told.params["reply_parameters"]["message_id"] == lead.message_id
    assert (await world.stored(report)).recurrence_count == 1
    again = await world.outbox.get_by_dedupe_key(followup_key(report.id, 2))
    assert again is not None and again.due_at == DUE + REPEAT
    assert again.status is OutboxStatus.PENDING
    events = [e.action for e in await world.svc.cases.events(report.id)]
    assert events[-1] == "followup_ongoing"


async def test_still_going_on_asks_at_most_followup_max_times(world: World) -> None:
    report, _ = await asked(world)
    due = DUE
    for number in (1, 2, 3):
        result = await followups.answer(world.svc, 1001, report.id, number, FollowupAnswer.ONGOING)
        assert result.outcome is FollowupOutcome.ONGOING
        if number < 3:
            due += REPEAT
            assert result.asked_again_at == due
            await world.deliver(due)
        else:
            assert result.asked_again_at is None
    assert (await world.stored(report)).recurrence_count == 3
    assert await world.outbox.get_by_dedupe_key(followup_key(report.id, 4)) is None
    await world.deliver()
    assert len(world.in_chat(POLICE, OutboxKind.RELAY_FOLLOWUP_ONGOING)) == 3


async def test_solved_asks_the_partner_to_close_and_leaves_the_report_open(world: World) -> None:
    report, _ = await asked(world)
    result = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.SOLVED)
    assert result.outcome is FollowupOutcome.SOLVED and result.asked_again_at is None
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_FOLLOWUP_SOLVED and "Opgelost" in text_of(told)
    stored = await world.stored(report)
    assert stored.status is ReportStatus.ROUTED and stored.recurrence_count == 0
    assert await world.outbox.get_by_dedupe_key(followup_key(report.id, 2)) is None


async def test_an_answer_to_an_undelivered_question_changes_nothing(world: World) -> None:
    report = await world.report(1001)
    await world.deliver()
    pending = await world.outbox.pending_count()
    result = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.ONGOING)
    assert result.outcome is FollowupOutcome.STALE and result.refused
    assert await world.outbox.pending_count() == pending
    assert [f.answer for f in await world.svc.followups.for_report(report.id)] == [None]
    assert "followup_ongoing" not in [e.action for e in await world.svc.cases.events(report.id)]


async def test_an_answered_question_takes_no_second_answer(world: World) -> None:
    report, _ = await asked(world)
    first = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.SOLVED)
    second = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.ONGOING)
    assert (first.outcome, second.outcome) == (FollowupOutcome.SOLVED, FollowupOutcome.STALE)
    await world.deliver()
    assert world.in_chat(POLICE, OutboxKind.RELAY_FOLLOWUP_ONGOING) == []
    assert (await world.stored(report)).recurrence_count == 0
    followup = await world.svc.followups.get(report.id, 1)
    assert followup is not None and followup.answer is FollowupAnswer.SOLVED


async def test_only_the_reporter_may_answer(world: World) -> None:
    report, _ = await asked(world)
    result = await followups.answer(world.svc, 1002, report.id, 1, FollowupAnswer.ONGOING)
    assert result.outcome is FollowupOutcome.UNKNOWN and result.report is None
    unknown = await followups.answer(world.svc, 1001, report.id + 99, 1, FollowupAnswer.ONGOING)
    assert unknown.outcome is FollowupOutcome.UNKNOWN
    assert (await world.stored(report)).recurrence_count == 0


async def test_a_closed_report_takes_no_answer(world: World) -> None:
    report, _ = await asked(world)
    async with world.svc.uow() as work:
        await work.cases.act(report.id, CaseAction.RESOLVE, CASEWORKER, DUE)
    result = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.ONGOING)
    assert result.outcome is FollowupOutcome.CLOSED
    assert (await world.stored(report)).recurrence_count == 0


async def test_added_text_joins_the_description_and_reaches_the_partner_once(
    world: World,
) -> None:
    report, _ = await asked(world)
    result = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.MORE)
    assert result.outcome is FollowupOutcome.MORE
    later = DUE + timedelta(hours=2)
    world.clock.set(later)
    added = await followups.add_information(world.svc, 1001, "  Vannacht weer <glas>.  ", None)
    assert added is not None and added.id == report.id
    assert added.description.endswith("\n\n[01-12-2026] Vannacht weer <glas>.")
    assert await followups.add_information(world.svc, 1001, "En nog iets.", None) is None
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_FOLLOWUP_ADDITION
    assert "Vannacht weer &lt;glas&gt;." in text_of(told)
    lead = world.in_chat(POLICE, OutboxKind.NOTIFICATION_LEAD)[0]
    assert told.params["reply_parameters"]["message_id"] == lead.message_id


async def test_an_added_photo_joins_the_report_and_is_relayed_as_a_photo(world: World) -> None:
    report, _ = await asked(world)
    await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.MORE)
    added = await followups.add_information(world.svc, 1001, "", "photo-new")
    assert added is not None and added.photo_file_ids == ["photo-a", "photo-new"]
    [photo] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert photo.kind == OutboxKind.RELAY_FOLLOWUP_PHOTO and photo.method == "sendPhoto"
    assert photo.params["photo"] == "photo-new" and "Foto van de melder" in text_of(photo)


async def test_nothing_is_added_without_add_information_or_after_a_day(world: World) -> None:
    report, _ = await asked(world)
    assert await followups.add_information(world.svc, 1001, "Zomaar een bericht.", None) is None
    await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.MORE)
    world.clock.set(DUE + timedelta(days=1, minutes=1))
    assert await followups.add_information(world.svc, 1001, "Te laat.", None) is None
    assert await followups.add_information(world.svc, 1001, "   ", None) is None
    assert "Te laat." not in (await world.stored(report)).description
