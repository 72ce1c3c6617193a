"""Remind a partner of a report nobody claimed in time, then tell the coordinator once.

A report still unclaimed (routed or reopened) past its `due_at` gets one reminder in its lead
partner's chat, as a reply to the lead notification when that is known. One response target
later, counted from `due_at` in the same way (working days in office time), it gets one notice
in the coordinator's chat. Each step is one unit of work: the message is queued under a dedupe
key per report and deadline, and an audit note sets `reminded_at` or `escalated_at`, so two
sweeps at once, or a sweep after a restart, send nothing twice. Forwarding gives a report a
new `due_at` and clears both marks, so the new lead is reminded in its turn.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from reports.kinds import CaseNote, CaseRole, OutboxKind
from reports.models import Report, ReportStatus
from reports.records import SYSTEM, CaseEvent
from reports.workflow import CaseAction
from services.chain import Chain
from services.container import Services
from storage.uow import Work

log = logging.getLogger(__name__)

UNCLAIMED = frozenset({ReportStatus.ROUTED, ReportStatus.REOPENED})
HAND_OVERS = frozenset({CaseAction.ROUTE.value, CaseAction.FORWARD.value, CaseAction.REOPEN.value})


async def escalate_overdue(svc: Services) -> int:
    """Queue every reminder and coordinator notice that is due; return how many were queued."""
    sweep = Escalation(svc)
    now = svc.clock.now()
    queued = 0
    for report in await svc.cases.due_for_reminder(now):
        queued += await sweep.remind(report, now)
    for report in await svc.cases.due_for_escalation(now, sweep.escalation_at):
        queued += await sweep.escalate(report, now)
    return queued


class Escalation:
    """The two steps of bringing an unclaimed report up, each in its own unit of work."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.chain = Chain(svc.config, svc.messages)

    def escalation_at(self, report: Report) -> datetime:
        """Return when an unclaimed report goes to the coordinator: one target after due_at."""
        assert report.due_at is not None, "only reports with a deadline are escalated"
        lead = report.lead_partner or self.chain.coordinator
        later = self.chain.due_at(lead, report.category_id, report.due_at)
        return report.due_at if later is None else later

    async def remind(self, found: Report, now: datetime) -> int:
        """Remind the lead partner's chat once; return 1 when a message was queued."""
        async with self.svc.uow() as work:
            report = await work.cases.get(found.id)
            if report is None or not _unclaimed_since(report, found) or report.reminded_at:
                return 0
            lead_id = report.lead_partner or self.chain.coordinator
            where = self.chain.destination(lead_id, await work.cases.links())
            if where is None:
                return await _undeliverable(work, report, "reminded_at", lead_id, now)
            waited = now - _handed_over_at(report, await work.cases.events(report.id))
            reply_to = _last_lead_message(
                await work.cases.messages(report.id, [CaseRole.LEAD]), lead_id, where.chat_id
            )
            row = await self.chain.tell_chat(
                work,
                report,
                where.chat_id,
                self.svc.messages.reminder(report, waited, where.language),
                now,
                kind=OutboxKind.REMINDER,
                reply_to_message=reply_to,
                dedupe_key=_key(CaseNote.REMINDER, report),
            )
            if row is None:
                return 0  # queued before under this deadline
            await work.cases.note(
                report.id,
                SYSTEM,
                CaseNote.REMINDER,
                now,
                changes={"reminded_at": now},
                detail=lead_id,
            )
        log.info("report %s: reminder queued", report.reference)
        return 1

    async def escalate(self, found: Report, now: datetime) -> int:
        """Tell the coordinator's chat once; return 1 when a message was queued."""
        async with self.svc.uow() as work:
            report = await work.cases.get(found.id)
            if report is None or not _unclaimed_since(report, found) or not report.reminded_at:
                return 0
            lead_id = report.lead_partner or self.chain.coordinator
            where = self.chain.destination(self.chain.coordinator, await work.cases.links())
            if where is None:
                return await _undeliverable(work, report, "escalated_at", lead_id, now)
            waited = now - _handed_over_at(report, await work.cases.events(report.id))
            row = await self.chain.tell_chat(
                work,
                report,
                where.chat_id,
                self.svc.messages.escalation(report, waited, report.reminded_at, where.language),
                now,
                kind=OutboxKind.ESCALATION,
                dedupe_key=_key(CaseNote.ESCALATION, report),
            )
            if row is None:
                return 0  # queued before under this deadline
            await work.cases.note(
                report.id,
                SYSTEM,
                CaseNote.ESCALATION,
                now,
                changes={"escalated_at": now},
                detail=lead_id,
            )
        log.info("report %s: coordinator notice queued", report.reference)
        return 1


def _unclaimed_since(report: Report, found: Report) -> bool:
    """Return whether a report is still unclaimed, unescalated, under the deadline it had."""
    return (
        report.status in UNCLAIMED
        and report.due_at is not None
        and report.due_at == found.due_at
        and report.escalated_at is None
    )


def _key(step: CaseNote, report: Report) -> str:
    """Return the dedupe key of a step for a report's current deadline."""
    assert report.due_at is not None
    return f"{step.value}:{report.id}:{report.due_at.isoformat()}"


async def _undeliverable(work: Work, report: Report, mark: str, lead_id: str, now: datetime) -> int:
    """Record that a step had no chat to go to, so that it is not tried again."""
    log.warning("report %s: no chat to bring it up in", report.reference)
    await work.cases.note(
        report.id, SYSTEM, CaseNote.UNDELIVERABLE, now, changes={mark: now}, detail=lead_id
    )
    return 0


def _handed_over_at(report: Report, events: Sequence[CaseEvent]) -> datetime:
    """Return when the report reached its current lead partner."""
    moments = [event.at for event in events if event.action in HAND_OVERS]
    if not moments:
        return report.created_at
    return datetime.fromisoformat(moments[-1])


def _last_lead_message(
    sent: Sequence[tuple[str, int, int]], lead_id: str, chat_id: int
) -> int | None:
    """Return the lead's latest notification in the chat a reminder goes to, if it was sent."""
    found = [mid for partner, chat, mid in sent if partner == lead_id and chat == chat_id]
    return found[-1] if found else None
