"""Give handlers the use cases' services, and the resident's language from a Telegram user."""

from __future__ import annotations

from telegram import User
from telegram.ext import ContextTypes

from reports.models import Language
from services.container import Services

SERVICES_KEY = "meldbot.services"

__all__ = ["SERVICES_KEY", "Services", "language_of", "services"]


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the services stored in the application's bot_data."""
    found = context.bot_data.get(SERVICES_KEY)
    if not isinstance(found, Services):
        raise RuntimeError("Meldbot services are not installed in bot_data")
    return found


async def language_of(svc: Services, user: User | None) -> Language:
    """Return the language of the resident behind a Telegram user."""
    if user is None:
        return Language.NL
    return await svc.language_of(user.id, user.language_code)
