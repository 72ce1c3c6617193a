"""Answer a resident's update again whose effects were stored before a crash took the answer.

The intake (bot/intake.py) hands an update here instead of to the handlers when it was marked
applied: its draft answer, report or choice is stored, so handling it again could file it
twice or in the wrong place (an address replayed as the description). What was lost is only
the bot's answer; this gives one from what is stored now. Messages that matter beyond that
(the reference after "Send", notifications) were queued in the outbox with the effects.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.resident.conversation import Conversation
from handlers.texts import T, t

log = logging.getLogger(__name__)


async def answer_again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask the current question of the resident's draft again; else say the message was
    handled. Presses outside a draft and updates from groups need nothing more."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()  # one Telegram no longer takes returns False
        except TelegramError:
            log.info("a press answered again could not be answered (Telegram failed)")
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return
    conv = await Conversation.of(update, context)
    draft = await conv.draft()
    if draft is not None:
        await conv.say(t(T.RESUMING, conv.language))
        await conv.ask(draft)
    elif update.message is not None:
        await conv.say(t(T.HANDLED_AFTER_RESTART, conv.language))
