"""Register the resident handlers and the command menus in both languages."""

from __future__ import annotations

from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import (
    casework,
    commands,
    coordination,
    fallbacks,
    linking,
    proactive,
)
from handlers.proactive.stop import stop_command
from handlers.proactive.tips import tips_command
from handlers.texts import T, plain
from reports.models import Language

# (Dutch command, English alias, menu text)
COMMANDS = (
    ("start", "start", T.CMD_START),
    ("melden", "report", T.CMD_REPORT),
    ("mijnmeldingen", "myreports", T.CMD_MY_REPORTS),
    ("annuleren", "cancel", T.CMD_CANCEL),
    ("help", "help", T.CMD_HELP),
    ("taal", "language", T.CMD_LANGUAGE),
    ("privacy", "privacy", T.CMD_PRIVACY),
    ("vergeetmij", "forgetme", T.CMD_FORGET),
    ("tips", "tips", T.CMD_TIPS),
    ("stop", "stop", T.CMD_STOP),
)
CALLBACKS = {
    "start": commands.start,
    "melden": commands.report,
    "mijnmeldingen": commands.my_reports,
    "annuleren": commands.cancel,
    "help": commands.help_command,
    "taal": commands.language,
    "privacy": commands.privacy,
    "vergeetmij": commands.forget,
    "tips": tips_command,
    "stop": stop_command,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every resident handler; anything unexpected still gets an answer."""
    private = filters.ChatType.PRIVATE
    fresh = filters.UpdateType.MESSAGE
    for dutch, english, _ in COMMANDS:
        names = sorted({dutch, english})
        # Edited commands fall through to the edited-message answer instead of running again.
        application.add_handler(CommandHandler(names, CALLBACKS[dutch], filters=private & fresh))
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("koppel", linking.link, filters=fresh))
    application.add_handler(CommandHandler("ontkoppel", linking.unlink, filters=groups & fresh))
    # Coordinator commands answer everywhere, but show something only in the coordinator's chat.
    application.add_handler(CommandHandler("open", coordination.open_reports, filters=fresh))
    application.add_handler(CommandHandler("melding", coordination.report_details, filters=fresh))
    application.add_handler(CallbackQueryHandler(casework.case_button, pattern=r"^p:"))
    proactive.register(application)
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
    application.add_handler(MessageHandler(groups & filters.COMMAND, fallbacks.group_command))
    application.add_handler(
        MessageHandler(groups & fresh & filters.REPLY & filters.TEXT, casework.case_reply)
    )
    application.add_error_handler(fallbacks.on_error)


async def publish_commands(bot: Bot) -> None:
    """Register the command menus: Dutch by default, English for English clients."""
    scope = BotCommandScopeAllPrivateChats()
    dutch = [BotCommand(nl, plain(text, Language.NL)) for nl, _, text in COMMANDS]
    english = [BotCommand(en, plain(text, Language.EN)) for _, en, text in COMMANDS]
    await bot.set_my_commands(dutch, scope=scope)
    await bot.set_my_commands(dutch, scope=scope, language_code="nl")
    await bot.set_my_commands(english, scope=scope, language_code="en")
