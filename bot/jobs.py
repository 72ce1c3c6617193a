"""Run the scheduled jobs that talk to nobody: retention (AVG), once a day."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import ContextTypes

from handlers.services import services
from services.retention import enforce_retention

RETENTION_EVERY = timedelta(days=1)
"""How often the retention job runs."""
RETENTION_FIRST = timedelta(minutes=5)
"""When it first runs after a start, once the bot has caught up with what waited."""


async def retention(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remove what was kept long enough and write the deletion log (a daily job)."""
    await enforce_retention(services(context))
