"""Narrow a button press to one a resident made in their own private chat, or refuse it."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from handlers.services import Services, language_of, services
from handlers.texts import T, plain
from reports.models import Language


@dataclass(frozen=True)
class ResidentPress:
    """A press in the presser's own private chat, with what every resident handler needs."""

    query: CallbackQuery
    svc: Services
    user_id: int
    language: Language

    async def refuse(self, key: T = T.UNKNOWN_BUTTON) -> None:
        """Answer the press with an alert; nothing changes."""
        await self.query.answer(plain(key, self.language), show_alert=True)


async def resident_press(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> ResidentPress | None:
    """Return the press when a resident made it in their own chat; else refuse it (None)."""
    query = update.callback_query
    assert query is not None
    svc = services(context)
    language = await language_of(svc, query.from_user)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE or chat.id != query.from_user.id:
        await query.answer(plain(T.UNKNOWN_BUTTON, language), show_alert=True)
        return None
    return ResidentPress(query, svc, query.from_user.id, language)
