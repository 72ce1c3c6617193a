"""Co-reporters are asked the follow-ups and the survey like the resident who made the report.

Each respondent has their own questions (from when they joined, in their language, under their
own dedupe key), answers only their own, and the partner hears that a co-reporter answered.
"""

from __future__ import annotations

import io
from datetime import timedelta

from reports.followup import FollowupAnswer, followup_key
from reports.insight import Period
from reports.kinds import OutboxKind
from reports.models import Language, Report, ReportStatus
from reports.survey import FeelsUnsafe, SurveyState, survey_key
from services import followers, followups, surveys
from services.exports import write_csv
from services.followups import FollowupOutcome
from services.insight import compute_insight
from services.residents import forget_resident
from services.surveys import CommentOutcome, SurveyAnswer, SurveyOutcome
from storage.outbox import OutboxStatus
from tests.services.proactive_world import POLICE, START, World, text_of, world
from tests.services.test_followers import draft_at, moved

__all__ = ["world"]

JOINED = START + timedelta(hours=2)
"""When the co-reporter 1002 joins the report of 1001."""
FIRST_DUE = START + timedelta(days=3)  # followup_after (P3D) from the report
THEIR_DUE = JOINED + timedelta(days=3)  # and from joining
SURVEY_DUE = timedelta(days=1)  # survey_after_resolution


async def joined(world: World, user_id: int = 1002, language: Language = Language.EN) -> Report:
    """Let 1001 report, deliver the notification, and let `user_id` join at JOINED."""
    report = await world.report(1001)
    await world.deliver()
    world.clock.set(JOINED)
    draft = draft_at(user_id, moved(30))
    draft.language = language
    await world.svc.drafts.save(draft)
    result = await followers.follow(world.svc, draft, report.id)
    assert result.outcome is followers.FollowOutcome.JOINED
    await world.deliver()
    return report


async def test_a_co_reporter_is_asked_from_when_they_joined_and_answers_only_their_own(
    world: World,
) -> None:
    report = await joined(world)
    await world.deliver(FIRST_DUE)
    assert len(world.in_chat(1001, OutboxKind.FOLLOWUP_QUESTION)) == 1
    assert world.in_chat(1002, OutboxKind.FOLLOWUP_QUESTION) == []  # not yet: joined later
    await world.deliver(THEIR_DUE)
    [theirs] = world.in_chat(1002, OutboxKind.FOLLOWUP_QUESTION)
    assert theirs.dedupe_key == followup_key(report.id, 1, 1)
    assert "still going on" in text_of(theirs) and "Speelt" not in text_of(theirs)
    assert report.reference in text_of(theirs)

    stranger = await followups.answer(world.svc, 1003, report.id, 1, FollowupAnswer.ONGOING)
    assert stranger.outcome is FollowupOutcome.UNKNOWN
    result = await followups.answer(world.svc, 1002, report.id, 1, FollowupAnswer.ONGOING)
    assert result.outcome is FollowupOutcome.ONGOING
    assert result.asked_again_at is not None and result.asked_again_at > THEIR_DUE
    again = await world.outbox.get_by_dedupe_key(followup_key(report.id, 2, 1))
    assert again is not None and again.chat_id == 1002 and "still going on" in text_of(again)
    assert await world.outbox.get_by_dedupe_key(followup_key(report.id, 2)) is None
    twice = await followups.answer(world.svc, 1002, report.id, 1, FollowupAnswer.SOLVED)
    assert twice.outcome is FollowupOutcome.STALE

    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_FOLLOWUP_ONGOING and "medemelder" in text_of(told)
    assert (await world.stored(report)).recurrence_count == 1
    mine = await world.svc.followups.get(report.id, 1)
    assert mine is not None and mine.answer is None  # the reporter's own question is still open
    own = await followups.answer(world.svc, 1001, report.id, 1, FollowupAnswer.ONGOING)
    assert own.outcome is FollowupOutcome.ONGOING
    [told_again] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert "medemelder" not in text_of(told_again)
    answers = [
        (f.respondent, f.number, f.answer) for f in await world.svc.followups.for_report(report.id)
    ]
    assert answers == [
        (0, 1, FollowupAnswer.ONGOING),
        (0, 2, None),
        (1, 1, FollowupAnswer.ONGOING),
        (1, 2, None),
    ]


