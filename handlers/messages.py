"""Render the messages the use cases queue: texts in the reader's language, with their buttons.

This is the Telegram side of `services.ports.Messages`: a partner chat reads the language the
use case passes (its partner's, `[partners.<id>] language`), residents their own language;
every keyboard carries the callback data of the handlers that answer its buttons.
"""

from __future__ import annotations

import html
from datetime import datetime

from config.municipality import MunicipalityConfig
from handlers.common import html_message
from handlers.coordinator.messages import CoordinatorMessages
from handlers.partner.messages import PartnerMessages
from handlers.partner.view import case_buttons, notification_text
from handlers.proactive.messages import ProactiveMessages
from handlers.texts import Html, T, t
from reports.models import Language, Report
from services.ports import Badge, Rendered, Reporter, ResidentNews, Shown

NEWS = {
    ResidentNews.CLAIMED: T.R_CLAIMED,
    ResidentNews.FORWARDED: T.R_FORWARDED,
    ResidentNews.QUESTION: T.R_QUESTION,
    ResidentNews.RESOLVED: T.R_RESOLVED,
    ResidentNews.PASSED_ON: T.R_PASSED_ON,
}


def mention(user_id: int, first_name: str, username: str | None = None) -> Html:
    """Return a tap-to-open mention of a Telegram user."""
    handle = f" (@{html.escape(username)})" if username else ""
    return Html(f'<a href="tg://user?id={user_id}">{html.escape(first_name)}</a>{handle}')


MAX_EDIT_CHARS = 4000
"""Longest HTML an edit may carry (Telegram takes 4096 characters of text; the HTML is never
shorter than its text)."""


class TelegramMessages(PartnerMessages, CoordinatorMessages, ProactiveMessages):
    """Render every message the use cases queue, as Bot API calls."""

    def __init__(self, config: MunicipalityConfig) -> None:
        self.config = config

    # --- names -------------------------------------------------------------------------------

    def partner_name(self, partner_id: str | None, language: Language) -> str:
        """Return a partner's name in a language (the coordinator's when none is given)."""
        partner = self.config.partner(partner_id or self.config.routing.fallback)
        return partner.name(language) if partner else (partner_id or "")

    def category_name(self, category_id: str, language: Language) -> str:
        """Return a category's name."""
        category = self.config.category(category_id)
        return category.name(language) if category else category_id

    def local_date(self, moment: datetime) -> str:
        """Return a moment's day as residents read it: "01-12-2026"."""
        return f"{moment.astimezone(self.config.municipality.zone):%d-%m-%Y}"

    def local_time(self, moment: datetime) -> str:
        """Return a moment as partners read it: "01-12-2026 14:30"."""
        return f"{moment.astimezone(self.config.municipality.zone):%d-%m-%Y %H:%M}"

    # --- the chain ---------------------------------------------------------------------------

    def badge(self, badge: Badge, lang: Language) -> str:
        """Say above a notification why this chat gets it."""
        lines = []
        if badge.stand_in_for is not None:
            partner = self.partner_name(badge.stand_in_for, lang)
            lines.append(t(T.P_BADGE_UNLINKED, lang, partner=partner))
        if badge.informed_of is not None:
            lines.append(t(T.P_BADGE_INFO, lang, lead=self.partner_name(badge.informed_of, lang)))
        if badge.forwarded_from is not None:
            partner = self.partner_name(badge.forwarded_from, lang)
            lines.append(t(T.P_BADGE_FORWARDED, lang, partner=partner))
        if badge.rejected_by is not None:
            partner = self.partner_name(badge.rejected_by, lang)
            lines.append(t(T.P_BADGE_REJECTED, lang, partner=partner, reason=badge.reason))
        return "\n".join(lines)

    def notification(
        self, report: Report, badge: Badge, reporter: Reporter | None, language: Language
    ) -> Rendered:
        """Render a report's notification; with buttons for the lead, without for the informed."""
        who = (
            mention(reporter.user_id, reporter.first_name, reporter.username) if reporter else None
        )
        text = notification_text(
            report, self.config, language, badge=self.badge(badge, language), reporter=who
        )
        keyboard = None if badge.informed_of is not None else case_buttons(report, language)
        return html_message(text, keyboard)

    def confirmation(self, report: Report, *, held: bool = False) -> Rendered:
        """Render the confirmation of a stored report with its reference, closing the keyboard."""
        key = T.CONFIRMED_HELD if held else T.CONFIRMED
        text = t(key, report.language, reference=report.reference)
        return Rendered(
            {"text": text, "parse_mode": "HTML", "reply_markup": {"remove_keyboard": True}}
        )

    def confirmation_under(self, report: Report, summary: Shown, *, held: bool = False) -> Rendered:
        """Render the confirmation as an edit of the confirmed summary (its buttons go)."""
        own = self.confirmation(report, held=held).params["text"]
        text = f"{summary.html}\n\n{own}"
        if len(text) > MAX_EDIT_CHARS:
            text = own  # (a summary of thousands of escaped characters) the reference alone
        return Rendered(
            {"message_id": summary.message_id, "text": text, "parse_mode": "HTML"},
            method="editMessageText",
        )

    # --- erasure -----------------------------------------------------------------------------

    def erased_notification(self, report: Report, language: Language, *, buttons: bool) -> Rendered:
        """Render the edit that empties a notification, keeping the buttons when asked."""
        text = notification_text(report, self.config, language)
        keyboard = case_buttons(report, language) if buttons else None
        return Rendered(html_message(text, keyboard).params, method="editMessageText")

    def erased_message(self, report: Report, language: Language, *, caption: bool) -> Rendered:
        """Render the edit that empties a relayed text (or a photo's caption) about a report."""
        text = t(T.P_ERASED_MESSAGE, language, reference=report.reference)
        if caption:
            return Rendered({"caption": text, "parse_mode": "HTML"}, method="editMessageCaption")
        return Rendered({"text": text, "parse_mode": "HTML"}, method="editMessageText")

    def resident_news(self, report: Report, news: ResidentNews, **values: str) -> Rendered:
        """Render a message to the reporter about their report, in their language."""
        language = report.language
        partner = self.partner_name(report.lead_partner, language)
        text = t(NEWS[news], language, reference=report.reference, partner=partner, **values)
        return html_message(text)
