"""Survey answers are taken one step at a time, once each; some reasons reopen the report."""

from __future__ import annotations

from datetime import timedelta

from reports.kinds import CaseRole, OutboxKind
from reports.models import Report, ReportStatus
from reports.survey import MAX_COMMENT_CHARS, FeelsUnsafe, SurveyState
from services import surveys
from services.chain import Chain
from services.surveys import CommentOutcome, SurveyAnswer, SurveyOutcome
from tests.services.proactive_world import POLICE, START, World, text_of, world

__all__ = ["world"]

DUE = START + timedelta(days=1)  # survey_after_resolution (P1D) after resolving at START
WINDOW = timedelta(days=14)


def reason_index(world: World, reason_id: str) -> int:
    """Return the button index of a shipped survey reason."""
    reasons = world.svc.config.survey.reasons
    return next(i for i, reason in enumerate(reasons) if reason.id == reason_id)


async def surveyed(world: World, user_id: int = 1001) -> Report:
    """Make and resolve a report, and deliver its survey; return the resolved report."""
    report = await world.report(user_id)
    await world.deliver()
    resolved = await world.resolve(report)
    await world.deliver(DUE)
    assert world.in_chat(user_id, OutboxKind.SURVEY_QUESTION)
    return resolved


async def test_a_satisfied_resident_answers_every_step_in_turn(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    satisfied = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=True))
    assert satisfied.outcome is SurveyOutcome.ANSWERED and satisfied.next_step is not None
    assert satisfied.next_step.state is SurveyState.REASONS
    assert satisfied.next_step.satisfied is True
    assert all(reason.positive for _, reason in satisfied.next_step.reasons)
    quick = reason_index(world, "snel-opgepakt")
    reason = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(reason=quick))
    assert reason.next_step is not None and reason.next_step.state is SurveyState.UNSAFE
    assert reason.reason is not None and reason.reason.id == "snel-opgepakt"
    assert not reason.reopened
    unsafe = SurveyAnswer(unsafe=FeelsUnsafe.SOMETIMES)
    felt = await surveys.answer_step(svc, 1001, report.id, unsafe)
    assert felt.next_step is not None and felt.next_step.state is SurveyState.COMMENT
    assert await surveys.take_comment(svc, 1001, "  Prima geholpen!  ") is CommentOutcome.STORED
    assert await surveys.take_comment(svc, 1001, "Nog iets") is None
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.DONE
    assert (stored.satisfied, stored.reasons) == (True, ("snel-opgepakt",))
    assert stored.feels_unsafe is FeelsUnsafe.SOMETIMES and stored.comment == "Prima geholpen!"
    assert (await world.stored(report)).status is ReportStatus.RESOLVED
    events = [e.action for e in await svc.cases.events(report.id)]
    assert events[-4:] == ["survey_satisfied", "survey_reason", "survey_unsafe", "survey_comment"]


async def test_a_reopening_reason_reopens_with_a_new_deadline_and_tells_the_partner(
    world: World,
) -> None:
    report = await surveyed(world)
    assert report.claimed_by is not None and report.reminded_at is not None
    svc = world.svc
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=False))
    nothing_done = SurveyAnswer(reason=reason_index(world, "niets-gedaan"))
    world.wakes.clear()
    result = await surveys.answer_step(svc, 1001, report.id, nothing_done)
    assert result.outcome is SurveyOutcome.ANSWERED and result.reopened
    assert world.wakes == [DUE]
    reopened = await world.stored(report)
    assert reopened.status is ReportStatus.REOPENED
    assert reopened.claimed_by is None and reopened.claimed_at is None
    assert reopened.reminded_at is None and reopened.escalated_at is None
    chain = Chain(svc.config, svc.messages)
    assert reopened.due_at == chain.due_at("politie", report.category_id, DUE)
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    lead = world.in_chat(POLICE, OutboxKind.NOTIFICATION_LEAD)[0]
    assert told.kind == OutboxKind.RELAY_REOPENED and "Er is niets gedaan" in text_of(told)
    assert told.params["reply_parameters"]["message_id"] == lead.message_id
    belongs = await svc.cases.message(POLICE, told.message_id or 0)
    assert belongs is not None and belongs.role is CaseRole.SURVEY
    assert "reopen" in [e.action for e in await svc.cases.events(report.id)]


