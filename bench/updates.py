"""Measure what a resident's update costs Meldbot, against a bare python-telegram-bot echo bot.

Both bots run as child processes (`python -m bench.heartbeat bot`, `python -m bench.heartbeat
bench.echo_bot`) against the same local fake Bot API (sandbox/botapi, which validates
every call), one after the other in the same run, on the same machine:

- **Meldbot**: `--residents` residents, `--concurrency` at a time, each makes a full report from
  `/melden` to the reference (3 typed updates, a tapped key of the reply keyboard, 4 presses),
  with the police, enforcement and coordinator groups linked so the notifications go out too.
- **Echo bot** (the floor): the same number of residents send the same mix (4 texts, 4 presses,
  in the same order); the bot answers each with one message (and each press with
  `answerCallbackQuery`). It runs twice: bare (PTB's own HTTP client, httpx: the goal's
  baseline), then on Meldbot's HTTP client (aiohttp, bot/request.py), to show what the client
  alone is worth.

Measured per bot over the load phase (after a warm-up of a few residents): process CPU time
(utime + stime from /proc) per update, Bot API calls per update (all calls but getUpdates;
and only the calls into the residents' own chats), reply latency (from the update to the
bot's first message in that chat) p50/p95/max, event-loop stalls (a 5 ms heartbeat inside the
bot, bench/heartbeat.py), then the resident set size after `--drafts` more residents each
started a report (Meldbot keeps drafts in SQLite, the echo bot keeps nothing). Before the load,
each bot's CPU while quiet (its heartbeat, its timers) is measured for `--idle` seconds, and
the CPU per update is also shown above it: Meldbot paces its sends to Telegram's limits, so its
load phase lasts several times longer than the echo bot's, and what any bot spends per second
(the bench's own heartbeat first) weighs that much more on each of its updates.

    .venv/bin/python -m bench.updates                       # 400 residents, 10,000 drafts
    .venv/bin/python -m bench.updates --residents 100 --drafts 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.botapi import FakeBotApi, FakeUser, SentMessage
from tests.e2e.chaos_people import REPORT
from tests.e2e.meldbot_process import TOKEN, MeldbotProcess

POLICE, ENFORCEMENT, COORDINATOR = -1001, -1002, -1009
OVERRIDES = (
    f"[partners.politie]\nchat_id = {POLICE}\n"
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    # Every resident reports the same nuisance in the same buurt: with duplicate hints on,
    # all but the first would be offered that report to follow instead.
    "[duplicates]\nenabled = false\n"
)
ECHO: list[tuple[str, str, str]] = [
    ("say" if kind == "key" else kind, "Again" if kind == "press" else text, "")
    for kind, text, _ in REPORT
]
"""The same mix of texts and presses for the echo bot, which answers each with a message (a
tapped key of a reply keyboard is a text message)."""
TIMEOUT = 60.0
REFERENCE_SAID = REPORT[-1][2]
"""What the answer to Send says: it comes as the edit that closes the summary."""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    """What one bot cost during the load phase."""

    name: str
    updates: int = 0
    cpu_seconds: float = 0.0
    loop_cpu_seconds: float = 0.0
    """Of `cpu_seconds`, what the event loop's thread used (the rest: SQLite's threads)."""
    calls: int = 0
    resident_calls: int = 0
    polls: int = 0
    latencies: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    stalls: list[float] = field(default_factory=list)
    wall: float = 0.0
    rss_before_drafts: int = 0
    rss_after_drafts: int = 0
    peak_rss: int = 0
    drafts: int = 0
    draft_cpu_seconds: float = 0.0
    idle_cpu_per_second: float = 0.0
    """CPU seconds per second of a quiet bot (its heartbeat, timers), measured before the load."""

    def per_update_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.updates if self.updates else float("nan")

    def above_idle_ms(self) -> float:
        """CPU per update less what the bot would have used idle for as long (the load phase
        lasts longer for a bot that paces its sends to Telegram's limits)."""
        busy = self.cpu_seconds - self.idle_cpu_per_second * self.wall
        return 1000 * busy / self.updates if self.updates else float("nan")

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Child:
    """One bot process with its heartbeat file; CPU and memory read from /proc."""

    def __init__(self, process: asyncio.subprocess.Process, heartbeat: Path) -> None:
        self.process = process
        self.heartbeat = heartbeat
        self.lines: list[str] = []
        self.ready = asyncio.Event()
        self._readers = [
            asyncio.create_task(self._read(stream)) for stream in (process.stdout, process.stderr)
        ]

    async def _read(self, stream: asyncio.StreamReader | None) -> None:
        while stream is not None:
            raw = await stream.readline()
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\n")
            self.lines.append(line)
            if "is polling" in line:
                self.ready.set()

    def cpu(self) -> float:
        """Return the process's CPU seconds so far (user + system)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def loop_cpu(self) -> float:
        """Return the CPU seconds of the process's main thread (the event loop) so far."""
        pid = self.process.pid
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def memory(self) -> tuple[int, int]:
        """Return the resident set size and its peak, in KiB."""
        values: dict[str, int] = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values["VmRSS"], values["VmHWM"]

    def stalls_between(self, start: float, end: float) -> list[float]:
        """Return the heartbeat's lateness (seconds) noted between two monotonic moments."""
        if not self.heartbeat.exists():
            return []
        noted = json.loads(self.heartbeat.read_text(encoding="utf-8") or "[]")
        return [late for at, late in noted if start <= at <= end]

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        await asyncio.gather(*self._readers, return_exceptions=True)
        return code


async def spawn(
    module: str, env: dict[str, str], cwd: Path, heartbeat: Path, profile: Path | None = None
) -> Child:
    """Start `module` under the heartbeat and wait until it polls."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.heartbeat",
        module,
        cwd=cwd,
        env={
            **env,
            "BENCH_HEARTBEAT_FILE": str(heartbeat),
            "PYTHONPATH": str(Path.cwd()),
            **({"BENCH_PROFILE_FILE": str(profile)} if profile else {}),
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    child = Child(process, heartbeat)
    try:
        await asyncio.wait_for(child.ready.wait(), 60)
    except TimeoutError:
        await child.stop()
        raise SystemExit("the bot did not start:\n" + "\n".join(child.lines[-30:])) from None
    return child


async def act(
    api: FakeBotApi,
    user: FakeUser,
    script: list[tuple[str, str, str]],
    latencies: list[float],
    by_step: dict[str, list[float]] | None = None,
    last: SentMessage | None = None,
) -> SentMessage | None:
    """Go through a script, waiting after each step for the bot's answer; note the latency.

    `last` is the question a first press answers (for a script taken up halfway); the last
    question asked is returned."""
    for kind, value, expect in script:
        mark = len(api.messages(user.id))
        started = time.monotonic()
        if kind == "say":
            api.send_text(user, value)
        elif kind == "key":
            api.tap_key(user, value)
        else:
            assert last is not None, "a press needs a message with buttons"
            api.press(user, last, text=value)
        first: float | None = None
        deadline = started + TIMEOUT
        while True:
            fresh = api.messages(user.id)[mark:]
            if fresh and first is None:
                first = time.monotonic() - started
            answer = next(
                (
                    m
                    for m in fresh
                    if expect in m.text
                    and (
                        (not m.edited and m.method == "sendMessage")
                        or (m.method == "editMessageText" and m.buttons)  # a turned question
                        or (m.method == "editMessageText" and expect == REFERENCE_SAID)
                    )
                ),
                None,
            )
            if answer is not None:
                last = answer
                asked = time.monotonic() - started
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"resident {user.id}: no {expect!r} after {kind} {value!r}")
            await api.world.sent_changed(1.0)
        assert first is not None
        latencies.append(first)
        if by_step is not None:
            by_step.setdefault(f"{kind} {value[:24]}", []).append(first)
            by_step.setdefault(f"{kind} {value[:24]} (next question)", []).append(asked)
    return last


async def crowd(
    count: int, concurrency: int, first_id: int, one: Callable[[int], Awaitable[None]]
) -> None:
    """Run `one(user_id)` for `count` users, `concurrency` at a time."""
    slots = asyncio.Semaphore(concurrency)

    async def run(user_id: int) -> None:
        async with slots:
            await one(user_id)

    await asyncio.gather(*(run(first_id + n) for n in range(count)))


async def measure(
    api: FakeBotApi,
    child: Child,
    phase: Phase,
    script: list[tuple[str, str, str]],
    args: argparse.Namespace,
) -> None:
    """Warm up, then run the load phase and the drafts phase against one running bot."""
    first_id = 100_000

    def runner(
        target: list[float],
        steps: list[tuple[str, str, str]] = script,
        by_step: dict[str, list[float]] | None = None,
    ) -> Callable[[int], Awaitable[None]]:
        async def one(user_id: int) -> None:
            await act(api, api.user(user_id, f"Bewoner{user_id}"), steps, target, by_step)

        return one

    await crowd(args.warmup, args.concurrency, first_id, runner([]))
    await api.wait_idle(quiet=0.5, timeout=60)
    first_id += args.warmup
    idle_before, idle_start = child.cpu(), time.monotonic()
    await asyncio.sleep(args.idle)
    phase.idle_cpu_per_second = (child.cpu() - idle_before) / (time.monotonic() - idle_start)
    calls_before = len(api.requests)
    cpu_before, loop_before, start = child.cpu(), child.loop_cpu(), time.monotonic()
    await crowd(
        args.residents, args.concurrency, first_id, runner(phase.latencies, script, phase.by_step)
    )
    await api.wait_idle(quiet=0.5, timeout=120)
    end = time.monotonic()
    phase.cpu_seconds, phase.wall = child.cpu() - cpu_before, end - start
    phase.loop_cpu_seconds = child.loop_cpu() - loop_before
    phase.updates = args.residents * len(script)
    made = [m for m, _ in api.requests[calls_before:] if m != "getUpdates"]
    phase.calls = len(made)
    phase.resident_calls = sum(
        1
        for method, params in api.requests[calls_before:]
        if method != "getUpdates" and _chat_of(params) >= first_id
    )
    phase.polls = sum(1 for m, _ in api.requests[calls_before:] if m == "getUpdates")
    phase.stalls = child.stalls_between(start, end)
    first_id += args.residents

    phase.rss_before_drafts, _ = child.memory()
    phase.drafts = args.drafts
    cpu_before = child.cpu()
    await crowd(args.drafts, 64, first_id, runner([], script[:1]))
    await api.wait_idle(quiet=0.5, timeout=120)
    phase.draft_cpu_seconds = child.cpu() - cpu_before
    phase.rss_after_drafts, phase.peak_rss = child.memory()


def _chat_of(params: dict[str, object]) -> int:
    chat = params.get("chat_id")
    if isinstance(chat, int):
        return chat
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return -1 if "callback_query_id" not in params else 10**12


def link_groups(api: FakeBotApi) -> FakeUser:
    """Let Kees add the bot to the police, enforcement and coordinator groups; return him."""
    kees = api.user(501, "Kees")
    for chat_id, title in (
        (POLICE, "Wijkagenten"),
        (ENFORCEMENT, "Handhaving"),
        (COORDINATOR, "Coördinatie"),
    ):
        api.add_bot_to_group(kees, api.group(chat_id, title))
    return kees


async def run(args: argparse.Namespace) -> tuple[Phase, Phase, Phase]:
    """Measure the echo bot (PTB's httpx, then Meldbot's aiohttp), then Meldbot."""
    workdir = Path(tempfile.mkdtemp(prefix="meldbot-bench-updates-"))
    api = FakeBotApi(TOKEN)
    await api.start()
    try:
        link_groups(api)
        process = MeldbotProcess(workdir, api.base_url, overrides=OVERRIDES)
        env = process.env()

        echo = Phase("echo bot (python-telegram-bot, bare)")
        child = await spawn("bench.echo_bot", env, workdir, workdir / "echo-heartbeat.json")
        try:
            await measure(api, child, echo, ECHO, args)
        finally:
            await child.stop()
        await api.wait_idle(quiet=0.2, timeout=10)

        echo_aiohttp = Phase("echo bot on Meldbot's HTTP client (aiohttp)")
        child = await spawn(
            "bench.echo_bot",
            {**env, "BENCH_ECHO_REQUEST": "aiohttp"},
            workdir,
            workdir / "echo-aiohttp-heartbeat.json",
        )
        try:
            await measure(api, child, echo_aiohttp, ECHO, args)
        finally:
            await child.stop()
        await api.wait_idle(quiet=0.2, timeout=10)

        meldbot = Phase("Meldbot")
        child = await spawn("bot", env, workdir, workdir / "meldbot-heartbeat.json", args.profile)
        try:
            await measure(api, child, meldbot, REPORT, args)
        finally:
            code = await child.stop()
        if code != 0:
            print("\n".join(child.lines[-20:]), file=sys.stderr)
        return echo, echo_aiohttp, meldbot
    finally:
        await api.stop()


def _ratio(value: float, baseline: float, fmt: str) -> str:
    """`value / baseline`, or a dash when the baseline shows as zero (or is missing)
    at the row's precision: a ratio to nothing measured says nothing."""
    if not math.isfinite(baseline) or float(fmt.format(baseline)) == 0:
        return "—"
    return f"{value / baseline:.2f}x"


def report(args: argparse.Namespace, echo: Phase, echo_aiohttp: Phase, meldbot: Phase) -> str:
    """Return the results as a Markdown table with the ratios to the echo bot.

    The goal's ratio is to the bare echo bot (PTB's own HTTP client); the last column gives
    the ratio to the same echo bot on Meldbot's HTTP client, to show what the client is worth.
    """
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    lines = [
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, {machine}; {args.residents} residents,"
        f" {args.concurrency} at a time, {len(REPORT)} updates each; {args.drafts} drafts",
        "",
        "| | echo bot | echo bot on aiohttp | Meldbot | ratio | ratio to echo on aiohttp |",
        "|---|---|---|---|---|---|",
    ]

    def row(what: str, value: Callable[[Phase], float], fmt: str = "{:.2f}") -> None:
        e, a, m = value(echo), value(echo_aiohttp), value(meldbot)
        lines.append(
            f"| {what} | {fmt.format(e)} | {fmt.format(a)} | {fmt.format(m)}"
            f" | {_ratio(m, e, fmt)} | {_ratio(m, a, fmt)} |"
        )

    row("CPU per update (ms)", lambda p: p.per_update_ms())
    row("… of it in the event loop's thread", lambda p: 1000 * p.loop_cpu_seconds / p.updates)
    row(
        "… in other threads (SQLite's)",
        lambda p: 1000 * (p.cpu_seconds - p.loop_cpu_seconds) / p.updates,
    )
    row("CPU of the quiet bot (ms per second)", lambda p: 1000 * p.idle_cpu_per_second)
    row("CPU per update above the quiet bot's (ms)", lambda p: p.above_idle_ms())
    row("Bot API calls per update", lambda p: p.calls / p.updates)
    row("… of them into the resident's chat", lambda p: p.resident_calls / p.updates)
    row("getUpdates calls per update", lambda p: p.polls / p.updates)
    for share, name in ((0.5, "p50"), (0.95, "p95"), (1.0, "max")):
        row(
            f"reply latency {name} (ms)",
            lambda p, share=share: 1000 * p.percentile(share),  # type: ignore[misc]
            "{:.1f}",
        )
    row("longest event-loop stall (ms)", lambda p: 1000 * max(p.stalls, default=0.0), "{:.1f}")
    row("stalls over 50 ms", lambda p: sum(1 for s in p.stalls if s > 0.05), "{:.0f}")
    row("RSS before the drafts (MiB)", lambda p: p.rss_before_drafts / 1024, "{:.1f}")
    row(
        f"RSS after {args.drafts} more residents started (MiB)",
        lambda p: p.rss_after_drafts / 1024,
        "{:.1f}",
    )
    row("peak RSS (MiB)", lambda p: p.peak_rss / 1024, "{:.1f}")
    row("load phase wall time (s)", lambda p: p.wall, "{:.1f}")
    lines += ["", "| Meldbot, reply latency per step | p50 (ms) | p95 (ms) |", "|---|---|---|"]
    for step, values in meldbot.by_step.items():
        ordered = sorted(values)
        p50, p95 = (
            ordered[len(ordered) // 2],
            ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        )
        lines.append(f"| {step} | {1000 * p50:.1f} | {1000 * p95:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--idle", type=float, default=3.0, help="seconds the quiet bot's CPU is measured"
    )
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument(
        "--profile", type=Path, help="write Meldbot's cProfile statistics to this file"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run all three bots this many times, one after the other, and add each round's"
        " CPU per update and the median ratios (this machine's speed drifts between runs)",
    )
    args = parser.parse_args()
    rounds = [asyncio.run(run(args)) for _ in range(max(1, args.rounds))]
    print(report(args, *rounds[-1]))
    if len(rounds) > 1:
        print()
        print(rounds_report(rounds))


def rounds_report(rounds: list[tuple[Phase, Phase, Phase]]) -> str:
    """Return each round's CPU per update and ratios, and the median ratios."""
    lines = [
        "| round | echo bot (ms) | echo bot on aiohttp (ms) | Meldbot (ms) | ratio"
        " | ratio to echo on aiohttp | ratio above the quiet bots' CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    ratios: list[float] = []
    to_aiohttp: list[float] = []
    above_idle: list[float] = []
    for number, (echo, echo_aiohttp, meldbot) in enumerate(rounds, start=1):
        e, a, m = (p.per_update_ms() for p in (echo, echo_aiohttp, meldbot))
        busy = meldbot.above_idle_ms() / echo.above_idle_ms()
        ratios.append(m / e)
        to_aiohttp.append(m / a)
        above_idle.append(busy)
        lines.append(
            f"| {number} | {e:.2f} | {a:.2f} | {m:.2f} | {m / e:.2f}x | {m / a:.2f}x"
            f" | {busy:.2f}x |"
        )
    lines.append(
        f"| median | | | | {statistics.median(ratios):.2f}x"
        f" | {statistics.median(to_aiohttp):.2f}x | {statistics.median(above_idle):.2f}x |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
