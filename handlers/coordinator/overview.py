"""Give the coordinator an overview in their own chat: /open and /melding <reference>.

Both commands answer only in the coordinator's chat (linked, or configured), in the
coordinator's language; anywhere else they say so and show nothing. Long answers go as
several messages (see `format.Pager`); /open reads only the reports those messages show.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import aclosing

from telegram import Chat, Message, Update, User
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.coordinator.format import Pager, paginate
from handlers.coordinator.views import case_lines, coordinator_language, open_lines, texts_of
from handlers.services import Services, language_of, services
from handlers.texts import T, t
from services.chain import chat_language
from services.coordination import (
    NotCoordinatorChat,
    open_reports,
    remember_shown,
    report_details,
)

MAX_REFERENCE = 40


async def show_open_reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the open reports per partner, oldest first (coordinator's chat only)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc = services(context)
    try:
        overview = await open_reports(svc, chat.id)
    except NotCoordinatorChat:
        await refuse(svc, message, chat, update.effective_user)
        return
    lang = coordinator_language(svc)
    pager = Pager(lambda n: t(T.P_OPEN_MORE, lang, count=n), overview.count)
    async with aclosing(open_lines(overview, texts_of(svc), lang)) as lines:
        async for line in lines:
            if not pager.add(line):
                break
    await send_pages(message, pager.pages())


async def show_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show one report's details and history (coordinator's chat only)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    svc = services(context)
    lang = coordinator_language(svc)
    args = context.args or []
    reference = args[0].strip().upper()[:MAX_REFERENCE] if len(args) == 1 else ""
    try:
        case = await report_details(svc, chat.id, reference)
    except NotCoordinatorChat:
        await refuse(svc, message, chat, update.effective_user)
        return
    if not reference:
        example = f"{svc.config.municipality.reference_prefix}-{svc.clock.now():%Y}-0042"
        await message.reply_html(t(T.P_CASE_USAGE, lang, example=example))
    elif case is None:
        await message.reply_html(t(T.P_CASE_UNKNOWN, lang, reference=reference))
    else:
        lines = case_lines(case, texts_of(svc), lang)
        pages = paginate(lines, lambda n: t(T.P_CASE_MORE, lang, count=n))
        shown = await send_pages(message, pages)
        await remember_shown(svc, chat.id, case.report.id, [m.message_id for m in shown])


async def refuse(svc: Services, message: Message, chat: Chat, user: User | None) -> None:
    """Say that the command works only in the coordinator's chat, in the language of this one.

    Privately that is the resident's language; in a group, that of the partner whose chat it is.
    """
    if chat.type == ChatType.PRIVATE:
        lang = await language_of(svc, user)
    else:
        lang = await chat_language(svc, chat.id)
    await message.reply_html(t(T.P_COORDINATOR_ONLY, lang))


async def send_pages(message: Message, pages: Sequence[str]) -> list[Message]:
    """Answer with every page, in order; return the messages sent."""
    return [await message.reply_html(page) for page in pages]
