"""Schedule the proactive messages that follow a report: follow-ups, the tip and the survey.

Each is queued in the transaction of its cause (the report's commit, a "still going on", the
resolution) under a dedupe key, so it is scheduled exactly once, and each is skipped for a
resident who erased their data, turned proactive messages off or blocked the bot.
"""

from __future__ import annotations

from datetime import datetime

from config.municipality import MunicipalityConfig
from reports.followup import followup_key
from reports.kinds import OutboxKind
from reports.models import Report
from reports.survey import pick_tip, survey_key, tip_key
from services.panel import offer_after_report
from services.ports import ProactiveMessages
from services.proactive import queue_proactive
from storage.followups import add_followup
from storage.surveys import add_survey
from storage.uow import Work


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

    async def followup(
        self, work: Work, report: Report, number: int, due: datetime, now: datetime
    ) -> bool:
        """Queue the report's n-th follow-up for `due`; False when nobody can be asked."""
        row = await queue_proactive(
            self.config,
            work,
            user_id=report.user_id if report.chat_id else None,
            kind=OutboxKind.FOLLOWUP_QUESTION,
            rendered=self.messages.followup_question(report, number),
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=followup_key(report.id, number),
        )
        if row is None:
            return False
        await add_followup(work.session, report.id, number, row, due)
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

    async def survey(self, work: Work, report: Report, now: datetime) -> bool:
        """Queue the survey of a resolved report; False for an erased or opted-out resident."""
        schedule = self.config.schedule
        policy = schedule.send_policy(self.zone)
        due = policy.deliverable_at(schedule.survey_after_resolution.after(now, self.zone))
        row = await queue_proactive(
            self.config,
            work,
            user_id=report.user_id if report.chat_id else None,
            kind=OutboxKind.SURVEY_QUESTION,
            rendered=self.messages.survey_question(report),
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=survey_key(report.id),
        )
        if row is None:
            return False
        neighbourhood = report.location.neighbourhood
        await add_survey(
            work.session,
            report.id,
            row,
            buurt_code=neighbourhood.buurt_code,
            wijk_code=neighbourhood.wijk_code,
            due_at=due,
            expires_at=schedule.survey_window.after(due, self.zone),
        )
        return True
