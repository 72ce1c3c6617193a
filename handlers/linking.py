"""Link a partner's group chat with /koppel, and unlink it with /ontkoppel (coordinator only)."""

from __future__ import annotations

import hmac
import logging

from telegram import ChatMemberAdministrator, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.chain import Chain, partner_label
from handlers.chain_view import PARTNER_LANGUAGE
from handlers.services import services
from handlers.texts import T, t

log = logging.getLogger(__name__)


async def link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Link this group to a partner when the deployment's link code is given."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    svc = services(context)
    lang = PARTNER_LANGUAGE
    if chat.type == ChatType.PRIVATE:
        await message.reply_html(t(T.P_LINK_PRIVATE, lang))
        return
    if svc.link_code is None:
        await message.reply_html(t(T.P_LINK_DISABLED, lang))
        return
    args = context.args or []
    ids = ", ".join(p.id for p in svc.config.partners)
    if len(args) != 2 or svc.config.partner(args[0]) is None:
        await message.reply_html(t(T.P_LINK_USAGE, lang, ids=ids))
        return
    partner_id, code = args
    await _remove_code(context, message)
    if not hmac.compare_digest(code.encode(), svc.link_code.encode()):
        log.warning("wrong link code for %s in chat %s", partner_id, chat.id)
        await context.bot.send_message(chat.id, t(T.P_LINK_BAD_CODE, lang), parse_mode="HTML")
        return
    await svc.cases.link(partner_id, chat.id, user.id, svc.clock.now())
    log.info("chat %s linked to partner %s", chat.id, partner_id)
    label = partner_label(svc, partner_id)
    await context.bot.send_message(chat.id, t(T.P_LINKED, lang, partner=label), parse_mode="HTML")


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
    lang = PARTNER_LANGUAGE
    links = await svc.cases.links()
    coordinator = Chain(svc).destination(svc.config.routing.fallback, links)
    if coordinator is None or coordinator.stand_in or coordinator.chat_id != chat.id:
        await message.reply_html(t(T.P_UNLINK_NOT_ALLOWED, lang))
        return
    args = context.args or []
    if len(args) != 1 or svc.config.partner(args[0]) is None:
        await message.reply_html(t(T.P_UNLINK_USAGE, lang))
        return
    label = partner_label(svc, args[0])
    removed = await svc.cases.unlink(args[0])
    await message.reply_html(
        t(T.P_UNLINKED if removed else T.P_NOTHING_LINKED, lang, partner=label)
    )
