"""Give the coordinator an overview in their own chat: /open and /melding <reference>.

Both commands answer only in the coordinator's chat (linked, or configured); anywhere else they
say so and show nothing. Long answers are split over several messages at line boundaries,
each within Telegram's 4096 characters, and cut after `MAX_PAGES` messages with a line that
says how much was left out: the oldest reports come first, so the cut drops the newest.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from config.municipality import MunicipalityConfig
from handlers.chain import Chain
from handlers.chain_view import PARTNER_LANGUAGE, status_line
from handlers.escalation import ESCALATION, REMINDER, age_text, local_time
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, plain, t
from reports.models import Report, ReportStatus
from reports.workflow import CaseAction
from storage.cases import CaseEvent

MESSAGE_LIMIT = 4096
"""Telegram's limit on a message's text, in UTF-16 code units after parsing the HTML."""
MAX_PAGES = 6
"""At most this many messages per answer: the group's 20 messages a minute are shared."""
MAX_DETAIL = 300
MAX_REFERENCE = 40

_TAG = re.compile(r"<[^>]*>")
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
    REMINDER: T.P_EVENT_REMINDER,
    ESCALATION: T.P_EVENT_ESCALATION,
    "undeliverable": T.P_EVENT_UNDELIVERABLE,
}
_PARTNER_DETAIL = frozenset({CaseAction.FORWARD.value, REMINDER, ESCALATION, "undeliverable"})
_NO_DETAIL = frozenset({"ask_resident", "resident_answered", "question_expired"})
_ACTORS = {
    "system": T.P_ACTOR_SYSTEM,
    "resident": T.P_ACTOR_RESIDENT,
    "coordinator": T.P_ACTOR_COORDINATOR,
}


@dataclass(frozen=True)
class Line:
    """One line of an answer; `item` lines are what "… and N more" counts."""

    html: str
    item: bool = False


def visible_length(text: str) -> int:
    """Return how long Telegram counts an HTML text: UTF-16 code units of what it shows."""
    shown = html.unescape(_TAG.sub("", text))
    return len(shown.encode("utf-16-le")) // 2


def paginate(
    lines: Sequence[Line],
    more: Callable[[int], str],
    *,
    limit: int = MESSAGE_LIMIT,
    max_pages: int = MAX_PAGES,
) -> list[str]:
    """Pack lines into at most max_pages messages of at most limit; cut with more(N) if needed.

    Lines are never split. When they do not all fit, the last message ends with more(N), N
    being the item lines left out.
    """
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    items_from = [0] * (len(lines) + 1)  # item lines from index on
    for index in range(len(lines) - 1, -1, -1):
        items_from[index] = items_from[index + 1] + int(lines[index].item)
    pages: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if visible_length(line.html) > limit:
            raise ValueError(f"a line of {visible_length(line.html)} characters cannot be sent")
        while True:
            last_page = len(pages) == max_pages - 1
            joined = f"{current}\n{line.html}" if current else line.html
            left = items_from[index + 1]
            needed = f"{joined}\n{more(left)}" if last_page and left else joined
            if visible_length(needed) <= limit:
                current = joined
                break
            if current and not last_page:
                pages.append(current.strip())
                current = ""
                continue
            tail = more(items_from[index])
            pages.append(f"{current}\n{tail}".strip())
            return pages
    if current.strip():
        pages.append(current.strip())
    return pages


def open_lines(reports: Sequence[Report], config: MunicipalityConfig, now: datetime) -> list[Line]:
    """List open reports per lead partner (rejected ones under the coordinator), oldest first."""
    lang = PARTNER_LANGUAGE
    if not reports:
        return [Line(t(T.P_OPEN_EMPTY, lang))]
    fallback = config.routing.fallback
    groups: dict[str, list[Report]] = {}
    for report in sorted(reports, key=lambda r: (r.created_at, r.id)):
        owner = report.lead_partner or fallback
        if report.status is ReportStatus.REJECTED:
            owner = fallback
        groups.setdefault(owner, []).append(report)
    order = [p.id for p in config.partners if p.id in groups]
    order += [owner for owner in groups if owner not in order]
    lines = [Line(t(T.P_OPEN_HEADER, lang, count=len(reports)))]
    for owner in order:
        partner = config.partner(owner)
        label = partner.name(lang) if partner else owner
        lines.append(
            Line("\n" + t(T.P_OPEN_PARTNER, lang, partner=label, count=len(groups[owner])))
        )
        for report in groups[owner]:
            category = config.category(report.category_id)
            item = t(
                T.P_OPEN_ITEM,
                lang,
                reference=report.reference,
                category=category.name(lang) if category else report.category_id,
                buurt=report.location.neighbourhood.buurt_name,
                age=age_text(now - report.created_at),
                status=status_line(report, config),
            )
            lines.append(Line(item, item=True))
    return lines


