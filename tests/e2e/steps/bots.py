"""Give tests a bare python-telegram-bot Bot that talks to the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot

from sandbox.botapi import FakeBotApi


@asynccontextmanager
async def bot_for(api: FakeBotApi) -> AsyncIterator[Bot]:
    """Yield an initialised PTB Bot that talks to the fake."""
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        yield bot
