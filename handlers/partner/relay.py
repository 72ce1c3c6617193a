"""Pass a resident's answer to a caseworker's question on to the partner chat, without names."""

from __future__ import annotations

from telegram import Message

from reports.models import Report
from services import casework_texts
from services.container import Services


async def relay_answer(svc: Services, user_id: int, message: Message) -> Report | None:
    """Relay the text as the answer to the resident's open question; None when there is none."""
    return await casework_texts.relay_answer(svc, user_id, message.text or "")
