"""Give handlers what they work with: the configuration, the clock, the repositories, the map."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import User
from telegram.ext import ContextTypes

from config.municipality import MunicipalityConfig
from reports.categories import UrgencyDetector
from reports.clock import Clock
from reports.locating import LocationResolver
from reports.models import Language
from storage.cases import CaseRepository
from storage.digests import DigestRepository
from storage.drafts import DraftRepository
from storage.followups import FollowupRepository
from storage.outbox import OutboxRepository
from storage.privacy import PrivacyRepository
from storage.reports import ReportRepository
from storage.residents import ResidentRepository
from storage.surveys import SurveyRepository

SERVICES_KEY = "meldbot.services"


@dataclass(frozen=True)
class Services:
    """Everything a handler may use; built once by the composition root."""

    config: MunicipalityConfig
    clock: Clock
    drafts: DraftRepository
    reports: ReportRepository
    residents: ResidentRepository
    privacy: PrivacyRepository
    locations: LocationResolver
    urgency: UrgencyDetector
    cases: CaseRepository
    outbox: OutboxRepository
    wake_sender: Callable[[], None]
    link_code: str | None
    followups: FollowupRepository
    surveys: SurveyRepository
    digests: DigestRepository

    async def language_of(self, user: User | None) -> Language:
        """Return the resident's chosen language, else English for English Telegram clients."""
        if user is None:
            return Language.NL
        chosen = await self.residents.language(user.id)
        if chosen is not None:
            return chosen
        code = (user.language_code or "").lower()
        return Language.EN if code.startswith("en") else Language.NL


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the services stored in the application's bot_data."""
    found = context.bot_data.get(SERVICES_KEY)
    if not isinstance(found, Services):
        raise RuntimeError("Meldbot services are not installed in bot_data")
    return found
