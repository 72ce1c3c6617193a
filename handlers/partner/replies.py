"""Take a caseworker's typed reply in a partner chat to a report's notification or prompt.

A reply to a notification is a question for the reporter; a reply to a prompt completes what
the prompt's button asked for. Replies to anything else are not ours and are left alone.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.partner.answers import refusal_text, show
from handlers.services import services
from handlers.texts import T, plain, t
from services.casework import Caseworker, Conflict, Refused
from services.casework_texts import Asked, CaseworkTexts, TooLong
from services.chain import chat_language


async def case_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a caseworker's typed reply to a prompt or to a notification."""
    message = update.message
    chat = update.effective_chat
    user = message.from_user if message is not None else None
    if message is None or chat is None or user is None or not message.text:
        return
    replied = message.reply_to_message
    if replied is None:
        return
    svc = services(context)
    who = Caseworker(user.id, user.first_name, chat.id)
    outcome = await CaseworkTexts(svc, who).take_text(replied.message_id, message.text)
    if outcome is None:
        return
    lang = await chat_language(svc, chat.id)
    if isinstance(outcome, Refused | Conflict):
        await message.reply_text(refusal_text(outcome, svc.config, lang))
        return
    if isinstance(outcome, TooLong):
        await message.reply_text(
            plain(T.P_TEXT_TOO_LONG, lang, length=outcome.length, max=outcome.limit)
        )
        return
    if isinstance(outcome, Asked):
        await message.reply_html(
            t(
                T.P_RELAYED_QUESTION_SENT,
                lang,
                name=who.name,
                reference=outcome.report.reference,
                text=outcome.question,
            )
        )
    for message_id in outcome.notifications:
        await show(context.bot, chat.id, message_id, outcome.report, svc.config, lang)
