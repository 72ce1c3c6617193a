"""Run the proactive sweeps the job queue triggers: expired surveys, due digests, the panel."""

from __future__ import annotations

from telegram.ext import ContextTypes

from handlers.services import services
from services import panel, surveys, tips


async def expire_surveys(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the surveys whose window passed unfinished as expired."""
    await surveys.expire(services(context))


async def send_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the digests that fell due."""
    await tips.queue_due_digests(services(context))


async def ask_panel(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue this round's panel question for every member who has none yet."""
    await panel.queue_due_questions(services(context))
