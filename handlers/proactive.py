"""Let residents turn off what Meldbot sends on its own initiative, and turn it on again.

Follow-ups, surveys, tips and digests are proactive. `/stop` or the stop button under any of
them turns them off for the resident and cancels the pending ones; `/start` turns them on
again. A resident who blocked the bot (Telegram answers 403) is treated as stopped until they
write to the bot again. Messages about their reports (a caseworker's question, the outcome)
are not proactive and keep coming.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.services import Services, language_of, services
from handlers.texts import T, plain, t
from reports.models import Language
from storage.database import Session
from storage.outbox import OutgoingMessage, Priority
from storage.residents import OptOut, proactive_off

log = logging.getLogger(__name__)

STOP_DATA = "o:stop"
"""Callback data of the stop button under every proactive message."""


def stop_row(language: Language) -> list[InlineKeyboardButton]:
    """Return the keyboard row with the stop button, for under a proactive message."""
    return [InlineKeyboardButton(plain(T.BTN_PROACTIVE_STOP, language), callback_data=STOP_DATA)]


async def queue_proactive(
    svc: Services,
    session: Session,
    *,
    user_id: int,
    kind: str,
    params: dict[str, Any],
    due: datetime,
    now: datetime,
    report_id: int | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a proactive message to a resident's private chat; return its row id.

    Nothing is queued (None) for a resident who turned proactive messages off or blocked the
    bot, or when the dedupe key was used before. The message goes as bulk, at `due` moved past
    the quiet hours; `kind` must start with a proactive prefix ("followup.", "survey.", "tip.",
    "digest.") so that /stop, quiet hours and the grace period apply to it.
    """
    if not user_id or await proactive_off(session, user_id) is not None:
        return None
    policy = svc.config.schedule.send_policy(svc.config.municipality.zone)
    return await svc.outbox.enqueue(
        session,
        OutgoingMessage(
            chat_id=user_id,  # a private chat's id is its user's id
            method="sendMessage",
            params=params,
            priority=Priority.BULK,
            due_at=policy.deliverable_at(due),
            kind=kind,
            report_id=report_id,
            dedupe_key=dedupe_key,
        ),
        now=now,
    )


async def turn_off(svc: Services, user_id: int, language: Language) -> str:
    """Turn proactive messages off for a resident; return what to tell them."""
    before, cancelled = await svc.residents.opt_out(user_id, OptOut.STOP, svc.clock.now())
    log.info("proactive messages off for a resident (%d pending cancelled)", cancelled)
    return t(T.STOP_ALREADY if before is OptOut.STOP else T.STOP_DONE, language)


@one_at_a_time
async def stop_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn follow-ups, surveys and tips off after /stop."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    svc = services(context)
    language = await language_of(svc, user)
    await send(context, chat.id, await turn_off(svc, user.id, language))


@one_at_a_time
async def stop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn follow-ups, surveys and tips off after a press on the stop button."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    svc = services(context)
    language = await language_of(svc, query.from_user)
    if chat is None or chat.type != ChatType.PRIVATE or chat.id != query.from_user.id:
        await query.answer(plain(T.UNKNOWN_BUTTON, language), show_alert=True)
        return
    text = await turn_off(svc, query.from_user.id, language)
    await query.answer()
    await close_question(query)
    await send(context, chat.id, text)


async def welcome_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn proactive messages on again: after /start, or when a blocked resident writes."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    svc = services(context)
    words = (message.text or "").split(maxsplit=1)
    starting = bool(words) and words[0].split("@", 1)[0].lower() == "/start"
    reason = await svc.residents.proactive_off(user.id)
    if reason is None or (reason is OptOut.STOP and not starting):
        return  # the common case: one read, no write
    cleared = await svc.residents.opt_in(
        user.id, svc.clock.now(), only=None if starting else OptOut.BLOCKED
    )
    if cleared is OptOut.STOP:
        language = await language_of(svc, user)
        await send(context, message.chat.id, t(T.START_RESUMED, language))
    elif cleared is OptOut.BLOCKED:
        log.info("a resident who had blocked the bot writes again")


async def resident_unreachable(svc: Services, chat_id: int) -> None:
    """Schedule nothing more for a resident who blocked the bot, and cancel what was pending."""
    if chat_id <= 0:
        return  # a group: the coordinator is told elsewhere
    _, cancelled = await svc.residents.opt_out(chat_id, OptOut.BLOCKED, svc.clock.now())
    log.info("a resident blocked the bot; %d pending proactive messages cancelled", cancelled)
