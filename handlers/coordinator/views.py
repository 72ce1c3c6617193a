"""Render the coordinator's overview: the open reports, and one report with its history.

The oldest reports come first, so a cut after `MAX_PAGES` messages drops the newest. Both are
in the coordinator's language (`coordinator_language`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime

from handlers.coordinator.format import Line, age_text
from handlers.coordinator.messages import CoordinatorMessages
from handlers.partner.view import status_line
from handlers.services import Services
from handlers.texts import Html, T, plain, t
from reports.kinds import ActorKind, CaseNote
from reports.models import Language, Report
from reports.records import CaseEvent
from reports.workflow import CaseAction
from services.coordination import CaseFile, OpenReports

MAX_DETAIL = 300

_ACTIONS = {
    CaseAction.ROUTE.value: T.P_EVENT_ROUTE,
    CaseAction.CLAIM.value: T.P_EVENT_CLAIM,
    CaseAction.FORWARD.value: T.P_EVENT_FORWARD,
    CaseAction.ASK_RESIDENT.value: T.P_EVENT_ASK_RESIDENT,
    CaseAction.RESIDENT_ANSWERED.value: T.P_EVENT_RESIDENT_ANSWERED,
    CaseAction.QUESTION_EXPIRED.value: T.P_EVENT_QUESTION_EXPIRED,
    CaseAction.RESOLVE.value: T.P_EVENT_RESOLVE,
    CaseAction.NOT_OURS.value: T.P_EVENT_NOT_OURS,
    CaseAction.REOPEN.value: T.P_EVENT_REOPEN,
    CaseAction.CANCEL.value: T.P_EVENT_CANCEL,
    CaseNote.REMINDER.value: T.P_EVENT_REMINDER,
    CaseNote.ESCALATION.value: T.P_EVENT_ESCALATION,
    CaseNote.UNDELIVERABLE.value: T.P_EVENT_UNDELIVERABLE,
    CaseNote.HELD.value: T.P_EVENT_HELD,
    CaseNote.RELEASED.value: T.P_EVENT_RELEASED,
    CaseNote.DELIVERY_UNCERTAIN.value: T.P_EVENT_DELIVERY_UNCERTAIN,
    CaseNote.ERASED.value: T.P_EVENT_ERASED,
}
_PARTNER_DETAIL = frozenset(
    {
        CaseAction.FORWARD.value,
        CaseNote.REMINDER,
        CaseNote.ESCALATION,
        CaseNote.UNDELIVERABLE,
        CaseNote.HELD,
        CaseNote.RELEASED,
    }
)
_NO_DETAIL = frozenset(
    {
        CaseAction.ASK_RESIDENT.value,
        CaseAction.RESIDENT_ANSWERED.value,
        CaseAction.QUESTION_EXPIRED.value,
    }
)
_ACTORS = {
    ActorKind.SYSTEM.value: T.P_ACTOR_SYSTEM,
    ActorKind.RESIDENT.value: T.P_ACTOR_RESIDENT,
    ActorKind.COORDINATOR.value: T.P_ACTOR_COORDINATOR,
}


def texts_of(svc: Services) -> CoordinatorMessages:
    """Return the renderer behind the services, which names partners, categories and times."""
    messages = svc.messages
    if not isinstance(messages, CoordinatorMessages):
        raise TypeError(f"{type(messages).__name__} cannot render the coordinator's answers")
    return messages


def coordinator_language(svc: Services) -> Language:
    """Return the language of the coordinator's chat: the coordinator partner's."""
    return svc.config.partner_language(svc.config.routing.fallback)


async def open_lines(
    overview: OpenReports, texts: CoordinatorMessages, lang: Language
) -> AsyncGenerator[Line, None]:
    """List open reports per lead partner, oldest first, with their age and status.

    The reports are read and rendered as the lines are taken: stop taking, and no more are.
    """
    if not overview.partners:
        yield Line(t(T.P_OPEN_EMPTY, lang))
        return
    yield Line(t(T.P_OPEN_HEADER, lang, count=overview.count))
    for group in overview.partners:
        label = texts.partner_name(group.partner_id, lang)
        yield Line("\n" + t(T.P_OPEN_PARTNER, lang, partner=label, count=group.count))
        async with aclosing(overview.reports(group)) as reports:
            async for report in reports:
                item = t(
                    T.P_OPEN_ITEM,
                    lang,
                    reference=report.reference,
                    category=texts.category_name(report.category_id, lang),
                    buurt=report.location.neighbourhood.buurt_name,
                    age=age_text(overview.at - report.created_at, lang),
                    status=status_line(report, texts.config, lang),
                )
                yield Line(item, item=True)


def case_lines(case: CaseFile, texts: CoordinatorMessages, lang: Language) -> list[Line]:
    """Describe one report and its audit trail, without the resident's identity unless agreed."""
    report = case.report
    hood = report.location.neighbourhood
    details = t(
        T.P_CASE_DETAILS,
        lang,
        reference=report.reference,
        category=texts.category_name(report.category_id, lang),
        buurt=hood.buurt_name,
        wijk=hood.wijk_name,
        created=texts.local_time(report.created_at),
        partner=texts.partner_name(report.lead_partner, lang) if report.lead_partner else "-",
        status=status_line(report, texts.config, lang),
        claimed=report.claimed_by_name or plain(T.P_CASE_NOBODY, lang),
        due=texts.local_time(report.due_at) if report.due_at else "-",
        reporter=Html(_reporter(report, lang)),
        description=report.description,
    )
    lines = [Line(details), Line("\n" + t(T.P_CASE_HISTORY, lang))]
    lines += [Line(_event_line(event, texts, lang), item=True) for event in case.events]
    return lines


def _reporter(report: Report, lang: Language) -> str:
    """Name the resident only as a link, and only when they agreed to be contacted."""
    if not report.user_id:
        return t(T.P_CASE_REPORTER_ERASED, lang)
    if not report.contact_allowed:
        return t(T.P_CASE_REPORTER_HIDDEN, lang)
    link = Html(f'<a href="tg://user?id={report.user_id}">{t(T.P_ACTOR_RESIDENT, lang)}</a>')
    return t(T.P_REPORTER_CONTACT, lang, name=link)


def _event_line(event: CaseEvent, texts: CoordinatorMessages, lang: Language) -> str:
    """Render one audit event: when (local time), who, what, and the detail that matters."""
    at = texts.local_time(datetime.fromisoformat(event.at))
    if event.actor == ActorKind.CASEWORKER:
        label = texts.partner_name(event.partner_id, lang) if event.partner_id else "?"
        actor = plain(T.P_ACTOR_CASEWORKER, lang, partner=label)
    else:
        actor = plain(_ACTORS.get(event.actor, T.P_ACTOR_SYSTEM), lang)
    key = _ACTIONS.get(event.action)
    action = plain(key, lang) if key is not None else event.action
    detail = event.detail
    if event.action in _PARTNER_DETAIL and detail:
        detail = texts.partner_name(detail, lang)
    if not detail or event.action in _NO_DETAIL:
        return t(T.P_CASE_EVENT, lang, at=at, actor=actor, action=action)
    if len(detail) > MAX_DETAIL:
        detail = detail[: MAX_DETAIL - 1] + "…"
    return t(T.P_CASE_EVENT_DETAIL, lang, at=at, actor=actor, action=action, detail=detail)
