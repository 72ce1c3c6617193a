"""Build what every use-case test needs: the configuration, the map and services on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import build_resolver
from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import Clock
from reports.locating import LocationResolver
from services.container import Services
from storage.database import Database


def configured(directory: Path, overrides: str) -> MunicipalityConfig:
    """Load the shipped configuration with a test's overrides, offline unless they say otherwise."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "meldbot.toml"
    offline = "" if "[geocoder]" in overrides else '[geocoder]\nprovider = "none"\n'
    path.write_text(offline + overrides, encoding="utf-8")
    return load_municipality(path)


def resolver_for(config: MunicipalityConfig) -> LocationResolver:
    """Load the neighbourhood map of a configuration."""
    return build_resolver(config)[0]


@asynccontextmanager
async def services_on(
    path: Path,
    config: MunicipalityConfig,
    clock: Clock,
    *,
    locations: LocationResolver | None = None,
    wake: Callable[[], None] = lambda: None,
    link_code: str | None = None,
) -> AsyncIterator[tuple[Services, Database]]:
    """Open a database at `path` and build the services on it as the bot does, no Telegram."""
    database = await Database.open(path)
    try:
        yield (
            Services.create(
                config,
                database,
                clock=clock,
                messages=TelegramMessages(config),
                locations=locations or resolver_for(config),
                wake=wake,
                languages=languages(),
                link_code=link_code,
            ),
            database,
        )
    finally:
        await database.close()
