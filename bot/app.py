"""Wire settings, storage, the map and the handlers into one running Telegram application."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot.dispatcher import OutboxDispatcher
from bot.geocoding import NominatimGeocoder
from bot.jobs import RETENTION_EVERY, RETENTION_FIRST, retention
from bot.ratelimit import PriorityRateLimiter
from config.municipality import MunicipalityConfig
from config.settings import Settings
from handlers.coordinator.escalation import escalate_overdue
from handlers.messages import TelegramMessages
from handlers.proactive.jobs import expire_surveys, send_digests
from handlers.resident.jobs import expire_drafts
from handlers.services import SERVICES_KEY, Services
from handlers.setup import publish_commands, register
from handlers.texts import languages
from reports.clock import Clock, SystemClock
from reports.locating import LocationResolver
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from services.coordination import report_unreachable
from services.preferences import resident_unreachable
from storage.database import Database
from storage.outbox import OutboxRepository

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


class Bell:
    """Wake the outbox dispatcher after something was queued (connected once it exists)."""

    def __init__(self) -> None:
        self._targets: list[Callable[[], None]] = []

    def connect(self, target: Callable[[], None]) -> None:
        """Ring this target too."""
        self._targets.append(target)

    def ring(self) -> None:
        """Wake every connected target."""
        for target in self._targets:
            target()


@dataclass
class Meldbot:
    """The running bot: its application, database, services and outbox dispatcher."""

    application: App
    database: Database
    services: Services
    geocoder: NominatimGeocoder | None
    outbox: OutboxRepository
    dispatcher: OutboxDispatcher

    @classmethod
    async def create(
        cls,
        settings: Settings,
        config: MunicipalityConfig,
        clock: Clock | None = None,
        *,
        rate_limiter: PriorityRateLimiter | None = None,
    ) -> Meldbot:
        """Open the database and build the application; nothing talks to Telegram yet.

        `rate_limiter` replaces the one with Telegram's limits (tests scale its windows).
        """
        resolver, geocoder = build_resolver(config)
        bell = Bell()
        database = await Database.open(settings.meldbot_db)
        services = Services.create(
            config,
            database,
            clock=clock or SystemClock(),
            messages=TelegramMessages(config),
            locations=resolver,
            wake=bell.ring,
            languages=languages(),
            link_code=settings.link_code,
        )
        application: App = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.telegram_api_base_url)
            .base_file_url(settings.file_base_url)
            .rate_limiter(rate_limiter or PriorityRateLimiter(max_retries=3))
            .concurrent_updates(64)
            .build()
        )
        application.bot_data[SERVICES_KEY] = services
        register(application)
        outbox = OutboxRepository(database)

        async def unreachable(chat_id: int, reason: str) -> None:
            await resident_unreachable(services, chat_id)
            await report_unreachable(services, chat_id, reason)

        zone = config.municipality.zone
        dispatcher = OutboxDispatcher(
            application.bot,
            outbox,
            services.clock,
            on_unreachable=unreachable,
            tick=config.schedule.tick.approximate().total_seconds(),
            policy=config.schedule.send_policy(zone),
        )
        bell.connect(dispatcher.wake)
        return cls(application, database, services, geocoder, outbox, dispatcher)

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
        job_queue.run_repeating(expire_surveys, interval=sweep, first=sweep, name="surveys")
        job_queue.run_repeating(send_digests, interval=sweep, first=sweep, name="digests")
        overdue = self.services.config.timings.escalation_sweep_seconds
        job_queue.run_repeating(escalate_overdue, interval=overdue, first=overdue, name="escalate")
        job_queue.run_repeating(
            retention, interval=RETENTION_EVERY, first=RETENTION_FIRST, name="retention"
        )
        await app.start()
        await self.dispatcher.start(job_queue)
        updater = app.updater
        if updater is None:
            raise RuntimeError("the application has no updater")
        await updater.start_polling(
            poll_interval=poll_interval, timeout=poll_timeout, drop_pending_updates=False
        )
        log.info("Meldbot is polling as @%s", app.bot.username)

    async def stop(self) -> None:
        """Stop polling, finish sends and running handlers, and close the database."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await self.dispatcher.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if self.geocoder is not None:
            await self.geocoder.close()
        await self.database.close()
