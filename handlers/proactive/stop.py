"""Turn proactive messages off with /stop or the stop button, and on again with /start.

The use cases are in services/preferences.py. `welcome_back` runs before every other handler
(group -1) on every private message: /start turns proactive messages on again, and any
message of a resident who had blocked the bot lifts the block.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import resident_press
from handlers.services import language_of, services
from handlers.texts import T, t
from reports.records import OptOut
from services import preferences
from services.preferences import StopOutcome

_SAID = {StopOutcome.STOPPED: T.STOP_DONE, StopOutcome.ALREADY: T.STOP_ALREADY}


@one_at_a_time
async def stop_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn follow-ups, surveys and tips off after /stop."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    svc = services(context)
    language = await language_of(svc, user)
    outcome = await preferences.stop(svc, user.id)
    await send(context, chat.id, t(_SAID[outcome], language))


@one_at_a_time
async def stop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn follow-ups, surveys and tips off after a press on the stop button."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    outcome = await preferences.stop(pressed.svc, pressed.user_id)
    await pressed.query.answer()
    await close_question(pressed.query)
    await send(context, pressed.user_id, t(_SAID[outcome], pressed.language))


async def welcome_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn proactive messages on again: after /start, or when a blocked resident writes."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    svc = services(context)
    words = (message.text or "").split(maxsplit=1)
    starting = bool(words) and words[0].split("@", 1)[0].lower() == "/start"
    if await preferences.welcome_back(svc, user.id, starting=starting) is OptOut.STOP:
        language = await language_of(svc, user)
        await send(context, message.chat.id, t(T.START_RESUMED, language))
