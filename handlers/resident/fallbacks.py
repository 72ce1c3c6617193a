"""Answer everything the conversation does not expect, so nothing is silently ignored."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import one_at_a_time
from handlers.resident import answers
from handlers.resident.conversation import Conversation
from handlers.services import SERVICES_KEY, Services, language_of
from handlers.texts import T, t
from reports.models import Language

log = logging.getLogger(__name__)


@one_at_a_time
async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a typed answer."""
    assert update.message is not None
    await answers.on_text(await Conversation.of(update, context), update.message)


@one_at_a_time
async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a shared location or venue."""
    assert update.message is not None
    await answers.on_location(await Conversation.of(update, context), update.message)


@one_at_a_time
async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a photo."""
    assert update.message is not None
    await answers.on_photo(await Conversation.of(update, context), update.message)


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
