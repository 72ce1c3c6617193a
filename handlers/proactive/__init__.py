"""What Meldbot sends residents on its own initiative, and their answers: the Telegram side.

Follow-up questions ("is it still going on?", followup.mmd), the survey after a resolved
report, the tip after a report, the wijk digest of `/tips`, the neighbourhood panel
(`/panel`, its question per round and the offer after a report), and `/stop` with the stop
button under each of them. The use cases are in services/ (followups, surveys, tips,
preferences, panel); these modules narrow updates to plain values, call one use case, and render
its result. `register` adds the handlers; /stop, /tips and /panel are in the resident command table.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from handlers.proactive.codecs import STOP_DATA
from handlers.proactive.followup import followup_button
from handlers.proactive.keyboards import stop_row
from handlers.proactive.panel import menu_button
from handlers.proactive.panel_answers import cause_button, question_button
from handlers.proactive.stop import stop_button, welcome_back
from handlers.proactive.survey import survey_button
from handlers.proactive.tips import wijk_button

__all__ = ["STOP_DATA", "register", "stop_row"]


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the handlers of proactive messages' buttons, and the welcome back before all else."""
    fresh_private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Before anything else: /start, or any message of a resident who had blocked the bot,
    # turns proactive messages on again (handlers in group -1 run first, then the others).
    application.add_handler(MessageHandler(fresh_private, welcome_back), group=-1)
    application.add_handler(CallbackQueryHandler(followup_button, pattern=r"^f:"))
    application.add_handler(CallbackQueryHandler(survey_button, pattern=r"^s:"))
    application.add_handler(CallbackQueryHandler(wijk_button, pattern=r"^tw:"))
    application.add_handler(CallbackQueryHandler(menu_button, pattern=r"^pn:"))
    application.add_handler(CallbackQueryHandler(question_button, pattern=r"^pq:"))
    application.add_handler(CallbackQueryHandler(cause_button, pattern=r"^pc:"))
    application.add_handler(CallbackQueryHandler(stop_button, pattern=f"^{STOP_DATA}$"))
