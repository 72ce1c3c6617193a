"""Telegram's side of a webhook: post each pending update, forget it only after a 200.

Telegram posts updates one by one to the URL given to setWebhook, with the secret token in the
header X-Telegram-Bot-Api-Secret-Token, and keeps an update (posting it again later) until the
bot answers 2xx. The fake posts to the same URL with http instead of https (tests run no TLS).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import aiohttp

from .world import World

RETRY_SECONDS = 0.2


@dataclass
class WebhookPoster:
    """Deliver the world's pending updates to its webhook while one is set."""

    world: World
    answers: list[tuple[int, int]] = field(default_factory=list)
    """(update_id, HTTP status or -1 for no answer) of every post."""
    _task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        """Start posting, if not posting already."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="fake-telegram-webhook")

    async def stop(self) -> None:
        """Stop posting."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        """Post the oldest pending update until it is answered 200, then the next one."""
        updates = self.world.updates
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(timeout=timeout) as client:
            while self.world.webhook_url:
                if not updates.pending:
                    await updates.changed(1.0)
                    continue
                update = updates.pending[0]
                url = self.world.webhook_url.replace("https://", "http://", 1)
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.world.webhook_secret}
                try:
                    async with client.post(url, json=update, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = -1
                self.answers.append((update["update_id"], status))
                if 200 <= status < 300:
                    updates.confirm(update["update_id"] + 1)
                else:
                    await asyncio.sleep(RETRY_SECONDS)
