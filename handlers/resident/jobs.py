"""Run the resident-side jobs the scheduler triggers."""

from __future__ import annotations

import logging

from telegram import ReplyKeyboardRemove
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from handlers.services import services
from handlers.texts import T, t
from services.drafting import Drafting

log = logging.getLogger(__name__)


async def expire_drafts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase drafts untouched for too long and tell their residents."""
    svc = services(context)
    minutes = svc.config.timings.draft_expiry_minutes
    for draft in await Drafting(svc).expire():
        log.info("draft %s expired", draft.token)
        try:
            await context.bot.send_message(
                chat_id=draft.chat_id,
                text=t(T.DRAFT_EXPIRED, draft.language, count=minutes),
                parse_mode=ParseMode.HTML,
                reply_markup=ReplyKeyboardRemove(),
            )
        except Forbidden:
            log.info("resident of draft %s blocked the bot", draft.token)
        except TelegramError as exc:
            log.warning("could not tell about expired draft %s: %s", draft.token, exc)
