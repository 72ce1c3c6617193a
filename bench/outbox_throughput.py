"""Measure how close the outbox dispatcher gets to Telegram's 30 messages per second.

Schedules N due messages to many private chats (5 per resident by default), then runs the real
PTB bot with the priority rate limiter and the outbox dispatcher against the local fake Bot API,
which enforces Telegram's limits (30 messages/s overall, 1 per second per private chat) and
answers 429 when they are broken. Prints the time taken, the floor (N / 30 s), their ratio and
the number of 429s. Run from the repository root:

    .venv/bin/python -m bench.outbox_throughput                 # 10,000 messages, ~5.5 min
    .venv/bin/python -m bench.outbox_throughput --messages 600  # ~20 s
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from telegram.ext import ApplicationBuilder

from bot.dispatcher import OutboxDispatcher
from bot.ratelimit import PriorityRateLimiter
from reports.clock import SystemClock
from sandbox.botapi import FakeBotApi, RateLimits
from storage.database import Database
from storage.outbox import OutboxRepository, OutgoingMessage, Priority

OVERALL_PER_SECOND = 30


async def schedule(outbox: OutboxRepository, database: Database, chats: list[int], n: int) -> None:
    """Write n due messages, spread over the chats in turn, in one transaction."""
    now = datetime.now(UTC)
    async with database.transaction() as session:
        for number in range(n):
            chat = chats[number % len(chats)]
            message = OutgoingMessage(
                chat_id=chat,
                method="sendMessage",
                params={"text": f"Buurtbericht {number} voor {chat}"},
                priority=Priority.BULK,
                due_at=now,
                kind="bench.digest",
                dedupe_key=f"bench:{number}",
            )
            await outbox.enqueue(session, message)


async def delivered(api: FakeBotApi, messages: int, stall: float = 30.0) -> None:
    """Wait until the fake received every message, or nothing arrived for `stall` seconds."""
    seen, quiet_since = 0, time.perf_counter()
    while len(api.world.sent) < messages and time.perf_counter() - quiet_since < stall:
        await api.world.sent_changed(1.0)
        if len(api.world.sent) > seen:
            seen, quiet_since = len(api.world.sent), time.perf_counter()


async def settle(outbox: OutboxRepository) -> None:
    """Wait until the dispatcher recorded every delivery."""
    while (left := await outbox.pending_count()) > 0:
        logging.debug("%d outbox rows still being recorded", left)
        await asyncio.sleep(0.1)


async def measure(messages: int, residents: int, max_in_flight: int, folder: Path) -> int:
    """Run the benchmark once; print the figures and return 0 when every message arrived once."""
    api = FakeBotApi()
    await api.start()
    api.rate_limits(enabled=True, limits=RateLimits())
    chats = [api.user(100_000 + n, f"Bewoner {n}", started=True).id for n in range(residents)]
    database = await Database.open(folder / "bench.sqlite3")
    outbox = OutboxRepository(database)
    started = time.perf_counter()
    await schedule(outbox, database, chats, messages)
    print(
        f"scheduled {messages} messages to {residents} chats in "
        f"{time.perf_counter() - started:.1f} s"
    )
    app = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .rate_limiter(PriorityRateLimiter(max_retries=3))
        .build()
    )
    await app.initialize()
    await app.start()
    dispatcher = OutboxDispatcher(app.bot, outbox, SystemClock(), max_in_flight=max_in_flight)
    try:
        started = time.perf_counter()
        await dispatcher.start(app.job_queue)
        await delivered(api, messages)
        elapsed = time.perf_counter() - started
        await settle(outbox)
    finally:
        await dispatcher.stop()
        await app.stop()
        await app.shutdown()
        await database.close()
        await api.stop()
    texts = Counter(sent.text for sent in api.world.sent)
    duplicates = sum(count - 1 for count in texts.values())
    floor = messages / OVERALL_PER_SECOND
    print(
        f"machine:     {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}"
    )
    print(f"messages:    {messages} ({len(api.world.sent)} delivered, {duplicates} twice)")
    print(f"time taken:  {elapsed:.1f} s")
    print(f"floor:       {floor:.1f} s ({messages} / {OVERALL_PER_SECOND} per second)")
    print(f"ratio:       {elapsed / floor:.3f}")
    print(f"429s:        {api.too_many_requests}")
    return 0 if len(api.world.sent) == messages and duplicates == 0 else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(prog="outbox_throughput", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000, help="how many (default 10000)")
    parser.add_argument("--residents", type=int, help="private chats (default messages / 5)")
    parser.add_argument("--max-in-flight", type=int, default=64, help="dispatcher concurrency")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.WARNING)
    residents = args.residents or max(1, args.messages // 5)
    with tempfile.TemporaryDirectory(prefix="meldbot-bench-") as folder:
        return asyncio.run(measure(args.messages, residents, args.max_in_flight, Path(folder)))


if __name__ == "__main__":
    sys.exit(main())
