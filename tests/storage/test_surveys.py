"""Surveys are answered once per step within their window; digests count a wijk once per period."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from reports.survey import FeelsUnsafe, SurveyState
from storage.database import Database
from storage.digests import DigestRepository, WijkCounts, move_on, wijk_counts
from storage.drafts import DraftRepository
from storage.outbox import OutboxRepository, OutgoingMessage, Priority
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.surveys import SurveyRepository, add_survey, answer_survey
from tests.storage.builders import CITY, POSTCODE_IN_ROOMBEEK, START, complete_draft

DUE = START + timedelta(days=1)
EXPIRES = DUE + timedelta(days=14)


@pytest.fixture
def surveys(db: Database) -> SurveyRepository:
    """Return the survey repository on the test database."""
    return SurveyRepository(db)


@pytest.fixture
def digests(db: Database) -> DigestRepository:
    """Return the digest repository on the test database."""
    return DigestRepository(db)


async def new_report(
    drafts: DraftRepository, reports: ReportRepository, user_id: int, at: datetime = START
) -> int:
    """Store a report of the resident and return its id."""
    draft = complete_draft(user_id, at=at)
    await drafts.save(draft)
    return (await reports.commit_draft(draft, prefix="ENS", now=at)).id


async def queued_survey(db: Database, report_id: int, user_id: int) -> int:
    """Queue a report's survey and return its outbox row."""
    outbox = OutboxRepository(db)
    message = OutgoingMessage(
        chat_id=user_id,
        method="sendMessage",
        params={"text": "survey"},
        priority=Priority.BULK,
        due_at=DUE,
        kind="survey.question",
        report_id=report_id,
        dedupe_key=f"survey:{report_id}",
    )
    async with db.transaction() as session:
        row = await outbox.enqueue(session, message, now=START)
        assert row is not None
        await add_survey(
            session,
            report_id,
            row,
            buurt_code=CITY.buurt_code,
            wijk_code=CITY.wijk_code,
            due_at=DUE,
            expires_at=EXPIRES,
        )
    return row


async def delivered(db: Database, row: int) -> None:
    """Let the sender claim and send the survey's row."""
    outbox = OutboxRepository(db)
    claimed = await outbox.claim_due(DUE, 10)
    assert [r.id for r in claimed] == [row]
    assert await outbox.mark_sent(row, 77, DUE)


async def answer(db: Database, report_id: int, expected: SurveyState, **values: object) -> bool:
    """Store one answer the way the handler does, in its own transaction."""
    nexts = {
        SurveyState.PENDING: SurveyState.REASONS,
        SurveyState.REASONS: SurveyState.UNSAFE,
        SurveyState.UNSAFE: SurveyState.COMMENT,
        SurveyState.COMMENT: SurveyState.DONE,
    }
    at = values.pop("at", DUE + timedelta(minutes=5))
    assert isinstance(at, datetime)
    async with db.transaction() as session:
        return await answer_survey(session, report_id, expected, nexts[expected], at, **values)  # type: ignore[arg-type]


async def test_a_survey_is_answered_step_by_step_only_once_delivered(
    db: Database, drafts: DraftRepository, reports: ReportRepository, surveys: SurveyRepository
) -> None:
    report_id = await new_report(drafts, reports, 1001)
    row = await queued_survey(db, report_id, 1001)
    assert not await answer(db, report_id, SurveyState.PENDING, satisfied=True)
    await delivered(db, row)
    assert await answer(db, report_id, SurveyState.PENDING, satisfied=False)
    assert not await answer(db, report_id, SurveyState.PENDING, satisfied=True)
    assert await answer(db, report_id, SurveyState.REASONS, reason="niets-gedaan")
    assert await answer(db, report_id, SurveyState.UNSAFE, feels_unsafe=FeelsUnsafe.OFTEN)
    waiting = await surveys.awaiting_comment(1001, DUE + timedelta(minutes=6))
    assert waiting is not None and waiting.report_id == report_id
    assert await answer(db, report_id, SurveyState.COMMENT, comment="Slecht <contact>")
    survey = await surveys.get(report_id)
    assert survey is not None
    assert (survey.state, survey.satisfied, survey.reasons) == (
        SurveyState.DONE,
        False,
        ("niets-gedaan",),
    )
    assert survey.feels_unsafe is FeelsUnsafe.OFTEN and survey.comment == "Slecht <contact>"
    assert (survey.buurt_code, survey.wijk_code) == (CITY.buurt_code, CITY.wijk_code)
    assert survey.sent_at == DUE
    assert await surveys.awaiting_comment(1001, DUE + timedelta(minutes=7)) is None


