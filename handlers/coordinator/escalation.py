"""Run the escalation sweep as a repeating job: reminders first, then coordinator notices."""

from __future__ import annotations

from telegram.ext import ContextTypes

from handlers.services import services
from services import escalation


async def escalate_overdue(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the reminders and coordinator notices that are due (a repeating job)."""
    await escalation.escalate_overdue(services(context))
