"""Measure how long residents wait for an answer while the coordinator runs `/open`, at scale.

Meldbot runs as a child process (`python -m bench.heartbeat bot`) on a database of
`--reports` generated reports (`tests.storage.seeding`, as bench/scale.py; about 50,000 of a
million open), against the local fake Bot API (sandbox/botapi) with Telegram's flood limits.
Then, in `--rounds` rounds ten seconds apart, `--burst` residents each take their next step of a
full report (from `/melden` to Send) at the same moment; in every second round the
coordinator sends `/open` in the coordinator's group at that same moment, so that its reads and
its formatting fall among the residents' updates. Measured per kind of round: each resident's
wait from their update to the bot's first answer in their chat (p50, p95, max), the longest
event-loop stall (a 5 ms heartbeat inside the bot, bench/heartbeat.py), and for `/open` the
time to its first page and the number of pages.

The database is generated once (about three minutes for a million reports) with the current
time as its "now", and regenerated when it is more than a day old, so that no backlog of due
reminders and escalations goes out while it is measured; each run works on a copy.

    .venv/bin/python -m bench.open_wait                          # 1,000,000 reports
    .venv/bin/python -m bench.open_wait --reports 100000 --db /tmp/open-100k.sqlite3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.heartbeat import NOTED
from bench.updates import COORDINATOR, OVERRIDES, Child, act, link_groups, spawn
from sandbox.botapi import FakeBotApi, FakeUser, SentMessage
from storage.database import ANALYSIS_LIMIT, Database
from tests.e2e.chaos_people import REPORT
from tests.e2e.meldbot_process import TOKEN, MeldbotProcess
from tests.storage.seeding import seed

ROUND_SECONDS = 10.0
"""Two rounds per `/open`: six pages every 20 s stay within a group's 20 messages a minute."""
MAX_AGE = 86_400.0


@dataclass
class Kind:
    """What was measured over the rounds of one kind (with or without `/open`)."""

    waits: list[float] = field(default_factory=list)
    stalls: list[float] = field(default_factory=list)
    first_pages: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass
class Walk:
    """A resident somewhere in their report: the next step and the question it answers."""

    user: FakeUser
    step: int = 0
    last: SentMessage | None = None


def prepare(path: Path, reports: int) -> None:
    """Generate the database at `path` unless a fresh enough one is there."""
    if path.exists() and time.time() - path.stat().st_mtime < MAX_AGE:
        return
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    print(f"generating {reports:,} reports in {path} …", flush=True)
    started = time.perf_counter()

    async def migrate() -> None:
        async with await Database.open(path):
            pass

    asyncio.run(migrate())
    seeded = seed(path, reports, now=datetime.now(UTC))
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        connection.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - started:.0f} s: {seeded}", flush=True)


async def coordinator_open(api: FakeBotApi, kees: FakeUser, kind: Kind) -> None:
    """Send `/open` in the coordinator's group; note the time to the first page and the pages."""
    mark = len(api.messages(COORDINATOR))
    started = time.monotonic()
    api.send_text(kees, "/open", chat=api.group(COORDINATOR, "Coördinatie"))
    while len(api.messages(COORDINATOR)) == mark:
        if time.monotonic() - started > 60:
            raise SystemExit("/open: no answer within 60 s")
        await api.world.sent_changed(1.0)
    kind.first_pages.append(time.monotonic() - started)
    await asyncio.sleep(ROUND_SECONDS - 1)
    kind.pages.append(len(api.messages(COORDINATOR)) - mark)


async def step(api: FakeBotApi, walk: Walk, waits: list[float]) -> None:
    """Let the resident take their next step; start a new report after Send."""
    walk.last = await act(api, walk.user, REPORT[walk.step : walk.step + 1], waits, None, walk.last)
    walk.step = (walk.step + 1) % len(REPORT)


