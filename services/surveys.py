"""Carry out a resident's survey answers after a resolved report, one step at a time.

The steps: satisfied or not; one reason (the positive reasons after yes, the negative ones
after no, from `[[survey.reasons]]`); how often they feel unsafe in their own neighbourhood;
an optional free text (or skip). Each respondent has a survey of their own: the resident who
made the report and every co-reporter (`services.scheduling.Respondent`). An answer counts
only from the respondent it was sent to, on a delivered survey, in the state that asks for
it, before the survey expires. A reason with
`reopen = true` reopens the resolved report for its lead partner (a new due time, unclaimed,
no reminder or escalation yet) and tells the lead partner's chat, in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from config.localized import SurveyReason
from reports.kinds import CaseRole, OutboxKind
from reports.models import Report, ReportStatus
from reports.records import RESIDENT
from reports.survey import MAX_COMMENT_CHARS, FeelsUnsafe, SurveyState
from reports.workflow import CaseAction, handover
from services.chain import Chain
from services.container import Services
from services.followups import tell_lead
from services.scheduling import respondent_of
from storage.surveys import (
    Survey,
    answer_survey,
    awaiting_comment,
    expire_surveys,
    load_survey,
)
from storage.uow import Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SurveyAnswer:
    """One tap on a survey: exactly one of the answers is set (none: the text is skipped)."""

    satisfied: bool | None = None
    reason: int | None = None
    """The reason's index in `[[survey.reasons]]` (its button)."""
    unsafe: FeelsUnsafe | None = None
    skip: bool = False

    @property
    def state(self) -> SurveyState:
        """Return the state of the survey in which this answer counts."""
        if self.satisfied is not None:
            return SurveyState.PENDING
        if self.reason is not None:
            return SurveyState.REASONS
        if self.unsafe is not None:
            return SurveyState.UNSAFE
        return SurveyState.COMMENT


class SurveyOutcome(StrEnum):
    """What became of a tap on a survey."""

    ANSWERED = "answered"
    UNKNOWN = "unknown"
    """Refused: no such report, or not the resident's own."""
    EXPIRED = "expired"
    """Refused: the survey's window passed."""
    STALE = "stale"
    """Refused: not delivered, another step, or a reason that does not fit the first answer."""


@dataclass(frozen=True)
class NextStep:
    """The question that follows an answer: its state, and the reasons to choose from."""

    state: SurveyState
    """REASONS, UNSAFE, COMMENT, or DONE (nothing more to ask)."""
    satisfied: bool | None = None
    reasons: tuple[tuple[int, SurveyReason], ...] = ()
    """For REASONS: the reasons that fit the first answer, each with its index."""


@dataclass(frozen=True)
class SurveyResult:
    """The outcome of a tap, the report, the reason chosen, and what to ask next."""

    outcome: SurveyOutcome
    report: Report | None = None
    next_step: NextStep | None = None
    reason: SurveyReason | None = None
    reopened: bool = False


class CommentOutcome(StrEnum):
    """What became of a free text for a survey."""

    STORED = "stored"
    TOO_LONG = "too_long"


async def answer_step(
    svc: Services, user_id: int, report_id: int, given: SurveyAnswer
) -> SurveyResult:
    """Store one answer of a resident's survey; return what to ask next."""
    now = svc.clock.now()
    async with svc.uow() as work:
        report = await work.cases.get(report_id)
        who = None if report is None else await respondent_of(work, report, user_id)
        if report is None or who is None:
            return SurveyResult(SurveyOutcome.UNKNOWN)
        survey = await load_survey(work.session, report.id, who.seat)
        if expired(survey, now):
            return SurveyResult(SurveyOutcome.EXPIRED, report)
        if survey is None or not survey.delivered or survey.state is not given.state:
            return SurveyResult(SurveyOutcome.STALE, report)
        if given.satisfied is not None:
            return await _satisfied(svc, work, report, survey, given.satisfied, now)
        if given.reason is not None:
            return await _reason(svc, work, report, survey, given.reason, now)
        if given.unsafe is not None:
            stored = await answer_survey(
                work.session,
                report.id,
                SurveyState.UNSAFE,
                SurveyState.COMMENT,
                now,
                respondent=who.seat,
                feels_unsafe=given.unsafe,
            )
            return await _noted(work, report, stored, "survey_unsafe", SurveyState.COMMENT, now)
        stored = await answer_survey(
            work.session, report.id, SurveyState.COMMENT, SurveyState.DONE, now, respondent=who.seat
        )
        return await _noted(work, report, stored, "survey_done", SurveyState.DONE, now)


