"""Wire settings, storage, the map and the handlers into one running Telegram application."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.geocoding import NominatimGeocoder
from config.municipality import MunicipalityConfig
from config.settings import Settings
from handlers.jobs import expire_drafts
from handlers.services import SERVICES_KEY, Services
from handlers.setup import publish_commands, register
from reports.categories import UrgencyDetector
from reports.clock import Clock, SystemClock
from reports.locating import LocationResolver
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from storage.database import Database
from storage.drafts import DraftRepository
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]


def build_resolver(config: MunicipalityConfig) -> tuple[LocationResolver, NominatimGeocoder | None]:
    """Load the neighbourhood data once and attach the configured geocoder."""
    files = config.neighbourhoods
    hoods = NeighbourhoodMap.from_files(files.buurten, files.centroids)
    places = PlaceIndex.from_files(files.aliases, hoods)
    postcodes = PostcodeTable.from_csv(files.postcodes)
    geocoder = None
    if config.geocoder.provider == "nominatim":
        geocoder = NominatimGeocoder(
            user_agent=config.geocoder.user_agent,
            bounds=hoods.bounds,
            domain=config.geocoder.domain,
            scheme=config.geocoder.scheme,
            timeout=config.geocoder.timeout_seconds,
            contains=hoods.contains,
            min_interval=config.geocoder.min_delay_seconds,
        )
    resolver = LocationResolver(hoods, places, postcodes, geocoder, config.municipality.name)
    return resolver, geocoder


@dataclass
class Meldbot:
    """The running bot: its application, database and services."""

    application: App
    database: Database
    services: Services
    geocoder: NominatimGeocoder | None

    @classmethod
    async def create(
        cls, settings: Settings, config: MunicipalityConfig, clock: Clock | None = None
    ) -> Meldbot:
        """Open the database and build the application; nothing talks to Telegram yet."""
        resolver, geocoder = build_resolver(config)
        database = await Database.open(settings.meldbot_db)
        services = Services(
            config=config,
            clock=clock or SystemClock(),
            drafts=DraftRepository(database),
            reports=ReportRepository(database),
            residents=ResidentRepository(database),
            privacy=PrivacyRepository(database),
            locations=resolver,
            urgency=UrgencyDetector(config.urgency.keywords),
        )
        application: App = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.telegram_api_base_url)
            .base_file_url(settings.file_base_url)
            .rate_limiter(AIORateLimiter(max_retries=3))
            .concurrent_updates(64)
            .build()
        )
        application.bot_data[SERVICES_KEY] = services
        register(application)
        return cls(application, database, services, geocoder)

    async def start(self, *, poll_timeout: int = 30, poll_interval: float = 0.0) -> None:
        """Connect to the Bot API, publish the command menus and start long polling."""
        app = self.application
        await app.initialize()
        await publish_commands(app.bot)
        job_queue = app.job_queue
        if job_queue is None:
            raise RuntimeError("python-telegram-bot[job-queue] is required")
        sweep = self.services.config.timings.draft_sweep_seconds
        job_queue.run_repeating(expire_drafts, interval=sweep, first=sweep, name="expire-drafts")
        await app.start()
        updater = app.updater
        if updater is None:
            raise RuntimeError("the application has no updater")
        await updater.start_polling(
            poll_interval=poll_interval, timeout=poll_timeout, drop_pending_updates=False
        )
        log.info("Meldbot is polling as @%s", app.bot.username)

    async def stop(self) -> None:
        """Stop polling, finish running handlers and close the database."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if self.geocoder is not None:
            await self.geocoder.close()
        await self.database.close()
