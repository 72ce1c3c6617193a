"""The chain partners' casework: caseworkers act on a report's notification in their group.

Its handlers answer the buttons under a notification (callback data `p:…`) and caseworkers'
typed replies in groups; its codec and view render what partner chats see.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from handlers.partner.buttons import case_button
from handlers.partner.replies import case_reply


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the caseworkers' handlers: button presses and typed replies in groups."""
    application.add_handler(CallbackQueryHandler(case_button, pattern=r"^p:"))
    typed_reply = (
        filters.ChatType.GROUPS
        & filters.UpdateType.MESSAGE
        & filters.REPLY
        & filters.TEXT
        & ~filters.COMMAND
    )
    application.add_handler(MessageHandler(typed_reply, case_reply))
