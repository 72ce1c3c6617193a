"""The municipal coordinator's side of Meldbot: linking chats, the overview, escalation.

Kept free of `handlers.messages` (which mixes in `CoordinatorMessages`), so that either can be
imported first.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers.coordinator import hotspot_presses, insight, linking, overview


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the coordinator's and the partner groups' linking commands."""
    fresh = filters.UpdateType.MESSAGE
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("koppel", linking.link, filters=fresh))
    application.add_handler(CommandHandler("ontkoppel", linking.unlink, filters=groups & fresh))
    # Coordinator commands answer everywhere, but show something only in the coordinator's chat.
    application.add_handler(CommandHandler("open", overview.show_open_reports, filters=fresh))
    application.add_handler(CommandHandler("melding", overview.show_report, filters=fresh))
    application.add_handler(CommandHandler("stats", insight.show_stats, filters=fresh))
    application.add_handler(CommandHandler("rapport", insight.send_report, filters=fresh))
    application.add_handler(CommandHandler("export", insight.send_exports, filters=fresh))
    application.add_handler(CallbackQueryHandler(hotspot_presses.hotspot_button, pattern=r"^h:"))