async def rounds(
    api: FakeBotApi, child: Child, kees: FakeUser, args: argparse.Namespace
) -> tuple[Kind, Kind]:
    """Run the rounds; return what was measured without and with `/open`."""
    walks = [Walk(api.user(900_000 + n, f"Bewoner{n}")) for n in range(args.burst)]

    async def warm_up(walk: Walk, steps: int) -> None:
        for _ in range(steps):
            await step(api, walk, [])

    # Not measured: a full report each, and then as many steps as the resident's number, so
    # that every round (with `/open` or without) holds the same mix of steps, Send included.
    await asyncio.gather(
        *(warm_up(walk, len(REPORT) + n % len(REPORT)) for n, walk in enumerate(walks))
    )
    await api.wait_idle(quiet=0.5, timeout=60)
    quiet, busy = Kind(), Kind()
    for number in range(2 * args.rounds):
        kind = busy if number % 2 else quiet
        started = time.monotonic()
        work = [step(api, walk, kind.waits) for walk in walks]
        if kind is busy:
            work.append(coordinator_open(api, kees, kind))
        waits_before = len(kind.waits)
        await asyncio.gather(*work)
        stalls = child.stalls_between(started, time.monotonic())
        kind.stalls.extend(stalls)
        if args.verbose:
            waits = kind.waits[waits_before:]
            print(
                f"round {number + 1} ({'/open' if kind is busy else 'residents alone'}):"
                f" longest wait {1000 * max(waits):.1f} ms, stalls (ms)"
                f" {[round(1000 * late, 1) for late in stalls]}",
                file=sys.stderr,
                flush=True,
            )
        await asyncio.sleep(max(0.0, started + ROUND_SECONDS - time.monotonic()))
    return quiet, busy


async def run(args: argparse.Namespace) -> tuple[Kind, Kind]:
    """Start the fake Bot API and Meldbot on a copy of the database, and run the rounds."""
    workdir = Path(tempfile.mkdtemp(prefix="meldbot-bench-open-"))
    database = workdir / "meldbot.sqlite3"
    shutil.copyfile(args.db, database)
    api = FakeBotApi(TOKEN)
    await api.start()
    try:
        kees = link_groups(api)
        process = MeldbotProcess(workdir, api.base_url, database=database, overrides=OVERRIDES)
        child = await spawn("bot", process.env(), workdir, workdir / "heartbeat.json")
        try:
            return await rounds(api, child, kees, args)
        finally:
            code = await child.stop()
            if code != 0:
                print("\n".join(child.lines[-20:]), file=sys.stderr)
    finally:
        await api.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _ms(values: list[float], q: int | None = None) -> str:
    if not values:
        return "—"
    if q is None or len(values) < 2:
        return f"{1000 * max(values):.1f}"
    return f"{1000 * statistics.quantiles(values, n=100, method='inclusive')[q - 1]:.1f}"


def _stall(stalls: list[float]) -> str:
    return _ms(stalls) if stalls else f"< {1000 * NOTED:.0f}"


def report(args: argparse.Namespace, quiet: Kind, busy: Kind) -> str:
    """Return the results as a Markdown table."""
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    rows = [
        ("resident answers measured", str(len(quiet.waits)), str(len(busy.waits))),
        ("wait for an answer p50 (ms)", _ms(quiet.waits, 50), _ms(busy.waits, 50)),
        ("wait for an answer p95 (ms)", _ms(quiet.waits, 95), _ms(busy.waits, 95)),
        ("**longest wait for an answer (ms)**", _ms(quiet.waits), _ms(busy.waits)),
        ("longest event-loop stall (ms)", _stall(quiet.stalls), _stall(busy.stalls)),
        (
            "`/open`: first page after, p50 / max (ms)",
            "",
            f"{_ms(busy.first_pages, 50)} / {_ms(busy.first_pages)}",
        ),
        (
            "messages in the coordinator group in the 9 s after `/open` (its pages: 6)",
            "",
            ", ".join(map(str, busy.pages)),
        ),
    ]
    lines = [
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, {machine}; {args.reports:,} reports;"
        f" {args.rounds} rounds of each kind, {args.burst} residents a round",
        "",
        "| | residents alone | residents while the coordinator runs `/open` |",
        "|---|---|---|",
        *(f"| {what} | {a} | {b} |" for what, a, b in rows),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/meldbot-open-wait.sqlite3"))
    parser.add_argument("--rounds", type=int, default=8, help="rounds of each kind")
    parser.add_argument("--burst", type=int, default=8, help="residents acting in each round")
    parser.add_argument("--verbose", action="store_true", help="each round's figures, on stderr")
    args = parser.parse_args()
    prepare(args.db, args.reports)
    quiet, busy = asyncio.run(run(args))
    print(report(args, quiet, busy))


if __name__ == "__main__":
    main()
