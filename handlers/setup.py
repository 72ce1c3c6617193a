"""Register the resident handlers and the command menus in both languages."""

from __future__ import annotations

from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats
from telegram.ext import (
    Application,
    CommandHandler,
    filters,
)

from handlers import (
    coordinator,
    partner,
    proactive,
    resident,
)
from handlers.errors import on_error
from handlers.proactive.stop import stop_command
from handlers.proactive.tips import tips_command
from handlers.resident import commands
from handlers.texts import T, languages, plain
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
    coordinator.register(application)
    private = filters.ChatType.PRIVATE
    fresh = filters.UpdateType.MESSAGE
    for dutch, english, _ in COMMANDS:
        names = sorted({dutch, english})
        # Edited commands fall through to the edited-message answer instead of running again.
        application.add_handler(CommandHandler(names, CALLBACKS[dutch], filters=private & fresh))
    partner.register(application)
    proactive.register(application)
    resident.register(application)
    application.add_error_handler(on_error)


async def publish_commands(bot: Bot) -> None:
    """Register the command menus: Dutch by default and for Dutch apps, every other language
    with the English command names and descriptions in that language."""
    scope = BotCommandScopeAllPrivateChats()
    dutch = [BotCommand(nl, plain(text, Language.NL)) for nl, _, text in COMMANDS]
    await bot.set_my_commands(dutch, scope=scope)
    for language in languages():
        names = [nl if language == Language.NL else en for nl, en, _ in COMMANDS]
        menu = [
            BotCommand(name, plain(text, language))
            for name, (_, _, text) in zip(names, COMMANDS, strict=True)
        ]
        await bot.set_my_commands(menu, scope=scope, language_code=language.value)
