"""Render a draft or a report for the resident."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from config.municipality import MunicipalityConfig
from handlers.naming import TIMING_TEXTS
from handlers.services import Services
from handlers.texts import Html, T, plain, t
from reports.models import Draft, Language, Location, LocationSource, Report, ReportStatus
from services.followers import Card

APPROXIMATE_SOURCES = {LocationSource.POSTCODE, LocationSource.NAME}
STATUS_TEXTS = {
    ReportStatus.NEW: T.STATUS_NEW,
    ReportStatus.ROUTED: T.STATUS_ROUTED,
    ReportStatus.IN_PROGRESS: T.STATUS_IN_PROGRESS,
    ReportStatus.WAITING_FOR_RESIDENT: T.STATUS_WAITING_FOR_RESIDENT,
    ReportStatus.RESOLVED: T.STATUS_RESOLVED,
    ReportStatus.REJECTED: T.STATUS_REJECTED,
    ReportStatus.REOPENED: T.STATUS_REOPENED,
    ReportStatus.CANCELLED: T.STATUS_CANCELLED,
}


def location_line(location: Location, language: Language) -> str:
    """Say where the report is placed."""
    hood = location.neighbourhood
    if location.label and not location.has_point and location.source in APPROXIMATE_SOURCES:
        return t(
            T.LOCATION_SET_APPROX,
            language,
            label=location.label,
            buurt=hood.buurt_name,
            wijk=hood.wijk_name,
        )
    return t(T.LOCATION_SET, language, buurt=hood.buurt_name, wijk=hood.wijk_name)


def _place(location: Location, language: Language) -> Html:
    hood = location.neighbourhood
    if location.has_point:
        label = f": {location.label}" if location.label else ""
        return Html(
            t(T.SUMMARY_POINT, language, buurt=hood.buurt_name, wijk=hood.wijk_name, label=label)
        )
    return Html(t(T.SUMMARY_AREA, language, buurt=hood.buurt_name, wijk=hood.wijk_name))


def render_summary(draft: Draft, language: Language, config: MunicipalityConfig) -> str:
    """Show every answer of a complete draft for a last check."""
    category = config.category(draft.category_id or "")
    assert draft.location is not None and draft.timing is not None
    return t(
        T.SUMMARY,
        language,
        category=category.name(language) if category else draft.category_id,
        place=_place(draft.location, language),
        timing=plain(TIMING_TEXTS[draft.timing], language),
        photos=len(draft.photo_file_ids),
        contact=plain(T.CONTACT_YES if draft.contact_allowed else T.CONTACT_NO, language),
        description=draft.description,
    )


def render_report_line(report: Report, language: Language, config: MunicipalityConfig) -> str:
    """Show one report in the resident's list."""
    category = config.category(report.category_id)
    local = report.created_at.astimezone(ZoneInfo(config.municipality.timezone))
    return t(
        T.MY_REPORTS_ITEM,
        language,
        reference=report.reference,
        date=local.strftime("%d-%m-%Y %H:%M"),
        category=category.name(language) if category else report.category_id,
        buurt=report.location.neighbourhood.buurt_name,
        status=plain(STATUS_TEXTS[report.status], language),
    )


def duplicate_cards(svc: Services, cards: Sequence[Card], language: Language) -> str:
    """Render the open reports nearby as short cards: category, place, date and status only."""
    config = svc.config
    zone = config.municipality.zone
    lines = []
    for n, card in enumerate(cards, start=1):
        report = card.report
        category = config.category(report.category_id)
        place = (
            t(T.DUP_NEAR, language, metres=card.metres)
            if card.metres is not None
            else t(T.DUP_IN_BUURT, language, buurt=report.location.neighbourhood.buurt_name)
        )
        lines.append(
            t(
                T.DUP_CARD,
                language,
                n=n,
                category=category.name(language) if category else report.category_id,
                place=Html(place),
                date=f"{report.created_at.astimezone(zone):%d-%m}",
                status=plain(STATUS_TEXTS[report.status], language),
            )
        )
    return t(T.DUP_INTRO, language, cards=Html("\n".join(lines)))
