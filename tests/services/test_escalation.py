"""An unclaimed report is brought up once in its lead's chat, then once to the coordinator."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reports.kinds import ActorKind, CaseNote, OutboxKind
from reports.records import Actor
from reports.workflow import CaseAction
from services.coordination import link_chat, unlink_partner
from services.escalation import Escalation, escalate_overdue
from tests.services.coordinator_world import (
    COORDINATOR,
    LINK_CODE,
    POLICE,
    World,
    world,
)

DUE = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
"""One working day after Saturday 11:00: Monday 17:00 in Enschede."""
SECOND = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
"""One working day later again: Tuesday 17:00."""
MINUTE = timedelta(minutes=1)
KEES = Actor(ActorKind.CASEWORKER, user_id=501, name="Kees", partner_id="politie")


async def steps(w: World, report_id: int) -> list[str]:
    """Return the audit trail's actions of a report."""
    return [event.action for event in await w.svc.cases.events(report_id)]


async def test_an_unclaimed_report_is_reminded_once_as_a_reply_to_its_notification(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        assert report.lead_partner == "politie" and report.due_at == DUE
        await w.deliver(OutboxKind.NOTIFICATION_LEAD, message_id=77)
        w.clock.set(DUE - MINUTE)
        assert await escalate_overdue(w.svc) == 0
        w.clock.set(DUE + MINUTE)
        woken = len(w.wakes)
        assert await escalate_overdue(w.svc) == 1
        assert len(w.wakes) == woken + 1, "the commit woke the sender"
        [reminder] = await w.queued(OutboxKind.REMINDER)
        assert reminder.chat_id == POLICE
        assert "Herinnering" in reminder.text and report.reference in reminder.text
        assert "Jongerenoverlast" in reminder.text and "Boddenkamp" in reminder.text
        assert "wacht al 2 d 6 u" in reminder.text  # Saturday 11:00 to Monday 17:01
        assert "oppakken vóór 30-11-2026 17:00" in reminder.text
        assert reminder.params["reply_parameters"]["message_id"] == 77
        assert reminder.dedupe_key == f"reminder:{report.id}:{DUE.isoformat()}"
        assert (await w.stored(report)).reminded_at == DUE + MINUTE
        events = await w.svc.cases.events(report.id)
        assert (events[-1].action, events[-1].detail) == (CaseNote.REMINDER, "politie")
        w.advance(timedelta(hours=3))
        assert await escalate_overdue(w.svc) == 0
        assert len(await w.queued(OutboxKind.REMINDER)) == 1
        assert await w.queued(OutboxKind.ESCALATION) == []


async def test_the_coordinator_hears_once_one_response_target_after_the_deadline(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        w.clock.set(DUE + MINUTE)
        assert await escalate_overdue(w.svc) == 1
        w.clock.set(SECOND - MINUTE)
        assert await escalate_overdue(w.svc) == 0
        w.clock.set(SECOND)
        assert await escalate_overdue(w.svc) == 1
        [notice] = await w.queued(OutboxKind.ESCALATION)
        assert notice.chat_id == COORDINATOR
        assert "Niet opgepakt" in notice.text and report.reference in notice.text
        assert "Politie (wijkagent)" in notice.text and "Boddenkamp" in notice.text
        assert "herinnering van 30-11-2026 17:01" in notice.text
        assert f"/melding {report.reference}" in notice.text
        assert (await w.stored(report)).escalated_at == SECOND
        w.advance(timedelta(days=2))
        assert await escalate_overdue(w.svc) == 0
        assert len(await w.queued(OutboxKind.ESCALATION)) == 1
        assert len(await w.queued(OutboxKind.REMINDER)) == 1
        trail = await steps(w, report.id)
        assert trail.count(CaseNote.REMINDER) == 1 and trail.count(CaseNote.ESCALATION) == 1


async def test_a_claimed_report_gets_no_reminder_and_no_notice(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        async with w.svc.uow() as work:
            await work.cases.act(report.id, CaseAction.CLAIM, KEES, w.clock.now())
        w.advance(timedelta(days=10))
        assert await escalate_overdue(w.svc) == 0
        assert await w.queued(OutboxKind.REMINDER) == []
        assert await w.queued(OutboxKind.ESCALATION) == []
        stored = await w.stored(report)
        assert stored.reminded_at is None and stored.escalated_at is None


async def test_a_report_claimed_after_the_sweep_found_it_is_left_alone(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        w.clock.set(DUE + MINUTE)
        [found] = await w.svc.cases.due_for_reminder(w.clock.now())
        async with w.svc.uow() as work:
            await work.cases.act(report.id, CaseAction.CLAIM, KEES, w.clock.now())
        assert await Escalation(w.svc).remind(found, w.clock.now()) == 0
        assert await w.queued(OutboxKind.REMINDER) == []
        assert CaseNote.REMINDER not in await steps(w, report.id)


async def test_two_sweeps_at_once_queue_each_message_once(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        w.clock.set(DUE + MINUTE)
        assert sum(await asyncio.gather(escalate_overdue(w.svc), escalate_overdue(w.svc))) == 1
        w.clock.set(SECOND)
        assert sum(await asyncio.gather(escalate_overdue(w.svc), escalate_overdue(w.svc))) == 1
        assert len(await w.queued(OutboxKind.REMINDER)) == 1
        assert len(await w.queued(OutboxKind.ESCALATION)) == 1
        trail = await steps(w, report.id)
        assert trail.count(CaseNote.REMINDER) == 1 and trail.count(CaseNote.ESCALATION) == 1


async def test_a_forwarded_report_is_reminded_again_in_the_new_lead_chat(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        w.clock.set(DUE + MINUTE)
        assert await escalate_overdue(w.svc) == 1
        new_due = datetime(2026, 12, 1, 16, 1, tzinfo=UTC)  # one working day after the forward
        changes = {
            "lead_partner": "handhaving",
            "due_at": new_due,
            "reminded_at": None,
            "escalated_at": None,
        }
        async with w.svc.uow() as work:
            await work.cases.act(
                report.id, CaseAction.FORWARD, KEES, w.clock.now(), changes=changes
            )
        w.clock.set(new_due)
        assert await escalate_overdue(w.svc) == 1
        reminders = await w.queued(OutboxKind.REMINDER)
        assert [r.chat_id for r in reminders] == [POLICE, -1002]
        assert "wacht al 1 d 0 u" in reminders[-1].text, "counted from the forward"
        assert await w.queued(OutboxKind.ESCALATION) == []


async def test_with_no_chat_to_go_to_a_step_is_recorded_once_as_undeliverable(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, overrides="") as w:
        await link_chat(w.svc, COORDINATOR, 509, "coordinator", LINK_CODE)
        report = await w.report()
        await unlink_partner(w.svc, COORDINATOR, "coordinator")  # no chat left at all
        w.clock.set(DUE + MINUTE)
        assert await escalate_overdue(w.svc) == 0
        assert await escalate_overdue(w.svc) == 0
        assert (await w.stored(report)).reminded_at == DUE + MINUTE
        assert (await steps(w, report.id)).count(CaseNote.UNDELIVERABLE) == 1  # the reminder
        assert await w.queued(OutboxKind.REMINDER) == []
