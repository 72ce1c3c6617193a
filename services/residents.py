"""The resident's own requests: their reports, their language, and erasing their data."""

from __future__ import annotations

import logging

from reports.models import Language, Report, ReportStatus
from services.chain import Chain
from services.container import Services
from services.erasure import clean_partner_chats
from storage.privacy import ErasureResult, erase_resident, partner_traces, resident_report_ids

log = logging.getLogger(__name__)

MAX_LISTED_REPORTS = 20


async def my_reports(svc: Services, user_id: int) -> list[Report]:
    """Return the resident's latest reports, newest first, as the resident may see them:
    their own and those they follow as a co-reporter (`services.followers`).

    A report held for want of a partner chat (`services.holding`) reached nobody yet: it is
    shown as new (saved, to be passed on), whatever its handling status says.
    """
    own = await svc.reports.list_for_user(user_id, limit=MAX_LISTED_REPORTS)
    followed = await svc.followers.followed(user_id, limit=MAX_LISTED_REPORTS)
    reports = sorted([*own, *followed], key=lambda r: (r.created_at, r.id), reverse=True)
    reports = reports[:MAX_LISTED_REPORTS]
    held = await svc.cases.held(report.id for report in reports)
    waiting = {"status": ReportStatus.NEW}
    return [
        report.model_copy(update=waiting) if report.id in held else report for report in reports
    ]


async def choose_language(svc: Services, user_id: int, language: Language) -> None:
    """Remember the language the resident chose."""
    await svc.residents.set_language(user_id, language, svc.clock.now())


async def forget_resident(svc: Services, user_id: int) -> ErasureResult:
    """Erase everything that ties data to the resident, in one unit of work (AVG art. 17).

    The same unit of work queues the clean-up of what partner chats received about the
    resident's reports (see `services.erasure`).
    """
    now = svc.clock.now()
    async with svc.uow() as work:
        traces = await partner_traces(work.session, user_id)
        report_ids = await resident_report_ids(work.session, user_id)
        result = await erase_resident(work.session, user_id, now)
        links = await work.cases.links()
        chain = Chain(svc.config, svc.messages)
        cleanup = await clean_partner_chats(
            work,
            svc.messages,
            traces,
            report_ids,
            now,
            lambda chat_id: chain.chat_language(chat_id, links),
        )
    log.info(
        "a resident's data was erased (%d reports anonymised; in partner chats %d messages"
        " to empty, %d deletions queued)",
        result.reports_anonymised,
        cleanup.emptied,
        cleanup.deletions,
    )
    return result


def sounds_urgent(svc: Services, text: str | None) -> bool:
    """Return whether a resident's text holds words that mean someone should call 112 now."""
    return svc.urgency.is_urgent(None, text)
