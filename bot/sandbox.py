"""`meldbot sandbox`: the real bot against the built-in local Bot API, with a page in the browser.

Nothing is needed but the installed package: no token, no network. The imitation of Telegram
(sandbox.botapi, the same one the tests use) runs on a free loopback port; Meldbot, unchanged,
talks to it through its base URL setting. Every partner and the coordinator get a sandbox group
of their own, linked by configuration, with two caseworkers each. The page (sandbox.page) shows a
resident's phone and the partner groups, and skips the bot's clock ahead.

The sandbox keeps its own database (default `meldbot-sandbox/meldbot.sqlite3`), stamped as a
sandbox database; it refuses a database that holds reports not made in a sandbox.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.app import Meldbot
from bot.failures import ExitCode, Failure
from bot.instance import InstanceLock
from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from config.settings import Settings
from council.maps import load_maps
from reports.clock import OffsetClock
from reports.map_svg import draw_map
from sandbox.botapi import FakeBotApi, FakeUser
from sandbox.botapi.snapshot import load_world, save_world
from sandbox.page import PortInUse, SandboxPage, Team
from storage.sandbox import inspect_database, mark_sandbox

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "1000000001:MeldbotSandboxLocalOnlyNotATelegramToken"
DEFAULT_DIRECTORY = Path("meldbot-sandbox")
DEFAULT_PORT = 8080
FIRST_GROUP = -1_001_000_000_001  # supergroup ids, one per partner, counting down
FIRST_RESIDENT = 10_001
FIRST_CASEWORKER = 20_001
CASEWORKERS = (
    ("Kees", "Lotte"),
    ("Bas", "Fatma"),
    ("Ruud", "Anouk"),
    ("Joyce", "Mehmet"),
    ("Sanne", "Pieter"),
    ("Ilse", "Jeroen"),
    ("Henk", "Priya"),
    ("Marloes", "Youssef"),
    ("Wendy", "Tim"),
    ("Cora", "Daan"),
)
RESIDENTS = (("Anna", "nl"), ("Ben", "en"))


@dataclass(frozen=True)
class SandboxOptions:
    """What `meldbot sandbox` was asked for."""

    directory: Path = DEFAULT_DIRECTORY
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    browser: bool = True
    reset: bool = False
    geocoder: bool = False

    @property
    def database(self) -> Path:
        return self.directory / "meldbot.sqlite3"


@dataclass
class Sandbox:
    """The local Bot API, the real Meldbot and the page, started and stopped together."""

    options: SandboxOptions
    clock: OffsetClock = field(default_factory=OffsetClock)
    api: FakeBotApi | None = None
    meldbot: Meldbot | None = None
    page: SandboxPage | None = None
    url: str = ""
    meldbot_started: bool = False
    _lock: InstanceLock | None = None

    @property
    def clock_file(self) -> Path:
        return self.options.directory / "clock.json"

    @property
    def chats_file(self) -> Path:
        """The imitation's chats, kept across restarts (sandbox.botapi.snapshot)."""
        return self.options.directory / "chats.json"

    async def start(self) -> None:
        """Take the folder's lock, check the database, start the API, the page and the bot."""
        options = self.options
        options.directory.mkdir(parents=True, exist_ok=True)
        self._lock = InstanceLock(options.database)
        try:
            self._lock.acquire()
        except Failure as failure:
            raise Failure(
                ExitCode.ALREADY_RUNNING,
                f"a sandbox is already running on {options.directory}/ ({failure.reason}). "
                "Use that one, or start another with --dir OTHER_FOLDER --port OTHER_PORT.",
            ) from None
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        options = self.options
        if options.reset:
            self._remove_database()
        self._check_database()
        mark_sandbox(options.database)
        self._load_clock()
        clock = self.clock
        self.api = api = FakeBotApi(
            SANDBOX_TOKEN, username="meldbot_sandbox_bot", clock=lambda: clock.now().timestamp()
        )
        restored = load_world(api.world, self.chats_file)
        await api.start()
        base = load_municipality()
        teams = self._teams(api, base)
        config_path = self._write_config(teams)
        config = load_municipality(config_path)
        self.page = page = SandboxPage(api, teams, _map(config), now=clock.now, skip=self._skip)
        people = sorted(api.world.users.values(), key=lambda user: user.id)
        residents = [user for user in people if FIRST_RESIDENT <= user.id < FIRST_CASEWORKER]
        page.residents = residents if restored else []
        if not page.residents:
            for name, language in RESIDENTS:
                page.add_resident(name, language)
        try:
            await page.start(options.host, options.port)
        except PortInUse as taken:
            raise Failure(
                ExitCode.PORT_IN_USE,
                f"port {taken.port} on {taken.host} is in use by another program. "
                f"Pick another: meldbot sandbox --port {taken.port + 1}",
            ) from None
        self.url = page.url
        settings = Settings.model_validate(
            {
                "TELEGRAM_BOT_TOKEN": SANDBOX_TOKEN,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "MELDBOT_DB": str(options.database),
                "MELDBOT_CONFIG": str(config_path),
            }
        )
        self.meldbot = await Meldbot.create(settings, config, clock)
        await self.meldbot.start(poll_timeout=10)
        self.meldbot_started = True

    async def stop(self) -> None:
        """Stop the bot, the page and the API, and give the folder's lock up."""
        if self.meldbot is not None:
            await self.meldbot.stop()
            self.meldbot = None
        if self.page is not None:
            await self.page.stop()
            self.page = None
        if self.api is not None:
            await self.api.stop()
            if self.meldbot_started:
                save_world(self.api.world, self.chats_file)
            self.api = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _remove_database(self) -> None:
        """--reset: delete the sandbox database (only a sandbox's) and its clock."""
        self._check_database()
        database = self.options.database
        for path in (database, *(Path(f"{database}{end}") for end in ("-wal", "-shm"))):
            path.unlink(missing_ok=True)
        self.clock_file.unlink(missing_ok=True)
        self.chats_file.unlink(missing_ok=True)

    def _check_database(self) -> None:
        """Refuse a file that is not a database, or one with reports not made in a sandbox."""
        database = self.options.database
        try:
            kind = inspect_database(database)
        except sqlite3.DatabaseError as error:
            raise Failure(
                ExitCode.SANDBOX_REFUSED,
                f"{database} is not a Meldbot sandbox database ({error}). "
                "Start the sandbox in another folder with --dir.",
            ) from None
        if kind.real_reports:
            raise Failure(
                ExitCode.SANDBOX_REFUSED,
                f"{database} holds {kind.reports} reports that were not made in a sandbox; "
                "the sandbox never runs on a real database. Start it in another folder with --dir.",
            )

    def _load_clock(self) -> None:
        """Take up the time skipped in earlier runs, so stored times stay in order."""
        try:
            saved = json.loads(self.clock_file.read_text(encoding="utf-8"))
            self.clock.offset = timedelta(seconds=float(saved["skipped_seconds"]))
        except (OSError, ValueError, KeyError, TypeError):
            self.clock.offset = timedelta(0)

    async def _skip(self, delta: timedelta) -> None:
        """Move the bot's clock ahead, remember it, and let the sender look at once."""
        self.clock.advance(delta)
        skipped = {"skipped_seconds": self.clock.offset.total_seconds()}
        self.clock_file.write_text(json.dumps(skipped), encoding="utf-8")
        if self.meldbot is not None:
            self.meldbot.dispatcher.wake()

    @staticmethod
    def _teams(api: FakeBotApi, config: MunicipalityConfig) -> list[Team]:
        """Make a group for every partner and the coordinator, with two caseworkers each."""
        teams = []
        for number, partner in enumerate(config.partners):
            group = api.group(FIRST_GROUP - number, partner.name_nl)
            group.bot_status = "administrator"  # the bot sees every message, as an admin would
            names = CASEWORKERS[number % len(CASEWORKERS)]
            people: list[FakeUser] = []
            for offset, name in enumerate(names):
                user = api.user(FIRST_CASEWORKER + 2 * number + offset, name, language_code="nl")
                api.set_member_status(group, user, "administrator" if offset == 0 else "member")
                people.append(user)
            teams.append(Team(partner.id, group, people))
        return teams

    def _write_config(self, teams: list[Team]) -> Path:
        """Write the sandbox's override: groups linked, geocoder off, time that can be skipped."""
        lines = [
            "# Written by `meldbot sandbox` at every start; changes here are overwritten.",
            "[timings]",
            "draft_sweep_seconds = 5",
            "escalation_sweep_seconds = 5",
            "[schedule]",
            "tick = 1",
            "# Skipping a week must not expire what fell due meanwhile; nothing waits for morning.",
            'grace = "P365D"',
            'quiet_hours = ""',
        ]
        if not self.options.geocoder:
            lines += ["[geocoder]", 'provider = "none"']
        for team in teams:
            lines += [f"[partners.{team.key}]", f"chat_id = {team.group.id}"]
        path = self.options.directory / "meldbot.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _map(config: MunicipalityConfig) -> str:
    """Draw the municipality's buurten, with the wijk borders when their file is there."""
    buurten, wijken = load_maps(config.neighbourhoods.buurten)
    return draw_map(buurten, wijken, title=config.municipality.name).svg
