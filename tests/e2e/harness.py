"""Run the real Meldbot against the fake Bot API and fake Nominatim, and talk to it as people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Meldbot
from bot.ratelimit import PriorityRateLimiter
from config.loading import load_municipality
from config.settings import Settings
from reports.clock import ManualClock
from sandbox.botapi import FakeBotApi, FakeUser, SentMessage
from tests.fakes.geocoder import FakeNominatim

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@dataclass
class Harness:
    """One Meldbot instance with its database, clock and the fakes it talks to."""

    api: FakeBotApi
    geocoder: FakeNominatim
    workdir: Path
    clock: ManualClock = field(default_factory=lambda: ManualClock(START))
    overrides: str = ""
    link_code: str | None = None
    schedule: str = ""  # keys of [schedule]; the sender's tick is always short here
    rate_limiter: Callable[[], PriorityRateLimiter] | None = None  # default: Telegram's limits
    settings: dict[str, str] = field(default_factory=dict)  # more environment settings
    hotspots: bool = False  # most tests report in Boddenkamp again and again: a hotspot
    duplicates: bool = False  # ... and each would be offered the earlier ones to follow
    bot: Meldbot | None = None

    @property
    def db_path(self) -> Path:
        return self.workdir / "meldbot.sqlite3"

    def write_config(self) -> Path:
        """Point the geocoder at the fake and shorten the sweep; add the test's own overrides."""
        path = self.workdir / "meldbot.toml"
        path.write_text(
            "[timings]\ndraft_sweep_seconds = 1\nescalation_sweep_seconds = 1\n"
            f'[geocoder]\nprovider = "nominatim"\ndomain = "{self.geocoder.domain}"\n'
            'scheme = "http"\ntimeout_seconds = 2.0\n'
            f"[schedule]\ntick = 1\n{self.schedule}\n"
            f"[hotspots]\nenabled = {str(self.hotspots).lower()}\n"
            f"[duplicates]\nenabled = {str(self.duplicates).lower()}\n" + self.overrides,
            encoding="utf-8",
        )
        return path

    async def start(self) -> Meldbot:
        """Start Meldbot with the manual lifecycle, long-polling the fake Bot API."""
        config_path = self.write_config()
        settings = Settings.model_validate(
            {
                "TELEGRAM_BOT_TOKEN": self.api.token,
                "TELEGRAM_API_BASE_URL": self.api.base_url,
                "MELDBOT_DB": str(self.db_path),
                "MELDBOT_CONFIG": str(config_path),
                "MELDBOT_LINK_CODE": self.link_code,
                **self.settings,
            }
        )
        limiter = self.rate_limiter() if self.rate_limiter is not None else None
        self.bot = await Meldbot.create(
            settings, load_municipality(config_path), self.clock, rate_limiter=limiter
        )
        await self.bot.start(poll_timeout=1)
        return self.bot

    async def stop(self) -> None:
        """Stop Meldbot and close its database."""
        if self.bot is not None:
            bot, self.bot = self.bot, None
            await bot.stop()
            # A stop that hangs is a bug: fail with what it waited for, not a test timeout.
            assert not bot.stop_overruns, bot.stop_overruns

    async def restart(self) -> Meldbot:
        """Stop and start again on the same database, like a redeployment."""
        await self.stop()
        return await self.start()

    async def say(self, user: FakeUser, text: str, *, expect: str | None = None) -> SentMessage:
        """Send a text and wait for the bot's next message (containing expect, when given)."""
        self.api.drain(user.id)
        self.api.send_text(user, text)
        return await self.api.wait_for_message(user.id, contains=expect)

    async def tap_key(
        self, user: FakeUser, label: str, *, expect: str | None = None
    ) -> SentMessage:
        """Tap a key of the reply keyboard by its label and wait for the bot's next message."""
        self.api.drain(user.id)
        self.api.tap_key(user, label)
        return await self.api.wait_for_message(user.id, contains=expect)

    async def tap(
        self, user: FakeUser, message: SentMessage, text: str, *, expect: str | None = None
    ) -> SentMessage:
        """Press a button by its text and wait for the bot's next message."""
        self.api.drain(user.id)
        self.api.press(user, message, text=text)
        return await self.api.wait_for_message(user.id, contains=expect)
