"""Hold what the use cases work with: configuration, clock, units of work, repositories, map."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from config.municipality import MunicipalityConfig
from reports.categories import UrgencyDetector
from reports.clock import Clock
from reports.locating import LocationResolver
from reports.models import Language
from services.ports import Messages
from storage.cases import CaseRepository
from storage.database import Database
from storage.digests import DigestRepository
from storage.drafts import DraftRepository
from storage.followers import FollowerReads
from storage.followups import FollowupRepository
from storage.hotspots import HotspotReads
from storage.insight import InsightRepository
from storage.open311 import Open311Reads
from storage.outbox import OutboxRepository
from storage.panel import PanelReads
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository
from storage.surveys import SurveyRepository
from storage.uow import UnitOfWorkFactory, unit_of_work


@dataclass(frozen=True)
class Services:
    """Everything a use case may use; built once by the composition root."""

    config: MunicipalityConfig
    clock: Clock
    uow: UnitOfWorkFactory
    messages: Messages
    drafts: DraftRepository
    reports: ReportRepository
    residents: ResidentRepository
    privacy: PrivacyRepository
    locations: LocationResolver
    urgency: UrgencyDetector
    cases: CaseRepository
    outbox: OutboxRepository
    link_code: str | None
    followups: FollowupRepository
    surveys: SurveyRepository
    digests: DigestRepository
    insight: InsightRepository
    hotspots: HotspotReads
    panel: PanelReads
    open311: Open311Reads
    followers: FollowerReads
    languages: tuple[Language, ...]
    """The languages residents can read Meldbot in (one text catalogue each), Dutch first."""

    @classmethod
    def create(
        cls,
        config: MunicipalityConfig,
        database: Database,
        *,
        clock: Clock,
        messages: Messages,
        locations: LocationResolver,
        wake: Callable[[], None],
        languages: tuple[Language, ...],
        link_code: str | None = None,
    ) -> Services:
        """Build the services on one database; `wake` rings the dispatcher after a commit."""
        return cls(
            config=config,
            clock=clock,
            uow=unit_of_work(database, wake),
            messages=messages,
            drafts=DraftRepository(database),
            reports=ReportRepository(database),
            residents=ResidentRepository(database),
            privacy=PrivacyRepository(database),
            locations=locations,
            urgency=UrgencyDetector(config.urgency.keywords),
            cases=CaseRepository(database),
            outbox=OutboxRepository(database),
            link_code=link_code,
            followups=FollowupRepository(database),
            surveys=SurveyRepository(database),
            digests=DigestRepository(database),
            insight=InsightRepository(database),
            hotspots=HotspotReads(database),
            panel=PanelReads(database),
            open311=Open311Reads(database),
            followers=FollowerReads(database),
            languages=languages,
        )

    async def language_of(self, user_id: int | None, client_language: str | None) -> Language:
        """Return the resident's chosen language, else the one their Telegram app uses."""
        if user_id is None:
            return Language.NL
        chosen = await self.residents.language(user_id)
        if chosen is not None:
            return chosen
        return Language.from_client(client_language, self.languages)
