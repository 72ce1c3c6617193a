"""Schedule the proactive messages that follow a report: follow-ups, the tip and the survey.

Each is queued in the transaction of its cause (the report's commit, a "still going on", the
resolution) under a dedupe key, so it is scheduled exactly once, and each is skipped for a
resident who erased their data, turned proactive messages off or blocked the bot.

Follow-ups and the survey go to every respondent of a report: the resident who made it
(seat 0) and each co-reporter (seat n, `services.followers`), each on their own schedule from
when they reported or joined, under their own dedupe key, in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from config.municipality import MunicipalityConfig
from reports.followup import followup_key
from reports.kinds import OutboxKind
from reports.models import Language, Report
from reports.survey import pick_tip, survey_key, tip_key
from services.panel import offer_after_report
from services.ports import ProactiveMessages
from services.proactive import queue_proactive
from storage.followers import follower, followers_of
from storage.followups import add_followup
from storage.surveys import add_survey
from storage.uow import Work


@dataclass(frozen=True)
class Respondent:
    """Who is asked a report's follow-ups and survey: its resident or one co-reporter."""

    seat: int
    """0: the resident who made the report; n: its n-th co-reporter."""
    user_id: int | None
    """None: nobody can be asked (erased, or the report came through Open311)."""
    language: Language
    since: datetime
    """When they reported, or joined as a co-reporter."""

    @classmethod
    def reporter(cls, report: Report) -> Respondent:
        """Return the resident who made the report as a respondent."""
        user_id = report.user_id if report.chat_id else None
        return cls(0, user_id, report.language, report.created_at)


async def respondent_of(work: Work, report: Report, user_id: int) -> Respondent | None:
    """Return the resident as a respondent of the report (its reporter or a co-reporter), or
    None when they are neither."""
    if report.user_id == user_id:
        return Respondent.reporter(report)
    found = await follower(work.session, report.id, user_id)
    if found is None:
        return None
    return Respondent(found.seat, user_id, found.language, found.joined_at)


class Scheduler:
    """Queue a report's follow-ups, tip and survey inside the caller's unit of work."""

    def __init__(self, config: MunicipalityConfig, messages: ProactiveMessages) -> None:
        self.config = config
        self.messages = messages
        self.zone = config.municipality.zone
        self.followup_policy = config.schedule.followup_policy(self.zone)

    async def after_report(self, work: Work, report: Report) -> None:
        """Queue the first follow-up, the tip and (once ever) the panel offer of a report that
        was just committed."""
        due = self.followup_policy.first_due(report.created_at)
        if due is not None:
            await self.followup(work, report, 1, due, report.created_at)
        await self.tip(work, report)
        await offer_after_report(self.config, self.messages, work, report)

    async def after_joining(self, work: Work, report: Report, who: Respondent) -> None:
        """Queue the first follow-up of a co-reporter who just joined a report."""
        due = self.followup_policy.first_due(who.since)
        if due is not None:
            await self.followup(work, report, 1, due, who.since, who)

    async def followup(
        self,
        work: Work,
        report: Report,
        number: int,
        due: datetime,
        now: datetime,
        who: Respondent | None = None,
    ) -> bool:
        """Queue the n-th follow-up to a respondent (default: the reporter) for `due`; False
        when they cannot be asked."""
        who = who or Respondent.reporter(report)
        theirs = report.model_copy(update={"language": who.language})
        row = await queue_proactive(
            self.config,
            work,
            user_id=who.user_id,
            kind=OutboxKind.FOLLOWUP_QUESTION,
            rendered=self.messages.followup_question(theirs, number, who.since),
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=followup_key(report.id, number, who.seat),
        )
        if row is None:
            return False
        await add_followup(work.session, report.id, number, row, due, respondent=who.seat)
        return True

    async def tip(self, work: Work, report: Report) -> bool:
        """Queue one tip for the report's category; False when there is none or no one to tell."""
        tip = pick_tip(self.config.tips_for(report.category_id, report.language), report.id)
        if tip is None:
            return False
        row = await queue_proactive(
            self.config,
            work,
            user_id=report.user_id,
            kind=OutboxKind.TIP,
            rendered=self.messages.tip(report, tip),
            due=self.config.schedule.tips_after_report.after(report.created_at, self.zone),
            now=report.created_at,
            report_id=report.id,
            dedupe_key=tip_key(report.id),
        )
        return row is not None

    async def survey(self, work: Work, report: Report, now: datetime) -> int:
        """Queue the survey of a resolved report to its resident and each co-reporter; return
        to how many (erased and opted-out residents are skipped)."""
        respondents = [Respondent.reporter(report)]
        respondents += [
            Respondent(f.seat, f.user_id, f.language, f.joined_at)
            for f in await followers_of(work.session, report.id)
        ]
        asked = 0
        for who in respondents:
            asked += await self._survey(work, report, who, now)
        return asked

    async def _survey(self, work: Work, report: Report, who: Respondent, now: datetime) -> bool:
        """Queue one respondent's survey of a resolved report; False when they cannot be asked."""
        schedule = self.config.schedule
        policy = schedule.send_policy(self.zone)
        due = policy.deliverable_at(schedule.survey_after_resolution.after(now, self.zone))
        theirs = report.model_copy(update={"language": who.language})
        row = await queue_proactive(
            self.config,
            work,
            user_id=who.user_id,
            kind=OutboxKind.SURVEY_QUESTION,
            rendered=self.messages.survey_question(theirs),
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=survey_key(report.id, who.seat),
        )
        if row is None:
            return False
        neighbourhood = report.location.neighbourhood
        await add_survey(
            work.session,
            report.id,
            row,
            respondent=who.seat,
            buurt_code=neighbourhood.buurt_code,
            wijk_code=neighbourhood.wijk_code,
            due_at=due,
            expires_at=schedule.survey_window.after(due, self.zone),
        )
        return True
