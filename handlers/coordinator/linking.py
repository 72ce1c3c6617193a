"""Link a partner's group chat with /koppel, and unlink it with /ontkoppel (coordinator only).

Both answer in the coordinator's language: the coordinator sets partner chats up.
"""

from __future__ import annotations

import logging

from telegram import ChatMemberAdministrator, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.coordinator.views import coordinator_language, texts_of
from handlers.services import services
from handlers.texts import T, t
from services.coordination import (
    LinkOutcome,
    NotCoordinatorChat,
    UnlinkOutcome,
    link_chat,
    unlink_partner,
)

log = logging.getLogger(__name__)

_LINK_ANSWERS = {
    LinkOutcome.LINKED: T.P_LINKED,
    LinkOutcome.BAD_CODE: T.P_LINK_BAD_CODE,
}
_UNLINK_ANSWERS = {
    UnlinkOutcome.UNLINKED: T.P_UNLINKED,
    UnlinkOutcome.NOT_LINKED: T.P_NOTHING_LINKED,
}


async def link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Link this group to a partner when the deployment's link code is given."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    svc = services(context)
    lang = coordinator_language(svc)
    if chat.type == ChatType.PRIVATE:
        await message.reply_html(t(T.P_LINK_PRIVATE, lang))
        return
    args = context.args or []
    partner_id, code = args if len(args) == 2 else ("", "")
    outcome = await link_chat(svc, chat.id, user.id, partner_id, code)
    if outcome is LinkOutcome.UNKNOWN_PARTNER:
        ids = ", ".join(p.id for p in svc.config.partners)
        await message.reply_html(t(T.P_LINK_USAGE, lang, ids=ids))
        return
    if outcome is LinkOutcome.DISABLED:
        await message.reply_html(t(T.P_LINK_DISABLED, lang))
        return
    await _remove_code(context, message)  # it held the code, right or wrong
    partner = texts_of(svc).partner_name(partner_id, lang)
    answer = t(_LINK_ANSWERS[outcome], lang, partner=partner)
    await context.bot.send_message(chat.id, answer, parse_mode="HTML")


async def _remove_code(context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """Delete the message with the code when the bot may; otherwise it stays (and is logged)."""
    try:
        me = await context.bot.get_chat_member(message.chat.id, context.bot.id)
        if isinstance(me, ChatMemberAdministrator) and me.can_delete_messages:
            await message.delete()
            return
    except TelegramError as exc:
        log.info("could not delete the /koppel message: %s", exc.message)
        return
    log.info("the /koppel message stays in chat %s: the bot may not delete it", message.chat.id)


async def unlink(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Unlink a partner; only the coordinator's chat may do this."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc = services(context)
    lang = coordinator_language(svc)
    args = context.args or []
    partner_id = args[0] if len(args) == 1 else ""
    try:
        outcome = await unlink_partner(svc, chat.id, partner_id)
    except NotCoordinatorChat:
        await message.reply_html(t(T.P_UNLINK_NOT_ALLOWED, lang))
        return
    if outcome is UnlinkOutcome.UNKNOWN_PARTNER:
        await message.reply_html(t(T.P_UNLINK_USAGE, lang))
        return
    partner = texts_of(svc).partner_name(partner_id, lang)
    await message.reply_html(t(_UNLINK_ANSWERS[outcome], lang, partner=partner))
