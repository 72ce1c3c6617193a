"""Hold the reports no partner group can take yet, and pass them on once a group is linked.

A report whose lead partner has no chat goes to the coordinator's chat in its place; when that
is not linked either, nobody can receive it. Then the report is held: it stays new (the
resident's list says it waits to be passed on), its confirmation tells the resident so, and a
`held` note in its audit trail names the partner it waits for. A report handed on later to a
partner without any chat (forwarded, or back to an unlinked coordinator) is held the same way
(`Chain.notify_lead`). Linking a group (`services.coordination.link_chat`) and starting the
bot (a chat id added to the configuration) release every held report that now has a chat,
oldest first, in that unit of work: it is routed and notified as if it had just come in, a
`released` note ends the hold, and its resident hears that it is passed on.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from reports.kinds import CaseNote
from reports.models import Report, ReportStatus
from reports.records import SYSTEM
from services.chain import Chain
from services.ports import Reporter, ResidentNews
from storage.case_store import add_event, update_report
from storage.holding import held_reports
from storage.uow import Work

log = logging.getLogger(__name__)


async def will_hold(work: Work, chain: Chain, report: Report) -> bool:
    """Return whether a new report would be held: its lead nor the coordinator has a chat."""
    return chain.destination(chain.decide(report).lead, await work.cases.links()) is None


async def route(work: Work, chain: Chain, report: Report, reporter: Reporter | None) -> Report:
    """Route a committed report and queue its notifications, or hold it while no chat can.

    A held report keeps the status new, with the lead partner the rules chose; the returned
    report says which (`status is ReportStatus.NEW`).
    """
    decision = chain.decide(report)
    links = await work.cases.links()
    if chain.destination(decision.lead, links) is not None:
        return await chain.hand_over(work, report, decision, links, report.created_at, reporter)
    log.warning("report %s is held: no group is linked to take it", report.reference)
    changes = {"lead_partner": decision.lead, "routing_rule": decision.rule_label}
    await update_report(work.session, report.id, ReportStatus.NEW, changes)
    await add_event(
        work.session,
        report.id,
        report.created_at,
        SYSTEM,
        CaseNote.HELD.value,
        report,
        None,
        decision.lead,
    )
    return report.model_copy(update=changes)


async def release_held(work: Work, chain: Chain, now: datetime) -> int:
    """Pass on every held report that now has a chat to go to, oldest first; return how many.

    The partner's name of the resident who agreed to be contacted is not stored, so a
    released notification does not carry it.
    """
    links = await work.cases.links()
    released = 0
    for held in await held_reports(work.session):
        report, partner_id = held.report, held.partner_id
        if chain.destination(partner_id, links) is None:
            continue
        await add_event(
            work.session, report.id, now, SYSTEM, CaseNote.RELEASED.value, report, None, partner_id
        )
        if report.status is ReportStatus.NEW:
            decision = chain.decide(report)
            inform = tuple(other for other in decision.inform if other != partner_id)
            decision = replace(decision, lead=partner_id, inform=inform)
            report = await chain.hand_over(work, report, decision, links, now, None)
        else:
            lead = report.model_copy(update={"lead_partner": partner_id})
            await chain.notify_lead(work, lead, links, now)
        await chain.tell_resident(work, report, ResidentNews.PASSED_ON, now)
        log.info("held report %s passed on to %s", report.reference, partner_id)
        released += 1
    return released
