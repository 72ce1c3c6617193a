"""Turn a resident's finished draft into a routed report: the use case behind "Send".

One unit of work, top to bottom: the draft becomes a numbered report (refused when it was sent
or changed meanwhile), the resident's confirmation with the reference is queued (as a reply,
before anything else; for a report no partner group can take yet, it says that the report
will be passed on as soon as the team is connected), the report is routed and its partner
notifications are queued (or it is held, `services.holding`), and its first follow-up and its
tip are scheduled. The confirmation is an outbox row committed with the
report: a resident is never told about a report that was not stored, and a crash right after
the commit still tells them (the dispatcher sends it after the restart).
"""

from __future__ import annotations

from reports.kinds import OutboxKind
from reports.models import Draft, Report
from services.chain import Chain
from services.container import Services
from services.holding import route, will_hold
from services.ports import Reporter, Shown
from services.scheduling import Scheduler
from storage.outbox import Instead, OutgoingMessage, Priority
from storage.reports import commit_draft


async def submit_report(
    svc: Services, draft: Draft, reporter: Reporter | None, *, summary: Shown | None = None
) -> Report:
    """Store, route and schedule a report in one transaction; return the routed report.

    `reporter` is the resident's identity for partners, given only when they agreed to be
    contacted. With the `summary` the resident confirmed, the confirmation turns that message
    (its buttons go, the reference comes under it: one Bot API call less); should Telegram
    refuse that edit, the confirmation comes as a message of its own. Raises
    `storage.reports.StaleDraftError` for a draft sent or changed meanwhile.
    """
    municipality = svc.config.municipality
    now = svc.clock.now().astimezone(municipality.zone)
    async with svc.uow() as work:
        report = await commit_draft(
            work.session, draft, prefix=municipality.reference_prefix, now=now
        )
        chain = Chain(svc.config, svc.messages)
        held = await will_hold(work, chain, report)
        alone = svc.messages.confirmation(report, held=held)
        under = (
            None if summary is None else svc.messages.confirmation_under(report, summary, held=held)
        )  # the handler leaves the summary's buttons to this edit
        chosen = alone if under is None else under
        instead = None if under is None else Instead(method=alone.method, params=alone.params)
        await work.outbox.enqueue(
            OutgoingMessage(
                chat_id=report.chat_id or draft.chat_id,
                method=chosen.method,
                params=chosen.params,
                priority=Priority.REPLY,
                due_at=report.created_at,
                kind=OutboxKind.CONFIRMATION,
                report_id=report.id,
                dedupe_key=f"confirmation:{report.id}",
                instead=instead,
            ),
            now=report.created_at,
        )
        report = await route(work, chain, report, reporter)
        await Scheduler(svc.config, svc.messages).after_report(work, report)
    return report
