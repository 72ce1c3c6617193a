"""Render what Meldbot sends residents on its own initiative, and what partners hear of it.

The proactive part of `TelegramMessages` (handlers/messages.py), which adds this mixin to its
bases: the follow-up question, the survey's first question, the tip and the digest for
residents, in their language; the answers to follow-ups, additions and reopenings for the
lead partner's chat, in the language of that chat (which the use case passes). Names of
partners and categories and local dates come from `TelegramMessages`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardMarkup

from config.localized import SurveyReason
from config.municipality import MunicipalityConfig
from handlers.common import html_message
from handlers.proactive.keyboards import followup_keyboard, satisfied_keyboard, stop_row
from handlers.proactive.panel_keys import offer_keyboard, question_keyboard
from handlers.services import Services
from handlers.texts import Html, T, t
from reports.models import Language, Report
from services.ports import Digest, FollowupNews, Rendered

MAX_CAPTION_CHARS = 900
"""The longest addition shown in a photo's caption (Telegram allows 1024, our frame included)."""

_NEWS = {FollowupNews.ONGOING: T.P_FOLLOWUP_ONGOING, FollowupNews.SOLVED: T.P_FOLLOWUP_SOLVED}


class ProactiveMessages:
    """Render proactive messages and what partners hear about their answers."""

    # Provided by TelegramMessages, the class this mixin is part of.
    config: MunicipalityConfig
    partner_name: Callable[[str | None, Language], str]
    category_name: Callable[[str, Language], str]
    local_date: Callable[[datetime], str]
    local_time: Callable[[datetime], str]

    # --- residents ---------------------------------------------------------------------------

    def followup_question(
        self, report: Report, number: int, reported_on: datetime | None = None
    ) -> Rendered:
        """Render the n-th "is it still going on?" question with its answer buttons."""
        language = report.language
        text = t(
            T.R_FOLLOWUP_QUESTION,
            language,
            date=self.local_date(reported_on or report.created_at),
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            buurt=report.location.neighbourhood.buurt_name,
        )
        return html_message(text, followup_keyboard(report.id, number, language))

    def survey_question(self, report: Report) -> Rendered:
        """Render the first survey question ("were you satisfied?") with its buttons."""
        language = report.language
        text = t(
            T.R_SURVEY_QUESTION,
            language,
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            buurt=report.location.neighbourhood.buurt_name,
        )
        return html_message(text, satisfied_keyboard(report.id, language))

    def tip(self, report: Report, tip: str) -> Rendered:
        """Render a prevention tip after a report."""
        language = report.language
        text = t(
            T.R_TIP,
            language,
            reference=report.reference,
            category=self.category_name(report.category_id, language),
            tip=tip,
        )
        return html_message(text, InlineKeyboardMarkup([stop_row(language)]))

    def digest(self, digest: Digest) -> Rendered:
        """Render a subscriber's digest: counts per category and resolved ones, with a tip."""
        language = digest.language
        lines = "\n".join(
            t(T.R_DIGEST_LINE, language, category=self.category_name(c, language), count=n)
            for c, n in digest.per_category.items()
        ) or t(T.R_DIGEST_NONE, language)
        text = t(
            T.R_DIGEST,
            language,
            wijk=digest.wijk,
            since=self.local_date(digest.since),
            until=self.local_date(digest.until),
            lines=Html(lines),
            resolved=digest.resolved,
            total=sum(digest.per_category.values()),
            tip=digest.tip or "-",
        )
        return html_message(text, InlineKeyboardMarkup([stop_row(language)]))

    def panel_question(self, round_key: str, round_label: str, language: Language) -> Rendered:
        """Render a panel round's question with its three answers and "leave the panel"."""
        text = t(T.PANEL_QUESTION, language, round=round_label)
        return html_message(text, question_keyboard(round_key, language))

    def panel_offer(self, language: Language) -> Rendered:
        """Render the one offer to join the neighbourhood panel, after a report."""
        text = t(T.PANEL_OFFER, language, rounds=self.config.panel.rounds_per_year)
        return html_message(text, offer_keyboard(language))

    def panel_rebuurt(self, buurt: str, language: Language) -> Rendered:
        """Render the request to choose one's buurt again after a boundary update."""
        return html_message(t(T.PANEL_REBUURT, language, buurt=buurt))

    # --- the lead partner's chat -------------------------------------------------------------

    def followup_news(
        self, report: Report, news: FollowupNews, language: Language, *, co_reporter: bool = False
    ) -> Rendered:
        """Render the lead partner's message about a follow-up answer (with the recurrences)."""
        text = t(_NEWS[news], language, reference=report.reference, count=report.recurrence_count)
        return html_message(_from_co_reporter(text, language) if co_reporter else text)

    def addition(
        self,
        report: Report,
        text: str,
        photo_file_id: str | None,
        language: Language,
        *,
        co_reporter: bool = False,
    ) -> Rendered:
        """Render the resident's addition for the partner chat: a text, or a photo with it."""
        reference = report.reference
        if photo_file_id is None:
            body = t(T.P_FOLLOWUP_ADDITION, language, reference=reference, text=text)
            return html_message(_from_co_reporter(body, language) if co_reporter else body)
        marker = f"\n{t(T.P_BY_CO_REPORTER, language)}" if co_reporter else ""
        room = MAX_CAPTION_CHARS - len(marker)
        caption = (
            t(T.P_FOLLOWUP_ADDITION, language, reference=reference, text=text[:room])
            if text
            else t(T.P_FOLLOWUP_ADDITION_PHOTO, language, reference=reference)
        )
        params = {"photo": photo_file_id, "caption": caption + marker, "parse_mode": "HTML"}
        return Rendered(params, method="sendPhoto")

    def reopened(
        self, report: Report, reason: SurveyReason, language: Language, *, co_reporter: bool = False
    ) -> Rendered:
        """Render the lead partner's message that the resident reopened the report (new due)."""
        text = t(
            T.P_SURVEY_REOPENED,
            language,
            reference=report.reference,
            reason=reason.text(language),
            due=self.local_time(report.due_at) if report.due_at else "-",
        )
        return html_message(_from_co_reporter(text, language) if co_reporter else text)


def _from_co_reporter(text: str, language: Language) -> str:
    """Return a partner message with the line that a co-reporter, not the reporter, sent it."""
    return f"{text}\n{t(T.P_BY_CO_REPORTER, language)}"


def proactive_messages(svc: Services) -> ProactiveMessages:
    """Return the renderer the services use, for names and dates in direct replies too."""
    messages = svc.messages
    if not isinstance(messages, ProactiveMessages):
        raise TypeError("the services render messages without the proactive ones")
    return messages
