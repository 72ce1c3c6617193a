"""The resident's side: the report conversation, my reports, language, privacy and erasure.

`register` adds the handlers that take whatever is left in private chats (buttons of the report
conversation and the start menu, pins, photos, free text, unknown commands and everything else),
so it comes after every other audience's handlers.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from handlers.resident import commands, fallbacks


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the resident's catch-all handlers; anything unexpected still gets an answer."""
    private = filters.ChatType.PRIVATE
    fresh = filters.UpdateType.MESSAGE
    application.add_handler(CallbackQueryHandler(commands.button))
    application.add_handler(
        MessageHandler(private & fresh & (filters.LOCATION | filters.VENUE), fallbacks.location)
    )
    application.add_handler(MessageHandler(private & fresh & filters.PHOTO, fallbacks.photo))
    application.add_handler(
        MessageHandler(private & fresh & filters.TEXT & ~filters.COMMAND, fallbacks.text)
    )
    application.add_handler(
        MessageHandler(private & fresh & filters.COMMAND, fallbacks.unknown_command)
    )
    application.add_handler(
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, fallbacks.edited)
    )
    application.add_handler(MessageHandler(private & fresh, fallbacks.unsupported))
    groups = filters.ChatType.GROUPS
    application.add_handler(MessageHandler(groups & filters.COMMAND, fallbacks.group_command))
