"""Count how outbox messages fare when Telegram fails: arrived once, marked repeats, lost.

Schedules N messages (a fifth of them partner notifications with buttons in groups, the rest
resident messages with a button), then runs the real PTB bot with the priority rate limiter and
the outbox dispatcher against the local fake Bot API with flood control on and a fault mix: a
share of all send calls (default 20%) fails, evenly split over a 500 answer, a 502 gateway page,
a dropped connection and a lost response (no answer until PTB's read time-out); half of those
failures come after the fake stored the message, so only the answer is lost. Then it counts,
per message, the copies in the chats:

- arrived once: exactly one copy (unmarked, or marked when the failed attempt had stored nothing:
  the bot cannot tell, so the copy says it may repeat an earlier message);
- arrived more than once: every copy after the first marked, with identical buttons;
- unmarked duplicates and lost messages: must be 0 (the exit code is 1 otherwise).

Run from the repository root:

    .venv/bin/python -m bench.delivery_faults                   # 2,000 messages, ~2 min
    .venv/bin/python -m bench.delivery_faults --messages 300    # ~20 s
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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from telegram.ext import ApplicationBuilder

from bot.dispatcher import OutboxDispatcher, RetryPolicy
from bot.ratelimit import PriorityRateLimiter
from handlers.texts import T, languages, plain
from reports.clock import SystemClock
from sandbox.botapi import DROP, HANG, FakeBotApi, RateLimits, SentMessage
from storage.database import Database
from storage.outbox import OutboxRepository, OutgoingMessage, Priority

NOTES = frozenset(plain(T.RESEND_NOTE, language) for language in languages())
FAULTS = {500: "500 answer", 502: "502 gateway page", DROP: "dropped connection", HANG: "no answer"}
READ_TIMEOUT = 1.0
RETRY = RetryPolicy(base=0.5, cap=8.0, max_attempts=15)


@dataclass
class Tally:
    """What became of the scheduled messages, counted from the chats."""

    once_unmarked: int = 0
    once_marked: int = 0
    repeated: int = 0
    extra_copies: int = 0
    unmarked_duplicates: int = 0
    different_buttons: int = 0
    lost: int = 0


def body(number: int) -> str:
    """Return the unique text of message `number`."""
    return f"Bericht {number:05d}: uw melding is opgepakt."


def buttons(number: int) -> dict[str, object]:
    """Return the inline keyboard of message `number`, with its own callback data."""
    return {"inline_keyboard": [[{"text": "🙋 Oppakken", "callback_data": f"p:{number}:cl:"}]]}


async def schedule(database: Database, groups: list[int], people: list[int], n: int) -> None:
    """Write n due messages in one transaction: every fifth to a group, the rest to residents."""
    now = datetime.now(UTC)
    outbox = OutboxRepository(database)
    async with database.transaction() as session:
        for number in range(n):
            group = number % 5 == 0
            chat = groups[number % len(groups)] if group else people[number % len(people)]
            message = OutgoingMessage(
                chat_id=chat,
                method="sendMessage",
                params={
                    "text": f"<b>{body(number)}</b>",
                    "parse_mode": "HTML",
                    "reply_markup": buttons(number),
                },
                priority=Priority.NOTIFICATION if group else Priority.REPLY,
                due_at=now,
                kind="notification.lead" if group else "resident.update",
                dedupe_key=f"bench:{number}",
            )
            await outbox.enqueue(session, message)


def marked(copy: SentMessage) -> bool:
    """Return whether a copy starts with the possible-repeat note."""
    return copy.text.partition("\n")[0] in NOTES


def tally(api: FakeBotApi, n: int) -> Tally:
    """Count, per scheduled message, its copies in the chats."""
    copies: dict[str, list[SentMessage]] = defaultdict(list)
    for sent in api.world.sent:
        text = sent.text.partition("\n")[2] if marked(sent) else sent.text
        copies[text].append(sent)
    found = Tally()
    for number in range(n):
        seen = sorted(copies.get(body(number), []), key=lambda m: m.message_id)
        if not seen:
            found.lost += 1
        elif len(seen) == 1:
            if marked(seen[0]):
                found.once_marked += 1
            else:
                found.once_unmarked += 1
        else:
            found.repeated += 1
            found.extra_copies += len(seen) - 1
            found.unmarked_duplicates += sum(1 for copy in seen[1:] if not marked(copy))
            found.different_buttons += sum(
                1 for copy in seen[1:] if copy.reply_markup != seen[0].reply_markup
            )
    return found


async def drained(outbox: OutboxRepository, stall: float = 120.0) -> None:
    """Wait until no row is pending or sending, or nothing moved for `stall` seconds."""
    left, since = await outbox.pending_count(), time.perf_counter()
    while left and time.perf_counter() - since < stall:
        await asyncio.sleep(0.2)
        now_left = await outbox.pending_count()
        if now_left != left:
            left, since = now_left, time.perf_counter()


async def measure(n: int, rate: float, after: float, seed: int, folder: Path) -> int:
    """Run the benchmark once; print the figures and return 0 when nothing was lost or unmarked."""
    api = FakeBotApi()
    await api.start()
    api.rate_limits(enabled=True, limits=RateLimits())
    api.failure_rate(rate, seed=seed, statuses=tuple(FAULTS), after_effect=after)
    api.faults.hang_seconds = READ_TIMEOUT + 1.0
    people = [api.user(100_000 + k, f"Bewoner {k}", started=True).id for k in range(n // 5)]
    groups = []
    for k in range(max(1, n // 25)):  # five notifications per group, well within 20 a minute
        group = api.group(-1_001_000_000_000 - k, f"Partner {k}")
        api.add_bot_to_group(api.user(90_000 + k, "Coördinator"), group)
        groups.append(group.id)
    database = await Database.open(folder / "bench.sqlite3")
    outbox = OutboxRepository(database)
    await schedule(database, groups, people, n)
    app = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .rate_limiter(PriorityRateLimiter(max_retries=3))
        .read_timeout(READ_TIMEOUT)
        .build()
    )
    await app.initialize()
    await app.start()
    dispatcher = OutboxDispatcher(app.bot, outbox, SystemClock(), retry=RETRY)
    try:
        started = time.perf_counter()
        await dispatcher.start(app.job_queue)
        await drained(outbox)
        elapsed = time.perf_counter() - started
        counts = await outbox.delivery_counts()
    finally:
        await dispatcher.stop()
        await app.stop()
        await app.shutdown()
        await database.close()
        await api.stop()
    found = tally(api, n)
    sends = sum(1 for method, _ in api.requests if method == "sendMessage")
    kinds = Counter(status for _, status in api.faults.injected)
    stored = len(api.faults.after_effects)
    mix = ", ".join(f"{FAULTS[status]}: {kinds[status]}" for status in FAULTS)
    print(
        f"machine:       {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}"
    )
    print(
        f"messages:      {n} to {len(people)} residents and {len(groups)} groups, "
        f"all settled after {elapsed:.1f} s"
    )
    print(
        f"faults:        {len(api.faults.injected)} of {sends} send calls ({mix}); "
        f"{stored} of them after the message was stored"
    )
    print(
        f"arrived once:  {found.once_unmarked + found.once_marked} "
        f"({found.once_unmarked} unmarked, {found.once_marked} only as a marked copy)"
    )
    print(
        f"arrived again: {found.repeated} messages, {found.extra_copies} extra copies, "
        f"{found.unmarked_duplicates} of them unmarked, "
        f"{found.different_buttons} with other buttons"
    )
    print(f"lost:          {found.lost}")
    print(
        f"outbox:        {counts.sent} sent, {counts.failed} failed, "
        f"{counts.uncertain_rows} uncertain rows, {counts.uncertain_resends} marked copies sent"
    )
    ok = found.lost == 0 and found.unmarked_duplicates == 0 and found.different_buttons == 0
    return 0 if ok and counts.failed == 0 else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(prog="delivery_faults", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="how many (default 2000)")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="share of failing calls")
    parser.add_argument(
        "--after-effect",
        type=float,
        default=0.5,
        help="share of faults after the message was stored",
    )
    parser.add_argument("--seed", type=int, default=8, help="seed of the fault mix")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("telegram.request").setLevel(logging.CRITICAL)  # PTB logs each HTML 502
    with tempfile.TemporaryDirectory(prefix="meldbot-bench-") as folder:
        return asyncio.run(
            measure(args.messages, args.fault_rate, args.after_effect, args.seed, Path(folder))
        )


if __name__ == "__main__":
    sys.exit(main())
