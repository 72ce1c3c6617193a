"""Answer every failure: log it without personal data and tell the resident their input is kept.

When the resident (or a caseworker pressing a button) was told, the update being handled is
marked so: they were asked to try again, so the intake does not handle it again by itself
(bot/intake.py).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.services import SERVICES_KEY, Services, language_of
from handlers.texts import T, plain, t
from reports.models import Language
from services.failures import sender_was_told

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without personal data, and tell the resident their input is kept."""
    log.error("handling an update failed", exc_info=context.error)
    if not isinstance(update, Update):
        return
    svc = context.bot_data.get(SERVICES_KEY)
    lang = Language.NL
    if isinstance(svc, Services):
        try:
            lang = await language_of(svc, update.effective_user)
        except Exception:
            log.exception("could not read the resident's language")
    query = update.callback_query
    if query is not None:
        try:
            # False: Telegram no longer takes an answer to this press (bot/telegram_bot.py).
            shown = await query.answer(plain(T.INTERNAL_ERROR, lang)[:200], show_alert=True)
            if shown:
                sender_was_told()
        except TelegramError:
            log.warning("could not show the failure on the button")
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        try:
            await context.bot.send_message(
                chat_id=chat.id, text=t(T.INTERNAL_ERROR, lang), parse_mode="HTML"
            )
            sender_was_told()
        except TelegramError:
            log.warning("could not tell the resident about the failure")
