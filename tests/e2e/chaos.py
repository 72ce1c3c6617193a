"""A process-level chaos run: the real bot is killed with SIGKILL again and again while
residents report and a caseworker claims, and Telegram fails a fifth of the bot's calls.

Used by tests/chaos/test_kills.py (50 kills) and bench/chaos.py (500 and more). The fake Bot
API fails `fault_rate` of the bot's calls, except getMe, getUpdates and deleteWebhook (the
command menus are faulted too: the bot starts without them and publishes them later): a 500,
502 or 503 answer or a dropped connection, half of them after the call took effect (the message
exists, only the answer is lost). Each round starts `python -m bot`, waits until it polls (or,
in `startup_share` of the rounds, not even that) and kills it after a random delay. Meanwhile
`lanes` residents at a time report, a new one as soon as one is through. After the last kill the
bot runs until every resident is through and every report claimed, is stopped cleanly, and
`tests/e2e/chaos_checks.py` checks what it left.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sandbox.botapi import DROP, FakeBotApi
from tests.e2e.chaos_checks import ChaosResult, check
from tests.e2e.chaos_people import Caseworker, Resident, ResidentLog
from tests.e2e.meldbot_process import TOKEN, MeldbotProcess
from tests.sqlite import opened

POLICE, ENFORCEMENT, COORDINATOR = -1001, -1002, -1009
GROUPS = {"politie": POLICE, "handhaving": ENFORCEMENT, "coordinator": COORDINATOR}
KEES = 501
OVERRIDES = (
    "[timings]\ndraft_sweep_seconds = 1\nescalation_sweep_seconds = 1\n"
    "[schedule]\ntick = 1\n"
    "[hotspots]\nenabled = false\n"  # every report is in one buurt: that would be a hotspot
    "[duplicates]\nenabled = false\n"  # ... and each resident would be offered the others
    f"[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [{KEES}]\n"
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
)
UNFAULTED = frozenset({"getme", "getupdates", "deletewebhook", "close", "logout"})
POLLING = "Meldbot is polling"


@dataclass
class ChaosSettings:
    """How hard a chaos run shakes the bot."""

    kills: int = 50
    lanes: int = 6
    """Residents reporting at the same time."""
    kill_after: tuple[float, float] = (0.2, 2.5)
    """Seconds a started bot lives after it began polling (uniformly random)."""
    startup_share: float = 0.1
    """Share of rounds killed while starting, 0 to 1 s after the spawn."""
    fault_rate: float = 0.2
    answer_timeout: float = 30.0
    settle_timeout: float = 180.0
    seed: int = 8
    progress: bool = False
    """Print a line per kill on stderr."""


@dataclass
class BotChild:
    """One `python -m bot` process and everything it printed."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    polling: asyncio.Event = field(default_factory=asyncio.Event)
    readers: list[asyncio.Task[None]] = field(default_factory=list)
    spawned: float = field(default_factory=time.monotonic)

    async def _read(self, stream: asyncio.StreamReader | None) -> None:
        while stream is not None:
            raw = await stream.readline()
            if not raw:
                return
            line = raw.decode(errors="replace").rstrip("\n")
            self.lines.append(line)
            if POLLING in line:
                self.polling.set()

    def watch(self) -> None:
        """Read stdout and stderr as they come, so the child never blocks on a full pipe."""
        for stream in (self.process.stdout, self.process.stderr):
            self.readers.append(asyncio.create_task(self._read(stream)))

    async def ended(self) -> int:
        """Wait until the process ended and its output was read; return its exit code."""
        code = await self.process.wait()
        await asyncio.gather(*self.readers, return_exceptions=True)
        return code


