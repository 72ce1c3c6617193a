"""Finding reports nobody claimed in time: first for a reminder, then for the coordinator."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from reports.kinds import ActorKind
from reports.models import Report
from reports.records import Actor
from reports.workflow import CaseAction, CaseConflict
from storage.cases import CaseRepository
from storage.database import Database
from storage.drafts import DraftRepository
from storage.reports import ReportRepository
from storage.uow import unit_of_work
from tests.storage.builders import START, complete_draft

SYSTEM = Actor(ActorKind.SYSTEM)
CASEWORKER = Actor(ActorKind.CASEWORKER, 501, "Kees", "politie")
DUE = START + timedelta(hours=8)
MINUTE = timedelta(minutes=1)


def one_day_after_due(report: Report) -> datetime:
    """Escalate a day after the deadline."""
    assert report.due_at is not None
    return report.due_at + timedelta(days=1)


@pytest.fixture
def cases(db: Database) -> CaseRepository:
    """Return the case repository on the test database."""
    return CaseRepository(db)


async def routed_report(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository, user_id: int = 1001
) -> Report:
    """Store a report and route it to the police, due at DUE."""
    draft = complete_draft(user_id)
    await drafts.save(draft)
    report = await reports.commit_draft(draft, prefix="ENS", now=START)
    changes = {"lead_partner": "politie", "due_at": DUE}
    return await cases.act(report.id, CaseAction.ROUTE, SYSTEM, START, changes=changes)


async def test_an_unclaimed_report_is_due_for_a_reminder_from_its_deadline_until_reminded(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    report = await routed_report(drafts, reports, cases)
    assert await cases.due_for_reminder(DUE - MINUTE) == []
    assert [r.id for r in await cases.due_for_reminder(DUE)] == [report.id]
    await cases.note(report.id, SYSTEM, "reminder", DUE, changes={"reminded_at": DUE})
    assert await cases.due_for_reminder(DUE + timedelta(days=3)) == []


async def test_a_claimed_report_is_never_due_for_a_reminder_or_the_coordinator(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    report = await routed_report(drafts, reports, cases)
    await cases.note(report.id, SYSTEM, "reminder", DUE, changes={"reminded_at": DUE})
    await cases.act(report.id, CaseAction.CLAIM, CASEWORKER, DUE, changes={"claimed_by": 501})
    later = DUE + timedelta(days=5)
    assert await cases.due_for_reminder(later) == []
    assert await cases.due_for_escalation(later, one_day_after_due) == []


async def test_a_reminded_report_goes_to_the_coordinator_once_its_second_period_has_passed(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    report = await routed_report(drafts, reports, cases)
    second = DUE + timedelta(days=1)
    assert await cases.due_for_escalation(second, one_day_after_due) == [], "not reminded yet"
    await cases.note(report.id, SYSTEM, "reminder", DUE, changes={"reminded_at": DUE})
    assert await cases.due_for_escalation(second - MINUTE, one_day_after_due) == []
    due = await cases.due_for_escalation(second, one_day_after_due)
    assert [r.id for r in due] == [report.id]
    await cases.note(report.id, SYSTEM, "escalation", second, changes={"escalated_at": second})
    assert await cases.due_for_escalation(second + timedelta(days=9), one_day_after_due) == []


async def test_forwarding_with_a_new_deadline_makes_the_new_lead_due_for_its_own_reminder(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    report = await routed_report(drafts, reports, cases)
    await cases.note(report.id, SYSTEM, "reminder", DUE, changes={"reminded_at": DUE})
    new_due = DUE + timedelta(days=2)
    changes = {"lead_partner": "handhaving", "due_at": new_due, "reminded_at": None}
    await cases.act(report.id, CaseAction.FORWARD, CASEWORKER, DUE, changes=changes)
    assert await cases.due_for_reminder(new_due - MINUTE) == []
    assert [r.lead_partner for r in await cases.due_for_reminder(new_due)] == ["handhaving"]


async def test_reports_due_for_a_reminder_come_earliest_deadline_first(
    drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    first = await routed_report(drafts, reports, cases, 1001)
    second = await routed_report(drafts, reports, cases, 1002)
    earlier = {"due_at": DUE - timedelta(hours=1)}
    await cases.note(second.id, SYSTEM, "deadline", START, changes=earlier)
    assert [r.id for r in await cases.due_for_reminder(DUE)] == [second.id, first.id]


async def test_a_reminder_whose_message_step_refuses_leaves_no_trace(
    db: Database, drafts: DraftRepository, reports: ReportRepository, cases: CaseRepository
) -> None:
    report = await routed_report(drafts, reports, cases)
    rings: list[int] = []

    with pytest.raises(CaseConflict):
        async with unit_of_work(db, lambda: rings.append(1))() as work:
            updated = await work.cases.note(
                report.id, SYSTEM, "reminder", DUE, changes={"reminded_at": DUE}
            )
            raise CaseConflict(updated)
    assert rings == []
    stored = await cases.get(report.id)
    assert stored is not None and stored.reminded_at is None
    assert [event.action for event in await cases.events(report.id)] == ["route"]
