"""Render the reminders of unclaimed reports and the coordinator's notices.

Each is rendered in the language of the chat it goes to (the lead partner's, the coordinator's),
which the use case passes.

`CoordinatorMessages` is a mixin of `handlers.messages.TelegramMessages`, which names partners
and categories for it: it implements `services.ports.EscalationMessages`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from config.municipality import MunicipalityConfig
from handlers.common import html_message
from handlers.coordinator.format import age_text
from handlers.coordinator.hotspot_keys import hotspot_buttons
from handlers.texts import Html, T, t
from reports.models import Language, Report
from services.ports import GENERATED_PICTURE, Rendered

if TYPE_CHECKING:
    from services.hotspots import HotspotNotice

MAX_REASON = 200
"""At most this much of Telegram's reason for refusing a chat is shown."""


def html_text(text: str) -> Rendered:
    """Return a sendMessage call with an HTML text."""
    return Rendered({"text": text, "parse_mode": "HTML"})


class CoordinatorMessages:
    """Render what brings unclaimed reports and unreachable chats to someone's attention."""

    config: MunicipalityConfig

    if TYPE_CHECKING:  # provided by TelegramMessages

        def partner_name(self, partner_id: str | None, language: Language) -> str: ...

        def category_name(self, category_id: str, language: Language) -> str: ...

    def local_time(self, moment: datetime) -> str:
        """Show a moment in the municipality's time zone: "30-11-2026 17:00"."""
        return f"{moment.astimezone(self.config.municipality.zone):%d-%m-%Y %H:%M}"

    def reminder(self, report: Report, waited: timedelta, language: Language) -> Rendered:
        """Render the reminder in the lead partner's chat of a report unclaimed past due_at."""
        text = t(
            T.P_REMINDER,
            language,
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            buurt=report.location.neighbourhood.buurt_name,
            waited=age_text(waited, language),
            due=self.local_time(report.due_at) if report.due_at else "-",
        )
        return html_text(text)

    def escalation(
        self, report: Report, waited: timedelta, reminded_at: datetime, language: Language
    ) -> Rendered:
        """Render the coordinator's notice of a report still unclaimed after its reminder."""
        hood = report.location.neighbourhood
        text = t(
            T.P_ESCALATION,
            language,
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            buurt=hood.buurt_name,
            wijk=hood.wijk_name,
            partner=self.partner_name(report.lead_partner, language),
            waited=age_text(waited, language),
            reminded=self.local_time(reminded_at),
        )
        return html_text(text)

    def unreachable(self, chat_id: int, reason: str, language: Language) -> Rendered:
        """Render the coordinator's notice that a partner chat refuses the bot."""
        text = t(T.P_UNREACHABLE, language, chat=chat_id, reason=reason[:MAX_REASON])
        return html_text(text)

    def hotspot(self, notice: HotspotNotice, language: Language) -> Rendered:
        """Render the coordinator's message about a new, grown or ended hotspot."""
        place = notice.place
        category = self.category_name(notice.category_id, language)
        if notice.kind == "ended":
            return html_text(t(T.P_HOTSPOT_ENDED, language, place=place, category=category))
        partners = ", ".join(self.partner_name(p, language) for p in notice.partners)
        text = t(
            T.P_HOTSPOT_GROWN if notice.kind == "grown" else T.P_HOTSPOT_NEW,
            language,
            place=place,
            category=category,
            count=notice.observed,
            reports=notice.reports,
            expected=f"{notice.expected:.1f}",
            partners=partners or "-",
        )
        if notice.cold_start:
            text = Html(text + "\n" + t(T.P_HOTSPOT_COLD_START, language))
        if not notice.hotspot_id:
            return html_message(text)
        # A photo with the text as its caption: the buurt and its reports as blurred density.
        caption = text + "\n" + t(T.P_HOTSPOT_PICTURE_NOTE, language)
        keyboard = hotspot_buttons(notice.hotspot_id, language, with_map=False)
        params = {
            "photo": f"{GENERATED_PICTURE}hotspot:{notice.hotspot_id}",
            "caption": caption,
            "parse_mode": "HTML",
            "reply_markup": keyboard.to_dict(),
        }
        return Rendered(params, method="sendPhoto")

    def hotspot_joint(self, notice: HotspotNotice, language: Language) -> Rendered:
        """Render the request to a partner's group to take a hotspot on together."""
        partners = ", ".join(self.partner_name(p, language) for p in notice.partners)
        text = t(
            T.P_HOTSPOT_JOINT_NOTICE,
            language,
            place=notice.place,
            category=self.category_name(notice.category_id, language),
            count=notice.observed,
            expected=f"{notice.expected:.1f}",
            partners=partners or "-",
        )
        return html_text(text)