class ChaosRun:
    """Fake Telegram with faults, the bot as a child process, the people and the killer."""

    def __init__(self, workdir: Path, settings: ChaosSettings | None = None) -> None:
        self.workdir = workdir
        self.settings = settings or ChaosSettings()
        self.rng = random.Random(self.settings.seed)
        self.api = FakeBotApi(TOKEN)
        self.result = ChaosResult()
        self.logs: list[ResidentLog] = []
        self.stderr: list[str] = []
        self.child: BotChild | None = None
        self.process: MeldbotProcess | None = None
        self._next_user = 10_000
        self.updates: dict[int, str] = {}
        """What each update the people sent was, by update id (to name parked ones)."""

    async def run(self) -> ChaosResult:
        """Run the whole chaos and return what it measured."""
        started = time.monotonic()
        await self.api.start()
        try:
            await self._run()
        finally:
            if self.child is not None and self.child.process.returncode is None:
                self.child.process.kill()
                await self._collect(self.child)
            await self.api.stop()
        assert self.process is not None
        check(self.result, self.api, self.process.db_path, self.logs, GROUPS, self.stderr)
        self.result.parked = [self.updates.get(i, f"update {i}") for i in self.result.parked_ids]
        self.result.seconds = time.monotonic() - started
        return self.result

    async def _run(self) -> None:
        api, settings = self.api, self.settings
        self.process = MeldbotProcess(self.workdir, api.base_url, overrides=OVERRIDES)
        kees = api.user(KEES, "Kees")
        for chat_id, title in ((POLICE, "Wijkagenten"), (ENFORCEMENT, "Handhaving")):
            api.add_bot_to_group(kees, api.group(chat_id, title))
        api.add_bot_to_group(kees, api.group(COORDINATOR, "Coördinatie"))
        methods = [name for name in api.spec.methods if name not in UNFAULTED]
        api.failure_rate(
            settings.fault_rate,
            seed=settings.seed,
            methods=methods,
            statuses=(500, 502, 503, DROP),
            after_effect=0.5,
        )
        self.updates = _record_updates(api)
        await self._start()
        killing = asyncio.Event()
        stop_work = asyncio.Event()
        caseworker = Caseworker(api, kees, api.group(POLICE, "Wijkagenten"))
        working = asyncio.create_task(caseworker.work(stop_work))
        lanes = [asyncio.create_task(self._lane(killing)) for _ in range(self.settings.lanes)]
        await self._kill_rounds()
        killing.set()
        await asyncio.gather(*lanes)
        await self._settle(caseworker)
        stop_work.set()
        await working
        await self._stop()

    async def _lane(self, killing: asyncio.Event) -> None:
        """Let residents report one after another until the killing is over."""
        while not killing.is_set():
            self._next_user += 1
            user = self.api.user(self._next_user, f"Bewoner{self._next_user}")
            resident = Resident(self.api, user, self.settings.answer_timeout)
            self.logs.append(resident.log)
            await resident.report()

    async def _start(self) -> BotChild:
        """Spawn the bot; its output is read as it comes."""
        assert self.process is not None
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=self.process.workdir,
            env=self.process.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self.child = BotChild(process)
        self.child.watch()
        return self.child

    async def _collect(self, child: BotChild) -> int:
        code = await child.ended()
        self.stderr.extend(child.lines)
        return code

    async def _kill_rounds(self) -> None:
        """Kill the running bot `kills` times at random moments, starting it again each time."""
        settings = self.settings
        for _ in range(settings.kills):
            child = self.child
            assert child is not None
            if self.rng.random() < settings.startup_share:
                await asyncio.sleep(self.rng.uniform(0.0, 1.0))
                self.result.startup_kills += 1
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(child.polling.wait(), 60)
                    self.result.startup_seconds.append(time.monotonic() - child.spawned)
                await asyncio.sleep(self.rng.uniform(*settings.kill_after))
            if child.process.returncode is not None:
                self.result.own_exits.append(child.process.returncode)
            else:
                child.process.send_signal(signal.SIGKILL)
                self.result.kills += 1
            if settings.progress:
                print(
                    f"kill {self.result.kills}: {len(self.logs)} residents,"
                    f" {len(self.api.world.sent)} messages",
                    file=sys.stderr,
                )
            await self._collect(child)
            await self._start()

    async def _settle(self, caseworker: Caseworker) -> None:
        """Let the last bot run until every report is claimed and the chats are quiet."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.settle_timeout
        quiet_since, seen = loop.time(), -1
        while loop.time() < deadline:
            if len(self.api.world.sent) != seen:
                seen, quiet_since = len(self.api.world.sent), loop.time()
            pending = [m for m in caseworker.claimable() if caseworker.presses.get(m, 0) < 3]
            if (
                self.child is not None
                and self.child.polling.is_set()
                and not pending
                and loop.time() - quiet_since > 3.0
                and self._database_settled()
            ):
                return
            await asyncio.sleep(0.5)

    def _database_settled(self) -> bool:
        """Return whether every report is claimed and no message is due to be sent."""
        assert self.process is not None
        now = datetime.now(UTC).isoformat()
        with opened(f"file:{self.process.db_path}?mode=ro", uri=True) as connection:
            (open_reports,) = connection.execute(
                "SELECT COUNT(*) FROM reports WHERE status IN ('routed', 'reopened')"
            ).fetchone()
            (due,) = connection.execute(
                "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
                " AND due_at <= ?",
                (now,),
            ).fetchone()
        return int(open_reports) == 0 and int(due) == 0

    async def _stop(self) -> None:
        """Stop the last bot with SIGTERM, as a deployment would."""
        child = self.child
        assert child is not None
        if child.process.returncode is None:
            child.process.send_signal(signal.SIGTERM)
        try:
            self.result.final_exit = await asyncio.wait_for(self._collect(child), 30)
        except TimeoutError:
            child.process.kill()
            self.result.final_exit = await self._collect(child)


def _record_updates(api: FakeBotApi) -> dict[int, str]:
    """Remember every update pushed to the bot as "chat: text or button data"."""
    seen: dict[int, str] = {}
    push = api.world.updates.push

    def recording(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = push(kind, payload)
        chat = (payload.get("message") or payload).get("chat", {}).get("id")
        what = payload.get("text") or payload.get("data") or kind
        seen[int(update["update_id"])] = f"{kind} in {chat}: {what}"
        return update

    setattr(api.world.updates, "push", recording)  # noqa: B010
    return seen
