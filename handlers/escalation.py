"""Remind a partner of a report nobody claimed in time, then tell the coordinator once.

A report still unclaimed (routed or reopened) past its `due_at` gets one reminder in its lead
partner's chat, as a reply to the lead notification when that is known. One response target
later, counted from `due_at` in the same way (working days in office time), it gets one notice
in the coordinator's chat. Each step is recorded as an audit event that sets `reminded_at` or
`escalated_at` in the same transaction that queues the message, under an outbox dedupe key per
report and deadline: two sweeps at once, or a sweep after a restart, send nothing twice.
Forwarding gives a report a new `due_at` and clears both marks, so the new lead is reminded
in its turn.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.ext import ContextTypes

from handlers.chain import SYSTEM, Chain, Destination
from handlers.chain_view import PARTNER_LANGUAGE
from handlers.services import Services, services
from handlers.texts import T, plain, t
from reports.models import Language, Report, ReportStatus
from reports.workflow import CaseAction
from storage.cases import CaseConflict
from storage.database import Session
from storage.outbox import OutgoingMessage, Priority

log = logging.getLogger(__name__)

UNCLAIMED = frozenset({ReportStatus.ROUTED, ReportStatus.REOPENED})
HAND_OVERS = frozenset({CaseAction.ROUTE.value, CaseAction.FORWARD.value, CaseAction.REOPEN.value})
REMINDER = "reminder"
ESCALATION = "escalation"


def age_text(age: timedelta, language: Language = PARTNER_LANGUAGE) -> str:
    """Say how old something is, to the minute: "3 d 4 u", "2 u 5 min", "7 min"."""
    minutes = max(int(age.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return plain(T.P_AGE_DAYS, language, days=days, hours=hours)
    if hours:
        return plain(T.P_AGE_HOURS, language, hours=hours, minutes=minutes)
    return plain(T.P_AGE_MINUTES, language, minutes=minutes)


def local_time(moment: datetime, svc: Services) -> str:
    """Show a moment in the municipality's time zone: "30-11-2026 17:00"."""
    return f"{moment.astimezone(svc.config.municipality.zone):%d-%m-%Y %H:%M}"


class Escalation:
    """Find reports nobody claimed in time and queue their reminder or coordinator notice."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config
        self.chain = Chain(svc)

    def escalation_at(self, report: Report) -> datetime:
        """Return when an unclaimed report goes to the coordinator: one target after due_at."""
        assert report.due_at is not None, "only reports with a deadline are escalated"
        lead = self.config.partner(report.lead_partner or self.config.routing.fallback)
        if lead is None:
            return report.due_at
        target = lead.response_target(report.category_id)
        return self.config.working_calendar().deadline(report.due_at, target)

    async def sweep(self) -> int:
        """Queue every reminder and coordinator notice that is due; return how many."""
        now = self.svc.clock.now()
        queued = 0
        for report in await self.svc.cases.due_for_reminder(now):
            queued += await self.remind(report, now)
        for report in await self.svc.cases.due_for_escalation(now, self.escalation_at):
            queued += await self.escalate(report, now)
        if queued:
            self.svc.wake_sender()
        return queued

    async def remind(self, report: Report, now: datetime) -> int:
        """Remind the lead partner's chat once; return 1 when a message was queued."""
        lead_id = report.lead_partner or self.config.routing.fallback
        links = await self.svc.cases.links()
        where = self.chain.destination(lead_id, links)
        text = t(
            T.P_REMINDER,
            PARTNER_LANGUAGE,
            reference=report.reference,
            category=self._category(report),
            buurt=report.location.neighbourhood.buurt_name,
            waited=age_text(now - await self._handed_over_at(report)),
            due=local_time(report.due_at or now, self.svc),
        )
        reply_to = await self._lead_message(report, lead_id, where)
        return await self._record(
            report, now, REMINDER, "reminded_at", where, text, lead_id, reply_to
        )

    async def escalate(self, report: Report, now: datetime) -> int:
        """Tell the coordinator's chat once; return 1 when a message was queued."""
        lead_id = report.lead_partner or self.config.routing.fallback
        links = await self.svc.cases.links()
        where = self.chain.destination(self.config.routing.fallback, links)
        hood = report.location.neighbourhood
        lead = self.config.partner(lead_id)
        text = t(
            T.P_ESCALATION,
            PARTNER_LANGUAGE,
            reference=report.reference,
            category=self._category(report),
            buurt=hood.buurt_name,
            wijk=hood.wijk_name,
            partner=lead.name(PARTNER_LANGUAGE) if lead else lead_id,
            waited=age_text(now - await self._handed_over_at(report)),
            reminded=local_time(report.reminded_at or now, self.svc),
        )
        return await self._record(report, now, ESCALATION, "escalated_at", where, text, lead_id)

    async def _record(
        self,
        report: Report,
        now: datetime,
        step: str,
        mark: str,
        where: Destination | None,
        text: str,
        lead_id: str,
        reply_to: int | None = None,
    ) -> int:
        """Note the step and queue its message in one transaction, unless done or overtaken."""
        due = report.due_at
        assert due is not None
        key = f"{step}:{report.id}:{due.isoformat()}"
        queued = False

        async def queue(session: Session, updated: Report) -> None:
            nonlocal queued
            if updated.status not in UNCLAIMED or updated.due_at != due:
                raise CaseConflict(updated)  # claimed or forwarded meanwhile: roll back
            if where is None:
                log.warning("report %s: no chat for its %s", report.reference, step)
                return
            params: dict[str, object] = {"text": text, "parse_mode": "HTML"}
            if reply_to is not None:
                params["reply_parameters"] = {
                    "message_id": reply_to,
                    "allow_sending_without_reply": True,
                }
            row = await self.svc.outbox.enqueue(
                session,
                OutgoingMessage(
                    chat_id=where.chat_id,
                    method="sendMessage",
                    params=params,
                    priority=Priority.NOTIFICATION,
                    due_at=now,
                    kind=f"case.{step}",
                    report_id=report.id,
                    dedupe_key=key,
                ),
                now=now,
            )
            if row is None:
                raise CaseConflict(updated)  # another sweep queued it already: roll back
            queued = True

        action = step if where is not None else "undeliverable"
        try:
            await self.svc.cases.note(
                report.id, SYSTEM, action, now, changes={mark: now}, detail=lead_id, after=queue
            )
        except CaseConflict:
            log.info("report %s: %s no longer needed", report.reference, step)
            return 0
        log.info("report %s: %s queued", report.reference, step)
        return int(queued)

    async def _lead_message(
        self, report: Report, lead_id: str, where: Destination | None
    ) -> int | None:
        """Return the lead notification in the chat the reminder goes to, when it was sent."""
        if where is None:
            return None
        sent = await self.svc.cases.messages(report.id, ["lead"])
        found = [mid for partner, chat, mid in sent if partner == lead_id and chat == where.chat_id]
        return found[-1] if found else None

    async def _handed_over_at(self, report: Report) -> datetime:
        """Return when the report reached its current lead partner."""
        events = await self.svc.cases.events(report.id)
        moments = [event.at for event in events if event.action in HAND_OVERS]
        if not moments:
            return report.created_at
        return datetime.fromisoformat(moments[-1])

    def _category(self, report: Report) -> str:
        category = self.config.category(report.category_id)
        return category.name(PARTNER_LANGUAGE) if category else report.category_id


async def escalate_overdue(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the reminders and coordinator notices that are due (a repeating job)."""
    await Escalation(services(context)).sweep()
