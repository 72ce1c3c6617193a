"""Proactive rows expire, wait for the morning and stop on request; follow-ups are answered once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.followup import FollowupAnswer
from reports.kinds import ActorKind
from reports.records import Actor, OptOut
from reports.schedule import Duration, QuietHours, SendPolicy
from reports.workflow import CaseAction
from storage.cases import CaseRepository
from storage.database import Database
from storage.drafts import DraftRepository
from storage.followups import (
    FollowupRepository,
    add_followup,
    add_to_report,
    answer_followup,
    count_recurrence,
    end_addition,
)
from storage.outbox import OutboxRepository, OutboxStatus, OutgoingMessage, Priority
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository
from tests.storage.builders import START, complete_draft

ZONE = ZoneInfo("Europe/Amsterdam")
POLICY = SendPolicy(ZONE, Duration(days=2), QuietHours(time(21, 0), time(9, 0)))
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Enschede
EVENING = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30
MORNING = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # 09:00
SYSTEM = Actor(ActorKind.SYSTEM)


@pytest.fixture
def outbox(db: Database) -> OutboxRepository:
    """Return the outbox repository on the test database."""
    return OutboxRepository(db)


@pytest.fixture
def followups(db: Database) -> FollowupRepository:
    """Return the follow-up repository on the test database."""
    return FollowupRepository(db)


def row(
    kind: str = "followup.question",
    *,
    chat_id: int = 1001,
    due_at: datetime = NOON,
    report_id: int | None = None,
    key: str | None = None,
) -> OutgoingMessage:
    """Return a message; proactive kinds go as bulk, others as notifications."""
    bulk = kind.split(".")[0] in ("followup", "survey", "tip", "digest")
    return OutgoingMessage(
        chat_id=chat_id,
        method="sendMessage",
        params={"text": kind},
        priority=Priority.BULK if bulk else Priority.NOTIFICATION,
        due_at=due_at,
        kind=kind,
        report_id=report_id,
        dedupe_key=key,
    )


async def new_report(drafts: DraftRepository, reports: ReportRepository, user_id: int) -> int:
    """Store a report of the resident and return its id."""
    draft = complete_draft(user_id)
    await drafts.save(draft)
    return (await reports.commit_draft(draft, prefix="ENS", now=START)).id


async def status(outbox: OutboxRepository, row_id: int | None) -> OutboxStatus:
    """Return a row's status."""
    stored = await outbox.get(row_id or 0)
    assert stored is not None
    return stored.status


async def test_a_proactive_row_past_the_grace_period_expires_and_is_never_sent(
    outbox: OutboxRepository,
) -> None:
    late = await outbox.enqueue_now(row())
    claimed = await outbox.claim_due(NOON + timedelta(days=2, minutes=1), 10, policy=POLICY)
    assert claimed == []
    assert await status(outbox, late) is OutboxStatus.EXPIRED
    stored = await outbox.get(late or 0)
    assert stored is not None and stored.finished_at is not None
    assert "grace" in (stored.last_error or "")


async def test_a_proactive_row_within_the_grace_period_is_still_sent(
    outbox: OutboxRepository,
) -> None:
    late = await outbox.enqueue_now(row())
    claimed = await outbox.claim_due(NOON + timedelta(days=1, hours=23), 10, policy=POLICY)
    assert [r.id for r in claimed] == [late]


async def test_notifications_and_replies_never_expire_and_never_wait_for_the_morning(
    outbox: OutboxRepository,
) -> None:
    old = await outbox.enqueue_now(row("notification.lead", chat_id=-1001))
    reply = await outbox.enqueue_now(row("resident.r_claimed", due_at=EVENING))
    claimed = await outbox.claim_due(EVENING + timedelta(days=5), 10, policy=POLICY)
    assert {r.id for r in claimed} == {old, reply}


async def test_a_proactive_row_falling_due_at_night_moves_to_the_end_of_the_quiet_hours(
    outbox: OutboxRepository,
) -> None:
    night = await outbox.enqueue_now(row(due_at=EVENING))
    assert await outbox.claim_due(EVENING + timedelta(minutes=5), 10, policy=POLICY) == []
    moved = await outbox.get(night or 0)
    assert moved is not None and moved.due_at == MORNING
    assert moved.next_attempt_at == MORNING and moved.status is OutboxStatus.PENDING
    assert await outbox.claim_due(MORNING - timedelta(seconds=1), 10, policy=POLICY) == []
    assert [r.id for r in await outbox.claim_due(MORNING, 10, policy=POLICY)] == [night]


