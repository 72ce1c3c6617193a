"""Answer everything the conversation does not expect, so nothing is silently ignored."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.common import one_at_a_time
from handlers.report_flow import Conversation
from handlers.services import SERVICES_KEY, Services, language_of
from handlers.texts import T, plain, t
from reports.models import Language

log = logging.getLogger(__name__)


@one_at_a_time
async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a typed answer."""
    assert update.message is not None
    await (await Conversation.of(update, context)).on_text(update.message)


@one_at_a_time
async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a shared location or venue."""
    assert update.message is not None
    await (await Conversation.of(update, context)).on_location(update.message)


@one_at_a_time
async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a photo."""
    assert update.message is not None
    await (await Conversation.of(update, context)).on_photo(update.message)


@one_at_a_time
async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say that this kind of message cannot be handled, and what is expected instead."""
    conv = await Conversation.of(update, context)
    await conv.say(t(T.UNSUPPORTED_MESSAGE, conv.language))
    await conv.remind(await conv.draft())


@one_at_a_time
async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point to /help."""
    conv = await Conversation.of(update, context)
    await conv.say(t(T.UNKNOWN_COMMAND, conv.language))


@one_at_a_time
async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for a new message instead of an edit; live-location updates pass quietly."""
    message = update.edited_message
    if message is None or message.location is not None:
        return
    conv = await Conversation.of(update, context)
    await conv.say(t(T.EDITED_MESSAGE, conv.language))


async def group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point residents who use a command in a group to a private chat."""
    message = update.effective_message
    if message is None:
        return
    svc = context.bot_data.get(SERVICES_KEY)
    user = update.effective_user
    lang = await language_of(svc, user) if isinstance(svc, Services) else Language.NL
    link = f"https://t.me/{context.bot.username}"
    await message.reply_html(t(T.GROUP_USE_PRIVATE, lang, link=link), do_quote=True)


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
    try:
        query = update.callback_query
        if query is not None:
            await query.answer(plain(T.INTERNAL_ERROR, lang)[:200], show_alert=True)
        chat = update.effective_chat
        if chat is not None and chat.type == "private":
            await context.bot.send_message(
                chat_id=chat.id, text=t(T.INTERNAL_ERROR, lang), parse_mode="HTML"
            )
    except TelegramError:
        log.warning("could not tell the resident about the failure")