async def test_a_plain_negative_reason_reopens_nothing(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=False))
    too_long = SurveyAnswer(reason=reason_index(world, "duurde-te-lang"))
    result = await surveys.answer_step(svc, 1001, report.id, too_long)
    assert result.outcome is SurveyOutcome.ANSWERED and not result.reopened
    assert (await world.stored(report)).status is ReportStatus.RESOLVED
    assert [r for r in await world.deliver() if r.chat_id == POLICE] == []


async def test_a_reason_that_does_not_fit_the_first_answer_is_refused(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=True))
    negative = SurveyAnswer(reason=reason_index(world, "niets-gedaan"))
    result = await surveys.answer_step(svc, 1001, report.id, negative)
    assert result.outcome is SurveyOutcome.STALE
    assert (await world.stored(report)).status is ReportStatus.RESOLVED
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.REASONS and stored.reasons == ()


async def test_a_press_twice_or_by_another_resident_changes_nothing(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    other = await surveys.answer_step(svc, 1002, report.id, SurveyAnswer(satisfied=True))
    assert other.outcome is SurveyOutcome.UNKNOWN
    first = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=False))
    again = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=True))
    assert (first.outcome, again.outcome) == (SurveyOutcome.ANSWERED, SurveyOutcome.STALE)
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.satisfied is False


async def test_an_undelivered_survey_takes_no_answer(world: World) -> None:
    report = await world.report(1001)
    await world.deliver()
    await world.resolve(report)
    result = await surveys.answer_step(world.svc, 1001, report.id, SurveyAnswer(satisfied=True))
    assert result.outcome is SurveyOutcome.STALE
    stored = await world.svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.PENDING


async def test_the_survey_expires_after_its_window_and_then_changes_nothing(
    world: World,
) -> None:
    report = await surveyed(world)
    svc = world.svc
    world.clock.set(DUE + WINDOW - timedelta(seconds=1))
    assert await surveys.expire(svc) == 0
    world.clock.set(DUE + WINDOW)
    late = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=True))
    assert late.outcome is SurveyOutcome.EXPIRED
    assert await surveys.expire(svc) == 1
    assert await surveys.expire(svc) == 0
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.EXPIRED and stored.satisfied is None


async def test_a_too_long_comment_is_refused_and_a_shorter_one_is_kept(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=False))
    too_long = SurveyAnswer(reason=reason_index(world, "duurde-te-lang"))
    await surveys.answer_step(svc, 1001, report.id, too_long)
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(unsafe=FeelsUnsafe.NEVER))
    long_text = "x" * (MAX_COMMENT_CHARS + 1)
    assert await surveys.take_comment(svc, 1001, long_text) is CommentOutcome.TOO_LONG
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.COMMENT and stored.comment is None
    assert await surveys.take_comment(svc, 1001, "x" * MAX_COMMENT_CHARS) is CommentOutcome.STORED


async def test_skipping_the_text_finishes_the_survey(world: World) -> None:
    report = await surveyed(world)
    svc = world.svc
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=False))
    too_long = SurveyAnswer(reason=reason_index(world, "duurde-te-lang"))
    await surveys.answer_step(svc, 1001, report.id, too_long)
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(unsafe=FeelsUnsafe.OFTEN))
    skipped = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(skip=True))
    assert skipped.next_step is not None and skipped.next_step.state is SurveyState.DONE
    assert await surveys.take_comment(svc, 1001, "Toch nog iets") is None
    stored = await svc.surveys.get(report.id)
    assert stored is not None and stored.state is SurveyState.DONE and stored.comment is None