async def test_a_postponed_row_does_not_hold_up_a_reply_to_the_same_chat(
    outbox: OutboxRepository,
) -> None:
    await outbox.enqueue_now(row(due_at=EVENING))
    reply = await outbox.enqueue_now(row("resident.r_question", due_at=EVENING))
    claimed = await outbox.claim_due(EVENING, 10, policy=POLICY)
    assert [r.id for r in claimed] == [reply]


async def test_without_a_policy_the_outbox_sends_proactive_rows_as_they_fall_due(
    outbox: OutboxRepository,
) -> None:
    night = await outbox.enqueue_now(row(due_at=EVENING))
    assert [r.id for r in await outbox.claim_due(EVENING, 10)] == [night]


async def test_stopping_cancels_only_the_pending_proactive_rows_of_that_resident(
    outbox: OutboxRepository, residents: ResidentRepository
) -> None:
    await residents.set_language(1001, None, START)
    mine = [await outbox.enqueue_now(row(kind)) for kind in ("followup.question", "tip.bike")]
    update = await outbox.enqueue_now(row("resident.r_claimed"))
    theirs = await outbox.enqueue_now(row(chat_id=1002))
    before, cancelled = await residents.opt_out(1001, OptOut.STOP, START)
    assert (before, cancelled) == (None, 2)
    assert [await status(outbox, r) for r in mine] == [OutboxStatus.CANCELLED] * 2
    assert await status(outbox, update) is OutboxStatus.PENDING
    assert await status(outbox, theirs) is OutboxStatus.PENDING
    assert await residents.proactive_off(1001) is OptOut.STOP
    assert await residents.language(1001) is None


async def test_opting_out_works_for_a_resident_without_preferences(
    residents: ResidentRepository,
) -> None:
    assert await residents.proactive_off(1001) is None
    await residents.opt_out(1001, OptOut.BLOCKED, START)
    assert await residents.proactive_off(1001) is OptOut.BLOCKED


async def test_a_resident_who_stopped_and_then_blocked_stays_stopped_after_writing_again(
    residents: ResidentRepository,
) -> None:
    await residents.opt_out(1001, OptOut.STOP, START)
    before, _ = await residents.opt_out(1001, OptOut.BLOCKED, START)
    assert before is OptOut.STOP
    assert await residents.opt_in(1001, START, only=OptOut.BLOCKED) is None
    assert await residents.proactive_off(1001) is OptOut.STOP
    assert await residents.opt_in(1001, START) is OptOut.STOP
    assert await residents.proactive_off(1001) is None
    assert await residents.opt_in(1001, START) is None


async def test_resolving_a_report_cancels_its_pending_follow_ups_and_nothing_else(
    db: Database,
    drafts: DraftRepository,
    reports: ReportRepository,
    outbox: OutboxRepository,
) -> None:
    report = await new_report(drafts, reports, 1001)
    cases = CaseRepository(db)
    await cases.act(report, CaseAction.ROUTE, SYSTEM, START)
    followup = await outbox.enqueue_now(row(report_id=report, key=f"followup:{report}:1"))
    survey = await outbox.enqueue_now(row("survey.start", report_id=report))
    await cases.act(report, CaseAction.RESOLVE, SYSTEM, START)
    assert await status(outbox, followup) is OutboxStatus.CANCELLED
    assert await status(outbox, survey) is OutboxStatus.PENDING
    again = await outbox.enqueue_now(row(report_id=report, key=f"followup:{report}:1"))
    assert again is None


