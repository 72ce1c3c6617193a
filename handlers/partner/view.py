"""Render what partner chats see: the notification of a report and its buttons.

Each chat reads the language of the partner whose chat it is (`MunicipalityConfig.
partner_language`); the callers pass it. Callback data never depends on the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from config.municipality import MunicipalityConfig
from handlers.naming import TIMING_TEXTS
from handlers.partner.codec import CaseButton, CasePress
from handlers.texts import Html, T, plain, t
from reports.deadlines import ResponseTarget
from reports.models import Language, Report, ReportStatus
from reports.workflow import CaseAction, allowed_actions

_UNITS = {
    "m": T.P_TARGET_MINUTES,
    "h": T.P_TARGET_HOURS,
    "d": T.P_TARGET_DAYS,
    "wd": T.P_TARGET_WORKDAYS,
}


def target_text(target: ResponseTarget, language: Language) -> str:
    """Say a response target in words: "2 uur", "1 werkdag"."""
    return plain(_UNITS[target.unit], language, count=target.amount)


def weekday(moment: datetime, language: Language) -> str:
    """Return the short name of a moment's weekday: "di", "Tue"."""
    return plain(T.P_WEEKDAYS, language).split()[moment.weekday()]


def status_line(
    report: Report,
    config: MunicipalityConfig,
    lang: Language,
    forwarded_to: str | None = None,
    forwarded_by: str | None = None,
) -> str:
    """Say in the partner chat where the report stands and who has it (or handed it over)."""
    if forwarded_to is not None:
        partner = config.partner(forwarded_to)
        label = partner.name(lang) if partner else forwarded_to
        return plain(T.P_STATUS_FORWARDED, lang, partner=label, name=forwarded_by or "?")
    name = report.claimed_by_name or "?"
    texts = {
        ReportStatus.NEW: T.P_STATUS_ROUTED,
        ReportStatus.ROUTED: T.P_STATUS_ROUTED,
        ReportStatus.REOPENED: T.P_STATUS_REOPENED,
        ReportStatus.IN_PROGRESS: T.P_STATUS_CLAIMED,
        ReportStatus.WAITING_FOR_RESIDENT: T.P_STATUS_WAITING,
        ReportStatus.RESOLVED: T.P_STATUS_RESOLVED,
        ReportStatus.REJECTED: T.P_STATUS_REJECTED,
        ReportStatus.CANCELLED: T.P_STATUS_CANCELLED,
    }
    return plain(texts[report.status], lang, name=name, closing=report.closing_text or "")


def notification_text(
    report: Report,
    config: MunicipalityConfig,
    lang: Language,
    *,
    badge: str = "",
    reporter: str | None = None,
    forwarded_to: str | None = None,
    forwarded_by: str | None = None,
) -> str:
    """Render the notification of a report for a partner chat (HTML).

    With `forwarded_to` it is the notification as the chat that forwarded the report keeps it.
    A report whose resident had their data erased shows no place, reporter or description.
    """
    category = config.category(report.category_id)
    hood = report.location.neighbourhood
    place_key = T.P_PLACE_POINT if report.location.has_point else T.P_PLACE_AREA
    lead = config.partner(report.lead_partner or "")
    target = lead.response_target(report.category_id) if lead else ResponseTarget.parse("1wd")
    due = report.due_at.astimezone(config.municipality.zone) if report.due_at else None
    if report.erased:
        return t(
            T.P_NOTIFICATION_ERASED,
            lang,
            badge=Html(f"{badge}\n" if badge else ""),
            reference=report.reference,
            category=category.name(lang) if category else report.category_id,
            due=f"{weekday(due, lang)} {due:%d-%m %H:%M}" if due else "-",
            target=target_text(target, lang),
            status=status_line(report, config, lang, forwarded_to, forwarded_by),
        )
    who = (
        t(T.P_REPORTER_CONTACT, lang, name=Html(reporter))
        if reporter is not None
        else t(T.P_REPORTER_ANONYMOUS, lang)
    )
    if report.channel:  # posted by another system (Open311), not by a resident in Telegram
        who = t(T.P_REPORTER_CHANNEL, lang, client=report.channel.removeprefix("open311:"))
    if report.co_reporters:
        who += "\n" + t(T.P_CO_REPORTERS, lang, count=report.co_reporters)
    return t(
        T.P_NOTIFICATION,
        lang,
        badge=Html(f"{badge}\n" if badge else ""),
        reference=report.reference,
        category=category.name(lang) if category else report.category_id,
        place=t(place_key, lang, buurt=hood.buurt_name, wijk=hood.wijk_name),
        timing=plain(TIMING_TEXTS[report.timing], lang),
        due=f"{weekday(due, lang)} {due:%d-%m %H:%M}" if due else "-",
        target=target_text(target, lang),
        reporter=Html(who),
        description=report.description,
        status=status_line(report, config, lang, forwarded_to, forwarded_by),
    )


