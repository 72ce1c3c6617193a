"""Wire settings, storage, the map and the handlers into one running Telegram application.

Longer than 300 lines because it is the composition root: every part is built, started and
stopped here, in one readable order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from telegram.error import Conflict, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.bell import Bell
from bot.dispatcher import OutboxDispatcher
from bot.failures import BotApiCallFailed, ConflictWatch
from bot.geocoding import NominatimGeocoder
from bot.intake import Intake
from bot.jobs import OPTIMIZE_FIRST, RETENTION_EVERY, RETENTION_FIRST, optimize, retention
from bot.logs import summary
from bot.open311 import Open311Server
from bot.pictures import draw_picture
from bot.ratelimit import PriorityRateLimiter
from bot.request import AiohttpRequest
from bot.resends import ResendNotes
from bot.stopping import STOP_STEP_SECONDS, run_bounded
from bot.telegram_bot import MeldbotBot
from bot.webhook import WebhookServer
from config.municipality import MunicipalityConfig
from config.settings import Settings, Webhook
from handlers.coordinator.escalation import escalate_overdue
from handlers.coordinator.hotspots import look_for_hotspots
from handlers.coordinator.insight import post_monthly_report
from handlers.messages import TelegramMessages
from handlers.proactive.jobs import ask_panel, expire_surveys, send_digests
from handlers.resident.jobs import expire_drafts
from handlers.resident.resume import answer_again
from handlers.services import SERVICES_KEY, Services
from handlers.setup import publish_commands_or_later, register
from handlers.texts import languages
from reports.clock import Clock, SystemClock
from reports.locating import LocationResolver
from reports.neighbourhoods import NeighbourhoodMap
from reports.places import PlaceIndex, PostcodeTable
from services.chain import chat_language
from services.coordination import report_unreachable
from services.preferences import resident_unreachable
from services.readiness import check_readiness
from storage.database import Database
from storage.inbox import Inbox
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


@dataclass
class Meldbot:
    """The running bot: its application, database, services and outbox dispatcher."""

    application: App
    database: Database
    services: Services
    geocoder: NominatimGeocoder | None
    outbox: OutboxRepository
    dispatcher: OutboxDispatcher
    halted: asyncio.Future[BaseException]
    intake: Intake
    webhook: Webhook | None = None
    """Webhook mode's settings; None: long polling."""
    webhook_server: WebhookServer | None = None
    open311: Open311Server | None = None
    conflicts: ConflictWatch | None = None
    stop_overruns: list[str] = field(default_factory=list)
    """Stop steps that took over STOP_STEP_SECONDS, each with what was still waiting."""

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
        database = await Database.open(settings.meldbot_db, max_bytes=settings.database_max_bytes)
        try:
            return cls._assemble(
                settings, config, clock, rate_limiter, database, resolver, geocoder
            )
        except BaseException:
            await database.close()
            raise

    @classmethod
    def _assemble(
        cls,
        settings: Settings,
        config: MunicipalityConfig,
        clock: Clock | None,
        rate_limiter: PriorityRateLimiter | None,
        database: Database,
        resolver: LocationResolver,
        geocoder: NominatimGeocoder | None,
    ) -> Meldbot:
        """Build services, the application and the dispatcher around an open database."""
        bell = Bell()
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
            .bot(
                MeldbotBot(
                    settings.token,
                    base_url=settings.telegram_api_base_url,
                    base_file_url=settings.file_base_url,
                    # The pools ApplicationBuilder would have made: one for getUpdates, 256 else;
                    # over aiohttp, not httpx (bot/request.py).
                    request=AiohttpRequest(connection_pool_size=256),
                    get_updates_request=AiohttpRequest(connection_pool_size=1),
                    rate_limiter=rate_limiter or PriorityRateLimiter(max_retries=3),
                )
            )
            # Updates come through the inbox (bot/intake.py), not python-telegram-bot's updater.
            .updater(None)
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
            notes=ResendNotes(outbox, partial(chat_language, services)),
            pictures=partial(draw_picture, services),
        )
        bell.connect(dispatcher.wake)
        halted = asyncio.get_running_loop().create_future()
        intake = Intake(application, Inbox(database), services.clock)
        intake.resume = answer_again
        meldbot = cls(application, database, services, geocoder, outbox, dispatcher, halted, intake)
        meldbot.webhook = settings.webhook
        intake.on_fatal = meldbot.halt
        intake.on_conflict = meldbot._conflict
        database.on_full(meldbot.halt)
        return meldbot

    def halt(self, error: BaseException) -> None:
        """Stop the bot because of `error`; `until_stopped` returns the first one."""
        if not self.halted.done():
            log.error("Meldbot must stop: %s", summary(error))
            self.halted.set_result(error)

    async def until_stopped(self, stop: asyncio.Event) -> BaseException | None:
        """Wait for `stop` (a signal) or a halt; return the error that halted the bot, if any."""
        signalled = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait((signalled, self.halted), return_when=asyncio.FIRST_COMPLETED)
        finally:
            signalled.cancel()
        return self.halted.result() if self.halted.done() else None

    async def start(self, *, poll_timeout: int = 30, poll_interval: float = 0.0) -> None:
        """Connect to the Bot API, publish the command menus and start long polling."""
        app = self.application
        async with _calling("getMe"):
            await app.initialize()
        await check_readiness(self.services)  # logs which groups are linked; passes on held
        job_queue = app.job_queue
        if job_queue is None:
            raise RuntimeError("python-telegram-bot[job-queue] is required")
        await publish_commands_or_later(app.bot, job_queue)
        sweep = self.services.config.timings.draft_sweep_seconds
        for job in (expire_drafts, expire_surveys, send_digests, ask_panel):
            job_queue.run_repeating(job, interval=sweep, first=sweep, name=job.__name__)
        overdue = self.services.config.timings.escalation_sweep_seconds
        for job in (escalate_overdue, post_monthly_report, look_for_hotspots):
            job_queue.run_repeating(job, interval=overdue, first=overdue, name=job.__name__)
        job_queue.run_repeating(
            retention, interval=RETENTION_EVERY, first=RETENTION_FIRST, name="retention"
        )
        job_queue.run_repeating(
            optimize, RETENTION_EVERY, OPTIMIZE_FIRST, data=self.database, name="statistics"
        )
        await app.start()
        await self.dispatcher.start(job_queue)
        if self.services.config.open311.enabled:
            self.open311 = Open311Server(self.services)
            await self.open311.start()
        if self.webhook is not None:
            await self._start_webhook(self.webhook)
            return
        self.conflicts = ConflictWatch()
        async with _calling("deleteWebhook"):
            # Polling needs no webhook; updates Telegram still holds stay (they are stored first).
            await app.bot.delete_webhook(drop_pending_updates=False)
        await self.intake.start(poll_timeout=poll_timeout, poll_interval=poll_interval)
        log.info("Meldbot is polling as @%s", app.bot.username)

    async def _start_webhook(self, webhook: Webhook) -> None:
        """Listen for Telegram's posts, then tell Telegram where to post and with what secret."""
        await self.intake.start(poll_timeout=None)
        self.webhook_server = WebhookServer(self.intake, webhook)
        await self.webhook_server.start()
        async with _calling("setWebhook"):
            await self.application.bot.set_webhook(
                webhook.url, secret_token=webhook.secret, drop_pending_updates=False
            )
        log.info(
            "Meldbot receives updates as @%s on %s:%d (webhook)",
            self.application.bot.username,
            webhook.host,
            self.webhook_server.port,
        )

    def _conflict(self, error: Conflict) -> None:
        """Halt when another instance polls with this token; otherwise log one line."""
        if self.conflicts is None or self.conflicts.conflict():
            self.halt(error)
        else:
            log.warning("another program polled with this bot token (409 Conflict)")

    async def stop(self) -> None:
        """Stop polling, finish sends and running handlers, and close the database.

        Each step gets STOP_STEP_SECONDS; a step that overruns is abandoned with an error that
        names it and the tasks still waiting (kept in `stop_overruns`), and the database is
        closed whatever happened, so a stop never hangs the process.
        """
        app = self.application
        steps: list[tuple[str, Callable[[], Awaitable[object]]]] = []
        if self.webhook_server is not None:
            steps.append(("the webhook server", self.webhook_server.stop))
        if self.open311 is not None:
            steps.append(("the Open311 server", self.open311.stop))
        steps.append(("the intake", self.intake.stop))
        steps.append(("the outbox dispatcher", self.dispatcher.stop))
        if app.running:
            steps.append(("the application", app.stop))
        steps.append(("the application's shut-down", app.shutdown))
        # A start that failed at getMe left the bot's HTTP clients open; close them.
        steps.append(("the Bot API client", app.bot.shutdown))
        if self.geocoder is not None:
            steps.append(("the geocoder", self.geocoder.close))
        try:
            await run_bounded(steps, STOP_STEP_SECONDS, self.stop_overruns)
        finally:
            await self.database.close()


@asynccontextmanager
async def _calling(method: str) -> AsyncIterator[None]:
    """Name the Bot API method a start-up step called when it fails."""
    try:
        yield
    except TelegramError as error:
        raise BotApiCallFailed(method, error) from error
