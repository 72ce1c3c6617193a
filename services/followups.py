"""Carry out residents' answers to "is it still going on?", and what they add afterwards.

A follow-up question is answered once, by the resident who made the report, while the report
is open and after the question was delivered. The answer, its audit record and what the lead
partner must hear commit together:

- still going on: the report's recurrence count grows, the lead partner's chat is told as a
  reply to the report's notification, and the next question is scheduled `followup_repeat`
  later while fewer than `followup_max` were asked;
- solved: the lead partner is asked to close the report (the caseworker resolves it);
- add information: the resident's next text or photo, within a day, joins the report (the
  text as a new paragraph of the description, the photo while there is room) and is relayed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from reports.followup import ADDITION_WINDOW, FollowupAnswer, dated
from reports.kinds import CaseRole, OutboxKind
from reports.models import Language, Report
from reports.records import RESIDENT
from reports.workflow import is_open
from services.chain import Chain
from services.container import Services
from services.ports import FollowupNews, Rendered
from services.scheduling import Scheduler, respondent_of
from storage.followups import (
    add_to_report,
    answer_followup,
    awaiting_addition,
    count_recurrence,
    end_addition,
    lead_message,
)
from storage.uow import Work

log = logging.getLogger(__name__)

MAX_ADDITION_CHARS = 2000
"""The longest text of an addition that is taken (the description's maximum still applies)."""


class FollowupOutcome(StrEnum):
    """What became of a press on a follow-up's answer."""

    ONGOING = "ongoing"
    SOLVED = "solved"
    MORE = "more"
    UNKNOWN = "unknown"
    """Refused: no such report, or not the resident's own."""
    CLOSED = "closed"
    """Refused: the report was resolved or cancelled."""
    STALE = "stale"
    """Refused: the question was not delivered, or was answered already."""


_ANSWERED = {
    FollowupAnswer.ONGOING: FollowupOutcome.ONGOING,
    FollowupAnswer.SOLVED: FollowupOutcome.SOLVED,
    FollowupAnswer.MORE: FollowupOutcome.MORE,
}
_NEWS = {FollowupAnswer.ONGOING: FollowupNews.ONGOING, FollowupAnswer.SOLVED: FollowupNews.SOLVED}
_NEWS_KINDS = {
    FollowupNews.ONGOING: OutboxKind.RELAY_FOLLOWUP_ONGOING,
    FollowupNews.SOLVED: OutboxKind.RELAY_FOLLOWUP_SOLVED,
}


@dataclass(frozen=True)
class FollowupResult:
    """The outcome of a press, the report as it is now, and when the resident is asked again."""

    outcome: FollowupOutcome
    report: Report | None = None
    asked_again_at: datetime | None = None

    @property
    def refused(self) -> bool:
        """Return whether the press changed nothing."""
        return self.outcome in (
            FollowupOutcome.UNKNOWN,
            FollowupOutcome.CLOSED,
            FollowupOutcome.STALE,
        )


async def answer(
    svc: Services, user_id: int, report_id: int, number: int, given: FollowupAnswer
) -> FollowupResult:
    """Store a resident's answer to a report's n-th follow-up and queue what follows from it."""
    now = svc.clock.now()
    async with svc.uow() as work:
        report = await work.cases.get(report_id)
        who = None if report is None else await respondent_of(work, report, user_id)
        if report is None or who is None:
            return FollowupResult(FollowupOutcome.UNKNOWN)
        if not is_open(report.status):
            return FollowupResult(FollowupOutcome.CLOSED, report)
        until = now + ADDITION_WINDOW if given is FollowupAnswer.MORE else None
        if not await answer_followup(
            work.session, report.id, number, given, now, respondent=who.seat, awaiting_until=until
        ):
            return FollowupResult(FollowupOutcome.STALE, report)
        action = f"followup_{given.value}"
        report = await work.cases.note(report.id, RESIDENT, action, now, detail=str(number))
        asked_again_at = None
        if given is FollowupAnswer.ONGOING:
            count = await count_recurrence(work.session, report.id)
            report = report.model_copy(update={"recurrence_count": count})
            due = svc.config.schedule.followup_policy(svc.config.municipality.zone).next_due(
                number, now
            )
            scheduler = Scheduler(svc.config, svc.messages)
            if due is not None and await scheduler.followup(
                work, report, number + 1, due, now, who
            ):
                asked_again_at = due
        news = _NEWS.get(given)
        if news is not None:
            render = partial(svc.messages.followup_news, report, news, co_reporter=who.seat > 0)
            await tell_lead(svc, work, report, render, now, _NEWS_KINDS[news], CaseRole.FOLLOWUP)
    log.info("report %s: follow-up %d answered", report.reference, number)
    return FollowupResult(_ANSWERED[given], report, asked_again_at)


async def add_information(
    svc: Services, user_id: int, text: str, photo_file_id: str | None
) -> Report | None:
    """Add the resident's text or photo to the report that awaits it and relay it to the partner.

    None (nothing changes) when no report of the resident awaits an addition, or the message
    has neither text nor photo.
    """
    text = text.strip()[:MAX_ADDITION_CHARS]
    if not text and photo_file_id is None:
        return None
    now = svc.clock.now()
    if await svc.followups.awaiting_addition(user_id, now) is None:
        return None  # the common case, for any message without a draft: one read, no write
    rules = svc.config.reports
    async with svc.uow() as work:
        pending = await awaiting_addition(work.session, user_id, now)
        if pending is None or not await end_addition(
            work.session, pending.report_id, pending.number, now, respondent=pending.respondent
        ):
            return None
        day = now.astimezone(svc.config.municipality.zone).date()
        await add_to_report(
            work.session,
            pending.report_id,
            text=dated(text, day) if text else None,
            photo_file_id=photo_file_id,
            max_chars=rules.description_max_chars,
            max_photos=rules.max_photos,
        )
        report = await work.cases.note(pending.report_id, RESIDENT, "followup_addition", now)
        theirs = pending.respondent > 0
        await relay_addition(svc, work, report, text, photo_file_id, now, co_reporter=theirs)
    return report


async def relay_addition(
    svc: Services,
    work: Work,
    report: Report,
    text: str,
    photo_file_id: str | None,
    now: datetime,
    *,
    co_reporter: bool = False,
) -> None:
    """Queue a resident's text or photo for the lead partner's chat, as a reply there;
    `co_reporter` says it came from a co-reporter, not the resident who made the report."""
    kind = (
        OutboxKind.RELAY_FOLLOWUP_ADDITION
        if photo_file_id is None
        else (OutboxKind.RELAY_FOLLOWUP_PHOTO)
    )
    render = partial(svc.messages.addition, report, text, photo_file_id, co_reporter=co_reporter)
    await tell_lead(svc, work, report, render, now, kind, CaseRole.FOLLOWUP)


async def tell_lead(
    svc: Services,
    work: Work,
    report: Report,
    render: Callable[[Language], Rendered],
    now: datetime,
    kind: OutboxKind,
    role: CaseRole,
) -> None:
    """Queue a message in the lead partner's chat, as a reply to the report's notification.

    The chat is the one of the latest lead notification, else the lead partner's (or the
    coordinator's in its place); `render` makes the message in that chat's language. A
    caseworker's reply to the message reaches the resident like a reply to the notification.
    """
    chain = Chain(svc.config, svc.messages)
    links = await work.cases.links()
    found: tuple[str, int, int | None] | None = await lead_message(work.session, report.id)
    if found is None:
        where = chain.destination(report.lead_partner or chain.coordinator, links)
        if where is None:
            log.warning("report %s: no partner chat to tell", report.reference)
            return
        found = (where.partner_id, where.chat_id, None)
    partner_id, chat_id, reply_to = found
    rendered = render(chain.chat_language(chat_id, links))
    row = await chain.tell_chat(
        work, report, chat_id, rendered, now, kind=kind, reply_to_message=reply_to
    )
    if row is not None:
        await work.cases.add_message(report.id, partner_id, role, chat_id, now, outbox_id=row)