async def test_a_survey_past_its_window_takes_no_answer_and_is_marked_expired(
    db: Database, drafts: DraftRepository, reports: ReportRepository, surveys: SurveyRepository
) -> None:
    report_id = await new_report(drafts, reports, 1002)
    row = await queued_survey(db, report_id, 1002)
    await delivered(db, row)
    late = EXPIRES + timedelta(seconds=1)
    assert not await answer(db, report_id, SurveyState.PENDING, satisfied=True, at=late)
    assert await surveys.expire(EXPIRES - timedelta(seconds=1)) == 0
    assert await surveys.expire(late) == 1
    survey = await surveys.get(report_id)
    assert survey is not None and survey.state is SurveyState.EXPIRED
    assert survey.satisfied is None


async def test_erasure_removes_the_survey_text_and_the_subscription_but_keeps_the_answers(
    db: Database,
    drafts: DraftRepository,
    reports: ReportRepository,
    surveys: SurveyRepository,
    digests: DigestRepository,
    privacy: PrivacyRepository,
) -> None:
    report_id = await new_report(drafts, reports, 1003)
    row = await queued_survey(db, report_id, 1003)
    await delivered(db, row)
    await answer(db, report_id, SurveyState.PENDING, satisfied=True)
    await answer(db, report_id, SurveyState.REASONS, reason="snel-opgepakt")
    await answer(db, report_id, SurveyState.UNSAFE, feels_unsafe=FeelsUnsafe.NEVER)
    await answer(db, report_id, SurveyState.COMMENT, comment="Mijn naam is Jan")
    await digests.subscribe(1003, CITY.wijk_code, START, START + timedelta(days=30))
    await privacy.erase_resident(1003, DUE)
    survey = await surveys.get(report_id)
    assert survey is not None and survey.comment is None
    assert survey.satisfied is True and survey.feels_unsafe is FeelsUnsafe.NEVER
    assert survey.wijk_code == CITY.wijk_code
    assert await digests.get(1003) is None


async def test_a_digest_counts_its_wijk_and_period_and_is_delivered_once(
    db: Database, drafts: DraftRepository, reports: ReportRepository, digests: DigestRepository
) -> None:
    since, until = START + timedelta(minutes=1), START + timedelta(days=30)
    await new_report(drafts, reports, 1004, START)  # before the period
    await new_report(drafts, reports, 1005, START + timedelta(hours=1))
    await new_report(drafts, reports, 1006, START + timedelta(hours=2))
    other = complete_draft(1007, at=START + timedelta(hours=3), location=POSTCODE_IN_ROOMBEEK)
    await drafts.save(other)
    await reports.commit_draft(other, prefix="ENS", now=START + timedelta(hours=3))
    await digests.subscribe(1004, CITY.wijk_code, since, until)
    assert await digests.latest_wijk(1004) == CITY.wijk_code
    assert await digests.due(until - timedelta(seconds=1)) == []
    [due] = await digests.due(until)
    seen: list[WijkCounts] = []
    for _ in range(2):
        async with db.transaction() as session:
            if await move_on(session, due, until + timedelta(days=30)):
                seen.append(await wijk_counts(session, due.wijk_code, due.since, due.next_at))
    assert len(seen) == 1 and seen[0].per_category == {"litter": 2} and seen[0].total == 2
    assert seen[0].resolved == 0
    moved = await digests.get(1004)
    assert moved is not None and (moved.since, moved.next_at) == (until, until + timedelta(days=30))
    assert await digests.unsubscribe(1004) and not await digests.unsubscribe(1004)
