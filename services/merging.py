"""Merge a newer report into an older open one nearby: the partners' "duplicate" button.

The newer report is resolved with a closing text that says which report it joined
(`Casework.resolved`: its resident and co-reporters hear it; no survey), its resident and
co-reporters become co-reporters of the older report, and the older's notification shows the
new count, in one transaction. Only the lead partner's caseworkers may do it (`Casework.checked`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from reports.models import Draft, Report
from reports.workflow import CaseAction, is_open
from services.casework import Casework, Conflict, Done, Refusal, Refused
from services.container import Services
from services.followers import ERASED_USER, card_for, search_area, show_count
from services.scheduling import Respondent, Scheduler
from storage import followers as store

log = logging.getLogger(__name__)


async def merge_candidates(svc: Services, report: Report) -> list[Report]:
    """Return the older open reports of the same category near this one, nearest first."""
    rules = svc.config.duplicates
    since = report.created_at - timedelta(days=rules.window_days)
    found = await svc.followers.candidates(
        report.category_id, since, ERASED_USER, *search_area(svc, report.location)
    )
    place = Draft(
        user_id=0,
        chat_id=0,
        token="merge",
        language=report.language,
        category_id=report.category_id,
        location=report.location,
        created_at=report.created_at,
        updated_at=report.created_at,
    )
    cards = [
        card
        for older in found
        if (older.created_at, older.id) < (report.created_at, report.id)
        if (card := card_for(svc, place, older)) is not None
    ]
    cards.sort(key=lambda c: (c.metres is None, c.metres or 0, -c.report.created_at.timestamp()))
    return [card.report for card in cards[:5]]


async def merge(
    svc: Services, casework: Casework, report_id: int, message_id: int | None, older_id: int
) -> Done | Refused | Conflict:
    """Close a report as a duplicate of an older open one; its reporters follow the older.

    In one transaction: the newer report is resolved with a closing text that says which
    report it joined (its resident and co-reporters hear it; no survey), its resident and
    co-reporters become co-reporters of the older report, and the older's notification shows
    the new count.
    """
    now = svc.clock.now()
    async with svc.uow() as work:
        report = await casework.checked(work, report_id, message_id, CaseAction.RESOLVE)
        if not isinstance(report, Report):
            return report
        older = await work.cases.get(older_id)
        if (
            older is None
            or (older.created_at, older.id) >= (report.created_at, report.id)
            or not is_open(older.status)
            or older.category_id != report.category_id
        ):
            return Refused(Refusal.UNKNOWN)
        who = casework.who
        closing = svc.messages.duplicate_closing(older.reference, report.language)
        done = await casework.resolved(
            work, report, closing, detail=f"duplicate_of:{older.reference}"
        )
        if not isinstance(done, Done):
            return done
        followers = await store.followers_of(work.session, report.id)
        people = [(f.user_id, f.language) for f in followers]
        if report.user_id and report.chat_id:
            people.insert(0, (report.user_id, report.language))
        scheduler = Scheduler(svc.config, svc.messages)
        joined = 0
        for user_id, language in people:
            if user_id == older.user_id:
                continue
            seat = await store.follow(work.session, older.id, user_id, language, now, now)
            if seat is not None:
                joined += 1
                await scheduler.after_joining(work, older, Respondent(seat, user_id, language, now))
        await store.unfollow_all(work.session, report.id)
        older = await work.cases.note(
            older.id, who.actor(older.lead_partner), "merged", now, detail=report.reference
        )
        if joined:
            await show_count(svc, work, older, now)
    log.info("report %s merged into %s", report.reference, older.reference)
    return done
