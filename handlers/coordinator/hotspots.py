"""The hotspot check as a job: it runs often, and checks once per `[hotspots] every_days`."""

from __future__ import annotations

from telegram.ext import ContextTypes

from handlers.services import services
from services.hotspots import check_hotspots


async def look_for_hotspots(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run this period's hotspot check, if no process ran it yet."""
    await check_hotspots(services(context))
