"""Talk to the Bot API as python-telegram-bot's ExtBot does, with one difference: answers to
button presses never abort the handler that acts on them.

Telegram keeps a button press answerable for a short while only (and once). A press that
waited while the bot was down, or that is answered twice, is refused with "query is too old
... or query ID is invalid"; the press itself is still valid and its handler must still act.
So a refused answer is logged and reported as False here, at the root, instead of raising in
every handler before it could act.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

_TOO_LATE = ("query is too old", "query id is invalid")


class MeldbotBot(ExtBot[Any]):
    """ExtBot whose refused answers to callback queries are logged, not raised."""

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        """Answer a button press; an answer Telegram no longer takes returns False."""
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as refused:
            if not any(reason in refused.message.lower() for reason in _TOO_LATE):
                raise
            log.info("a button press was applied but could not be answered any more")
            return False