async def test_a_follow_up_is_answered_once_and_only_after_it_was_delivered(
    db: Database,
    drafts: DraftRepository,
    reports: ReportRepository,
    outbox: OutboxRepository,
    followups: FollowupRepository,
) -> None:
    report = await new_report(drafts, reports, 1001)
    async with db.transaction() as session:
        question = await outbox.enqueue(session, row(report_id=report))
        assert question is not None
        await add_followup(session, report, 1, question, NOON)
    async with db.transaction() as session:
        assert not await answer_followup(session, report, 1, FollowupAnswer.ONGOING, NOON)
    [claimed] = await outbox.claim_due(NOON, 10)
    await outbox.mark_sent(claimed.id, 77, NOON)
    stored = await followups.get(report, 1)
    assert stored is not None and stored.delivered and stored.answer is None
    async with db.transaction() as session:
        assert await answer_followup(session, report, 1, FollowupAnswer.ONGOING, NOON)
        assert not await answer_followup(session, report, 1, FollowupAnswer.SOLVED, NOON)
        assert await count_recurrence(session, report) == 1
        assert await count_recurrence(session, report) == 2
    answered = await followups.get(report, 1)
    assert answered is not None and answered.answer is FollowupAnswer.ONGOING
    got = await reports.get_by_reference("ENS-2026-0001")
    assert got is not None and got.recurrence_count == 2


async def test_add_information_waits_for_one_message_within_its_window(
    db: Database,
    drafts: DraftRepository,
    reports: ReportRepository,
    outbox: OutboxRepository,
    followups: FollowupRepository,
) -> None:
    report = await new_report(drafts, reports, 1001)
    async with db.transaction() as session:
        question = await outbox.enqueue(session, row(report_id=report))
        assert question is not None
        await add_followup(session, report, 1, question, NOON)
    [claimed] = await outbox.claim_due(NOON, 10)
    await outbox.mark_sent(claimed.id, 77, NOON)
    until = NOON + timedelta(days=1)
    async with db.transaction() as session:
        await answer_followup(session, report, 1, FollowupAnswer.MORE, NOON, awaiting_until=until)
    assert await followups.awaiting_addition(1002, NOON) is None
    assert await followups.awaiting_addition(1001, until) is None
    waiting = await followups.awaiting_addition(1001, NOON + timedelta(hours=1))
    assert waiting is not None and waiting.number == 1
    async with db.transaction() as session:
        assert await end_addition(session, report, 1, NOON)
        assert not await end_addition(session, report, 1, NOON)
    assert await followups.awaiting_addition(1001, NOON) is None


async def test_an_addition_extends_the_description_and_photos_as_far_as_they_fit(
    db: Database, drafts: DraftRepository, reports: ReportRepository
) -> None:
    report = await new_report(drafts, reports, 1001)  # two photos already
    async with db.transaction() as session:
        first = await add_to_report(
            session, report, text="Nog steeds.", photo_file_id="p3", max_chars=200, max_photos=3
        )
        second = await add_to_report(
            session, report, text="x" * 500, photo_file_id="p4", max_chars=200, max_photos=3
        )
    assert (first.text_stored, first.photo_stored) == (True, True)
    assert second.photo_stored is False and second.text_stored is True
    stored = await reports.get_by_reference("ENS-2026-0001")
    assert stored is not None
    assert stored.photo_file_ids == ["photo-a", "photo-b", "p3"]
    assert stored.description.startswith("Volle afvalbak, zakken ernaast.\n\nNog steeds.\n\nx")
    assert len(stored.description) == 200 and stored.description.endswith("…")


async def test_erasure_keeps_the_answers_as_anonymous_counts(
    db: Database,
    drafts: DraftRepository,
    reports: ReportRepository,
    outbox: OutboxRepository,
    followups: FollowupRepository,
    privacy: PrivacyRepository,
) -> None:
    report = await new_report(drafts, reports, 1001)
    async with db.transaction() as session:
        question = await outbox.enqueue(session, row(report_id=report))
        assert question is not None
        await add_followup(session, report, 1, question, NOON)
    [claimed] = await outbox.claim_due(NOON, 10)
    await outbox.mark_sent(claimed.id, 77, NOON)
    async with db.transaction() as session:
        await answer_followup(session, report, 1, FollowupAnswer.SOLVED, NOON)
    await privacy.erase_resident(1001, NOON)
    assert await outbox.get(question) is None
    [kept] = await followups.for_report(report)
    assert kept.answer is FollowupAnswer.SOLVED and kept.outbox_status is None