def _button(
    label: str, report_id: int, button: CaseButton, value: str = ""
) -> InlineKeyboardButton:
    data = CasePress(report_id, button, value).encode()
    return InlineKeyboardButton(label, callback_data=data)


def case_buttons(report: Report, lang: Language) -> InlineKeyboardMarkup | None:
    """Offer the actions the workflow allows now; None when nothing is left to do."""
    allowed = allowed_actions(report.status)
    rid = report.id
    first: list[InlineKeyboardButton] = []
    second: list[InlineKeyboardButton] = []
    if CaseAction.CLAIM in allowed:
        first.append(_button(plain(T.P_BTN_CLAIM, lang), rid, CaseButton.CLAIM))
    if CaseAction.RESOLVE in allowed:
        first.append(_button(plain(T.P_BTN_RESOLVE, lang), rid, CaseButton.RESOLVE_MENU))
    if CaseAction.ASK_RESIDENT in allowed and not report.channel:  # no resident to ask
        first.append(_button(plain(T.P_BTN_ASK, lang), rid, CaseButton.ASK))
    if CaseAction.FORWARD in allowed:
        second.append(_button(plain(T.P_BTN_FORWARD, lang), rid, CaseButton.FORWARD_MENU))
    if CaseAction.NOT_OURS in allowed:
        second.append(_button(plain(T.P_BTN_NOT_OURS, lang), rid, CaseButton.NOT_OURS))
    if CaseAction.RESOLVE in allowed:
        second.append(_button(plain(T.P_BTN_DUPLICATE, lang), rid, CaseButton.DUPLICATE_MENU))
    rows = [row for row in (first, second) if row]
    return InlineKeyboardMarkup(rows) if rows else None


def closing_buttons(
    report: Report, config: MunicipalityConfig, lang: Language
) -> InlineKeyboardMarkup:
    """Offer the standard closing texts, an own text, and the way back."""
    rid = report.id
    rows = [
        [_button(text.button(lang), rid, CaseButton.RESOLVE_WITH, text.id)]
        for text in config.closing_texts
    ]
    rows.append(
        [
            _button(plain(T.P_BTN_OWN_TEXT, lang), rid, CaseButton.RESOLVE_OWN),
            _button(plain(T.P_BTN_BACK, lang), rid, CaseButton.BACK),
        ]
    )
    return InlineKeyboardMarkup(rows)


def partner_buttons(
    report: Report, config: MunicipalityConfig, lang: Language
) -> InlineKeyboardMarkup:
    """Offer every other partner to forward the report to, and the way back."""
    buttons = [
        _button(partner.name(lang), report.id, CaseButton.FORWARD_TO, partner.id)
        for partner in config.partners
        if partner.id != report.lead_partner
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(plain(T.P_BTN_BACK, lang), report.id, CaseButton.BACK)])
    return InlineKeyboardMarkup(rows)


def duplicate_buttons(
    report: Report, older: Sequence[Report], config: MunicipalityConfig, lang: Language
) -> InlineKeyboardMarkup:
    """Offer the older open reports nearby to merge this one into, and the way back."""
    zone = config.municipality.zone
    rows = [
        [
            _button(
                f"{o.reference} · {o.location.neighbourhood.buurt_name}"
                f" · {o.created_at.astimezone(zone):%d-%m}",
                report.id,
                CaseButton.DUPLICATE_OF,
                str(o.id),
            )
        ]
        for o in older
    ]
    rows.append([_button(plain(T.P_BTN_BACK, lang), report.id, CaseButton.BACK)])
    return InlineKeyboardMarkup(rows)
