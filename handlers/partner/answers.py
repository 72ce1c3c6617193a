"""Show a caseworker what came of an action: alerts, and the notification as it now stands.

Everything is in the language of the chat the caseworker acts in (`services.chain.chat_language`).
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from config.municipality import MunicipalityConfig
from handlers.partner.view import case_buttons, notification_text, status_line
from handlers.texts import T, plain
from reports.models import Language, Report
from services.casework import Conflict, Refusal, Refused

log = logging.getLogger(__name__)


def refusal_text(outcome: Refused | Conflict, config: MunicipalityConfig, lang: Language) -> str:
    """Say why nothing changed: not allowed here, or the report changed meanwhile."""
    if isinstance(outcome, Conflict):
        report = outcome.report
        if outcome.claimed_by_other:
            return plain(T.P_ALERT_CLAIMED_BY, lang, name=report.claimed_by_name or "?")
        return plain(T.P_ALERT_STALE, lang, status=status_line(report, config, lang))
    if outcome.reason is Refusal.NOT_CASEWORKER:
        partner = config.partner(outcome.partner_id or "")
        return plain(T.P_ALERT_NOT_CASEWORKER, lang, partner=partner.name(lang) if partner else "")
    if outcome.reason is Refusal.NOT_HERE:
        return plain(T.P_ALERT_NOT_HERE, lang)
    return plain(T.UNKNOWN_BUTTON, lang)


async def show(
    bot: Bot,
    chat_id: int,
    message_id: int,
    report: Report,
    config: MunicipalityConfig,
    lang: Language,
    *,
    forwarded_to: str | None = None,
    forwarded_by: str | None = None,
) -> None:
    """Edit a notification to the report's state, with the buttons that fit it now.

    A notification whose report was forwarded from this chat keeps no buttons.
    """
    text = notification_text(
        report, config, lang, forwarded_to=forwarded_to, forwarded_by=forwarded_by
    )
    keyboard = None if forwarded_to is not None else case_buttons(report, lang)
    try:
        await bot.edit_message_text(
            chat_id=chat_id,
            message_id=message_id,
            text=text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
    except BadRequest as exc:
        log.info("notification %s/%s not edited: %s", chat_id, message_id, exc.message)
