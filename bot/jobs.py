"""Run the scheduled jobs that talk to nobody, once a day: retention (AVG), then statistics."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import ContextTypes

from handlers.services import services
from services.retention import enforce_retention
from storage.database import Database

RETENTION_EVERY = timedelta(days=1)
"""How often the retention job runs."""
RETENTION_FIRST = timedelta(minutes=5)
"""When it first runs after a start, once the bot has caught up with what waited."""


async def retention(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remove what was kept long enough and write the deletion log (a daily job)."""
    await enforce_retention(services(context))


OPTIMIZE_FIRST = RETENTION_FIRST + timedelta(minutes=10)
"""The statistics are refreshed daily, after retention removed what it removes."""


async def optimize(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refresh the query planner's statistics where they went stale (a daily job).

    The job's data is the database.
    """
    database = context.job.data if context.job is not None else None
    if isinstance(database, Database):
        await database.optimize()
