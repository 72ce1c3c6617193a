"""Register the resident handlers and the command menus in both languages."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    JobQueue,
    filters,
)

from handlers import (
    coordinator,
    partner,
    proactive,
    resident,
)
from handlers.errors import on_error
from handlers.proactive.panel import panel_command
from handlers.proactive.stop import stop_command
from handlers.proactive.tips import tips_command
from handlers.resident import commands
from handlers.texts import T, languages, plain
from reports.models import Language

log = logging.getLogger(__name__)

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
    ("panel", "panel", T.CMD_PANEL),
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
    "panel": panel_command,
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


MENU_RETRIES = (2.0, 10.0, 60.0, 300.0)
"""Seconds before the next try to publish the command menus after a failed one (the last
repeats)."""


async def publish_commands_or_later(bot: Bot, job_queue: JobQueue[Any]) -> None:
    """Publish the command menus now or, when Telegram fails, again later until it works.

    The menus are a convenience: a Telegram hiccup at start-up must not keep the bot from
    starting (the job queue runs the next try once the application runs).
    """
    try:
        await publish_commands(bot)
    except TelegramError as error:
        _publish_later(job_queue, 0, error)


def _publish_later(job_queue: JobQueue[Any], failures: int, error: TelegramError) -> None:
    """Try to publish the command menus again after a failure, later each time."""
    wait = MENU_RETRIES[min(failures, len(MENU_RETRIES) - 1)]
    log.warning(
        "the command menus could not be published (%s: %s); trying again in %.0f s",
        type(error).__name__,
        error.message[:100],
        wait,
    )
    job_queue.run_once(_publish_again, when=wait, data=failures + 1, name="command-menus")


async def _publish_again(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Publish the command menus; on failure, schedule the next try."""
    try:
        await publish_commands(context.bot)
    except TelegramError as error:
        assert context.job_queue is not None
        failures = context.job.data if context.job is not None else 0
        _publish_later(context.job_queue, failures if isinstance(failures, int) else 0, error)
        return
    log.info("the command menus are published")