async def test_more_information_from_a_co_reporter_reaches_the_partner_marked_as_theirs(
    world: World,
) -> None:
    report = await joined(world)
    world.clock.set(JOINED + timedelta(hours=3))  # past the hour after joining
    await world.deliver(THEIR_DUE)
    result = await followups.answer(world.svc, 1002, report.id, 1, FollowupAnswer.MORE)
    assert result.outcome is FollowupOutcome.MORE
    added = await followups.add_information(world.svc, 1002, "Er staan nu drie bankstellen", None)
    assert added is not None and "drie bankstellen" in added.description
    assert await followups.add_information(world.svc, 1002, "Nog meer", None) is None  # once
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_FOLLOWUP_ADDITION
    assert "drie bankstellen" in text_of(told) and "medemelder" in text_of(told)


async def test_a_resolved_report_surveys_every_respondent_who_each_answer_their_own(
    world: World,
) -> None:
    report = await joined(world)
    svc = world.svc
    resolved = await world.resolve(report)
    await world.deliver(JOINED + SURVEY_DUE)
    [mine] = world.in_chat(1001, OutboxKind.SURVEY_QUESTION)
    [theirs] = world.in_chat(1002, OutboxKind.SURVEY_QUESTION)
    assert theirs.dedupe_key == survey_key(report.id, 1) and mine.dedupe_key == survey_key(
        report.id
    )
    assert "satisfied" in text_of(theirs) and "tevreden" in text_of(mine)

    stranger = await surveys.answer_step(svc, 1003, report.id, SurveyAnswer(satisfied=True))
    assert stranger.outcome is SurveyOutcome.UNKNOWN
    no = await surveys.answer_step(svc, 1002, report.id, SurveyAnswer(satisfied=False))
    assert no.outcome is SurveyOutcome.ANSWERED
    reasons = svc.config.survey.reasons
    nothing_done = next(i for i, r in enumerate(reasons) if r.id == "niets-gedaan")
    reopened = await surveys.answer_step(svc, 1002, report.id, SurveyAnswer(reason=nothing_done))
    assert reopened.reopened and (await world.stored(resolved)).status is ReportStatus.REOPENED
    [told] = [r for r in await world.deliver() if r.chat_id == POLICE]
    assert told.kind == OutboxKind.RELAY_REOPENED and "medemelder" in text_of(told)
    unsafe = await surveys.answer_step(svc, 1002, report.id, SurveyAnswer(unsafe=FeelsUnsafe.OFTEN))
    assert unsafe.next_step is not None and unsafe.next_step.state is SurveyState.COMMENT
    assert await surveys.take_comment(svc, 1001, "Van mij") is None  # 1001 is not at that step
    assert await surveys.take_comment(svc, 1002, "Nothing happened") is CommentOutcome.STORED

    # The reporter's own survey was untouched and is answered on its own.
    own = await svc.surveys.get(report.id)
    assert own is not None and own.state is SurveyState.PENDING and own.satisfied is None
    yes = await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(satisfied=True))
    assert yes.outcome is SurveyOutcome.ANSWERED
    quick = next(i for i, r in enumerate(reasons) if r.id == "snel-opgepakt")
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(reason=quick))
    await surveys.answer_step(svc, 1001, report.id, SurveyAnswer(unsafe=FeelsUnsafe.NEVER))
    theirs_stored = await svc.surveys.get(report.id, 1)
    assert theirs_stored is not None and theirs_stored.state is SurveyState.DONE
    assert (theirs_stored.satisfied, theirs_stored.comment) == (False, "Nothing happened")

    # Both answers count in the safety measure; the CSV export keeps one row per report.
    day = (JOINED + SURVEY_DUE).date()
    insight = await compute_insight(svc, Period(day, day))
    assert insight.city_safety.answers == 2
    out = io.StringIO()
    assert await write_csv(svc, Period(START.date(), day), out) == 1

    # Erasing the co-reporter removes their free text and their seat; the answers stay.
    await forget_resident(svc, 1002)
    erased = await svc.surveys.get(report.id, 1)
    assert erased is not None and erased.comment is None
    assert erased.feels_unsafe is FeelsUnsafe.OFTEN and erased.satisfied is False
    assert await svc.followers.followed(1002) == []
    question = await world.outbox.get(theirs.id)
    assert question is None or question.status is not OutboxStatus.PENDING


async def test_seats_are_never_reused_after_a_co_reporter_erased_their_data(
    world: World,
) -> None:
    report = await joined(world)
    await forget_resident(world.svc, 1002)
    draft = draft_at(1003, moved(30))
    await world.svc.drafts.save(draft)
    await followers.follow(world.svc, draft, report.id)
    await world.deliver(JOINED + timedelta(days=4))
    [asked] = world.in_chat(1003, OutboxKind.FOLLOWUP_QUESTION)
    assert asked.dedupe_key == followup_key(
        report.id, 1, 2
    )  # seat 2: seat 1 stays the erased one's
    assert world.in_chat(1002, OutboxKind.FOLLOWUP_QUESTION) == []