def case_lines(report: Report, events: Sequence[CaseEvent], svc: Services) -> list[Line]:
    """Describe one report and its audit trail, without the resident's identity unless agreed."""
    lang, config = PARTNER_LANGUAGE, svc.config
    category = config.category(report.category_id)
    hood = report.location.neighbourhood
    lead = config.partner(report.lead_partner or "")
    details = t(
        T.P_CASE_DETAILS,
        lang,
        reference=report.reference,
        category=category.name(lang) if category else report.category_id,
        buurt=hood.buurt_name,
        wijk=hood.wijk_name,
        created=local_time(report.created_at, svc),
        partner=lead.name(lang) if lead else report.lead_partner or "-",
        status=status_line(report, config),
        claimed=report.claimed_by_name or plain(T.P_CASE_NOBODY, lang),
        due=local_time(report.due_at, svc) if report.due_at else "-",
        reporter=Html(_reporter(report)),
        description=report.description,
    )
    lines = [Line(details), Line("\n" + t(T.P_CASE_HISTORY, lang))]
    lines += [Line(_event_line(event, svc), item=True) for event in events]
    return lines


def _reporter(report: Report) -> str:
    """Name the resident only as a link, and only when they agreed to be contacted."""
    lang = PARTNER_LANGUAGE
    if not report.user_id:
        return t(T.P_CASE_REPORTER_ERASED, lang)
    if not report.contact_allowed:
        return t(T.P_CASE_REPORTER_HIDDEN, lang)
    link = Html(f'<a href="tg://user?id={report.user_id}">{t(T.P_ACTOR_RESIDENT, lang)}</a>')
    return t(T.P_REPORTER_CONTACT, lang, name=link)


def _event_line(event: CaseEvent, svc: Services) -> str:
    """Render one audit event: when (local time), who, what, and the detail that matters."""
    lang, config = PARTNER_LANGUAGE, svc.config
    at = local_time(datetime.fromisoformat(event.at), svc)
    partner = config.partner(event.partner_id or "")
    if event.actor == "caseworker":
        label = partner.name(lang) if partner else event.partner_id or "?"
        actor = plain(T.P_ACTOR_CASEWORKER, lang, partner=label)
    else:
        actor = plain(_ACTORS.get(event.actor, T.P_ACTOR_SYSTEM), lang)
    key = _ACTIONS.get(event.action)
    action = plain(key, lang) if key is not None else event.action
    detail = event.detail
    if event.action in _PARTNER_DETAIL and detail:
        named = config.partner(detail)
        detail = named.name(lang) if named else detail
    if not detail or event.action in _NO_DETAIL:
        return t(T.P_CASE_EVENT, lang, at=at, actor=actor, action=action)
    if len(detail) > MAX_DETAIL:
        detail = detail[: MAX_DETAIL - 1] + "…"
    return t(T.P_CASE_EVENT_DETAIL, lang, at=at, actor=actor, action=action, detail=detail)


async def _in_coordinator_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Return whether the command came from the coordinator's chat; otherwise say so."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return False
    svc = services(context)
    links = await svc.cases.links()
    coordinator = Chain(svc).destination(svc.config.routing.fallback, links)
    if coordinator is not None and not coordinator.stand_in and coordinator.chat_id == chat.id:
        return True
    lang = PARTNER_LANGUAGE
    if chat.type == ChatType.PRIVATE:
        lang = await language_of(svc, update.effective_user)
    await message.reply_html(t(T.P_COORDINATOR_ONLY, lang))
    return False


async def _send_pages(message: Message, pages: Sequence[str]) -> None:
    for page in pages:
        await message.reply_html(page)


async def open_reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the open reports per partner, oldest first (coordinator's chat only)."""
    if not await _in_coordinator_chat(update, context):
        return
    message = update.effective_message
    assert message is not None
    svc = services(context)
    lines = open_lines(await svc.cases.open_reports(), svc.config, svc.clock.now())
    pages = paginate(lines, lambda n: t(T.P_OPEN_MORE, PARTNER_LANGUAGE, count=n))
    await _send_pages(message, pages)


async def report_details(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show one report's details and history (coordinator's chat only)."""
    if not await _in_coordinator_chat(update, context):
        return
    message = update.effective_message
    assert message is not None
    svc = services(context)
    lang = PARTNER_LANGUAGE
    args = context.args or []
    if len(args) != 1:
        example = f"{svc.config.municipality.reference_prefix}-{svc.clock.now():%Y}-0042"
        await message.reply_html(t(T.P_CASE_USAGE, lang, example=example))
        return
    reference = args[0].strip().upper()[:MAX_REFERENCE]
    report = await svc.reports.get_by_reference(reference)
    if report is None:
        await message.reply_html(t(T.P_CASE_UNKNOWN, lang, reference=reference))
        return
    lines = case_lines(report, await svc.cases.events(report.id), svc)
    pages = paginate(lines, lambda n: t(T.P_CASE_MORE, lang, count=n))
    await _send_pages(message, pages)
