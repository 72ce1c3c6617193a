"""Talk to the Bot API as python-telegram-bot's ExtBot does, with two differences: answers to
button presses never abort the handler that acts on them, and updates can be fetched as raw
JSON (the intake stores them before anything parses them: see bot/intake.py).

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

    async def raw_updates(self, offset: int | None, wait_seconds: int) -> list[Any]:
        """Long-poll getUpdates and return the updates as Telegram sent them, unparsed.

        `offset` acknowledges every update below it. Parsing is left to the caller, so one
        update the library cannot read never keeps the others (or the offset) from moving.
        """
        data: dict[str, Any] = {"timeout": wait_seconds}
        if offset is not None:
            data["offset"] = offset
        read_timeout = (self._request[0].read_timeout or 0) + wait_seconds
        result = await self._post("getUpdates", data, read_timeout=read_timeout)
        return result if isinstance(result, list) else []