async def _satisfied(
    svc: Services, work: Work, report: Report, survey: Survey, satisfied: bool, now: datetime
) -> SurveyResult:
    """Store satisfied or not; the reasons that fit it come next (when there are any)."""
    reasons = tuple(svc.config.survey.choices(satisfied))
    following = SurveyState.REASONS if reasons else SurveyState.UNSAFE
    if not await answer_survey(
        work.session,
        report.id,
        SurveyState.PENDING,
        following,
        now,
        respondent=survey.respondent,
        satisfied=satisfied,
    ):
        return SurveyResult(SurveyOutcome.STALE, report)
    report = await work.cases.note(report.id, RESIDENT, "survey_satisfied", now)
    step = NextStep(following, satisfied, reasons)
    return SurveyResult(SurveyOutcome.ANSWERED, report, step)


async def _reason(
    svc: Services, work: Work, report: Report, survey: Survey, index: int, now: datetime
) -> SurveyResult:
    """Store a reason; one marked `reopen` reopens the resolved report and tells its partner."""
    choices = {} if survey.satisfied is None else dict(svc.config.survey.choices(survey.satisfied))
    reason = choices.get(index)
    if reason is None or not await answer_survey(
        work.session,
        report.id,
        SurveyState.REASONS,
        SurveyState.UNSAFE,
        now,
        respondent=survey.respondent,
        reason=reason.id,
    ):
        return SurveyResult(SurveyOutcome.STALE, report)
    reopen = reason.reopen and report.status is ReportStatus.RESOLVED
    if reopen:
        report = await reopen_for(svc, work, report, reason, now, survey.respondent > 0)
    else:
        report = await work.cases.note(report.id, RESIDENT, "survey_reason", now, detail=reason.id)
    step = NextStep(SurveyState.UNSAFE)
    return SurveyResult(SurveyOutcome.ANSWERED, report, step, reason=reason, reopened=reopen)


async def reopen_for(
    svc: Services,
    work: Work,
    report: Report,
    reason: SurveyReason,
    now: datetime,
    co_reporter: bool = False,
) -> Report:
    """Reopen a resolved report for its lead partner, and tell the partner's chat why (and
    that a co-reporter, not the resident who made it, reopened it)."""
    chain = Chain(svc.config, svc.messages)
    due = chain.due_at(report.lead_partner or chain.coordinator, report.category_id, now)
    report = await work.cases.act(
        report.id,
        CaseAction.REOPEN,
        RESIDENT,
        now,
        changes=handover(due or report.due_at),
        detail=reason.id,
    )
    render = partial(svc.messages.reopened, report, reason, co_reporter=co_reporter)
    await tell_lead(svc, work, report, render, now, OutboxKind.RELAY_REOPENED, CaseRole.SURVEY)
    log.info("report %s reopened by its survey", report.reference)
    return report


async def _noted(
    work: Work, report: Report, stored: bool, action: str, following: SurveyState, now: datetime
) -> SurveyResult:
    """Record a stored answer that changes nothing else in the audit trail."""
    if not stored:
        return SurveyResult(SurveyOutcome.STALE, report)
    report = await work.cases.note(report.id, RESIDENT, action, now)
    return SurveyResult(SurveyOutcome.ANSWERED, report, NextStep(following))


async def take_comment(svc: Services, user_id: int, text: str) -> CommentOutcome | None:
    """Store a resident's free text for the survey that awaits it; None when none does."""
    text = text.strip()
    if not text:
        return None
    now = svc.clock.now()
    if await svc.surveys.awaiting_comment(user_id, now) is None:
        return None  # the common case, for any message without a draft: one read, no write
    if len(text) > MAX_COMMENT_CHARS:
        return CommentOutcome.TOO_LONG
    async with svc.uow() as work:
        survey = await awaiting_comment(work.session, user_id, now)
        if survey is None or not await answer_survey(
            work.session,
            survey.report_id,
            SurveyState.COMMENT,
            SurveyState.DONE,
            now,
            respondent=survey.respondent,
            comment=text,
        ):
            return None
        await work.cases.note(survey.report_id, RESIDENT, "survey_comment", now)
    return CommentOutcome.STORED


async def expire(svc: Services) -> int:
    """Mark the surveys whose window passed unfinished as expired; return how many."""
    async with svc.uow() as work:
        count = await expire_surveys(work.session, svc.clock.now())
    if count:
        log.info("%d surveys expired unfinished", count)
    return count


def expired(survey: Survey | None, now: datetime) -> bool:
    """Return whether a delivered, unfinished survey is past its window."""
    if survey is None or not survey.delivered or survey.state is SurveyState.DONE:
        return False
    return survey.state is SurveyState.EXPIRED or survey.expires_at <= now
