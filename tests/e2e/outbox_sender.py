"""Run the outbox dispatcher through real PTB against the fake Bot API, on its own database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot.dispatcher import OutboxDispatcher, Pictures, RetryPolicy
from bot.ratelimit import PriorityRateLimiter
from handlers.texts import T, languages, plain
from reports.clock import SystemClock
from sandbox.botapi import FakeBotApi, FakeGroup, FakeUser
from storage.database import Database
from storage.outbox import OutboxRepository, OutgoingMessage, Priority

App = Application[Any, Any, Any, Any, Any, Any]
CLOCK = SystemClock()
QUICK_RETRIES = RetryPolicy(base=0.1, cap=0.5, max_attempts=30)
NOTES = frozenset(plain(T.RESEND_NOTE, language) for language in languages())
"""The first line of a copy sent again after an attempt that may have delivered it."""


def is_marked(text: str) -> bool:
    """Return whether a text or caption starts with the possible-repeat note."""
    return text.partition("\n")[0] in NOTES


def unmarked(text: str) -> str:
    """Return a text or caption without the possible-repeat note."""
    return text.partition("\n")[2] if is_marked(text) else text


@dataclass
class Sender:
    """A PTB application with the priority rate limiter and an outbox dispatcher on one DB."""

    api: FakeBotApi
    db_path: Path
    retry: RetryPolicy = QUICK_RETRIES
    read_timeout: float | None = None  # PTB's default (5 s) when None
    unreachable: list[tuple[int, str]] = field(default_factory=list)
    pictures: Pictures | None = None
    app: App | None = None
    database: Database | None = None
    dispatcher: OutboxDispatcher | None = None

    @property
    def outbox(self) -> OutboxRepository:
        assert self.database is not None, "start the sender first"
        return OutboxRepository(self.database)

    async def start(self) -> OutboxDispatcher:
        """Open the database, start the application's job queue and the dispatcher."""
        self.database = await Database.open(self.db_path)
        builder = (
            ApplicationBuilder()
            .token(self.api.token)
            .base_url(self.api.base_url)
            .base_file_url(self.api.base_file_url)
            .rate_limiter(PriorityRateLimiter(max_retries=3))
        )
        if self.read_timeout is not None:
            builder = builder.read_timeout(self.read_timeout)
        self.app = builder.build()
        await self.app.initialize()
        await self.app.start()
        self.dispatcher = OutboxDispatcher(
            self.app.bot,
            self.outbox,
            CLOCK,
            on_unreachable=self._note_unreachable,
            retry=self.retry,
            tick=0.2,
            pictures=self.pictures,
        )
        await self.dispatcher.start(self.app.job_queue)
        return self.dispatcher

    async def stop(self) -> None:
        """Stop the dispatcher (finishing sends in flight), the application and the database."""
        if self.dispatcher is not None:
            await self.dispatcher.stop()
            self.dispatcher = None
        if self.app is not None:
            await self.app.stop()
            await self.app.shutdown()
            self.app = None
        if self.database is not None:
            await self.database.close()
            self.database = None

    async def schedule(self, messages: Iterable[OutgoingMessage]) -> list[int]:
        """Write rows in one transaction and wake the dispatcher."""
        assert self.database is not None
        ids: list[int] = []
        async with self.database.transaction() as session:
            for message in messages:
                row_id = await self.outbox.enqueue(session, message)
                assert row_id is not None
                ids.append(row_id)
        if self.dispatcher is not None:
            self.dispatcher.wake()
        return ids

    async def drained(self) -> None:
        """Wait until no row is pending or sending any more."""
        await drained(self.outbox)

    async def _note_unreachable(self, chat_id: int, reason: str) -> None:
        self.unreachable.append((chat_id, reason))


async def drained(outbox: OutboxRepository, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until no row of the outbox is pending or sending any more."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await outbox.pending_count():
        assert loop.time() < deadline, f"{await outbox.pending_count()} rows left"
        await asyncio.sleep(0.05)


def text(chat_id: int, body: str, priority: int = Priority.BULK, **extra: Any) -> OutgoingMessage:
    """Return a due sendMessage row."""
    return OutgoingMessage(
        chat_id=chat_id,
        method=extra.pop("method", "sendMessage"),
        params=extra.pop("params", {"text": body}),
        priority=priority,
        due_at=CLOCK.now(),
        kind=extra.pop("kind", "test"),
        **extra,
    )


def residents(api: FakeBotApi, count: int, first: int = 5001) -> list[FakeUser]:
    """Return residents who have written to the bot before."""
    return [api.user(first + n, f"Bewoner {n}", started=True) for n in range(count)]


def partner_groups(api: FakeBotApi, count: int) -> list[FakeGroup]:
    """Return partner groups with the bot in them."""
    groups = []
    for n in range(count):
        group = api.group(-1001000000001 - n, f"Partner {n}")
        api.add_bot_to_group(api.user(9001 + n, "Coördinator"), group)
        groups.append(group)
    return groups
