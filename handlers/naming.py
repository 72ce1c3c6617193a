"""Name things for a text, in one place: partners, categories, timings, dates and times."""

from __future__ import annotations

from datetime import datetime

from config.municipality import MunicipalityConfig
from handlers.texts import T
from reports.models import Language, Timing

TIMING_TEXTS = {
    Timing.NOW: T.TIMING_NOW,
    Timing.EARLIER: T.TIMING_EARLIER,
    Timing.RECURRING: T.TIMING_RECURRING,
}


class Names:
    """Name a municipality's partners, categories and moments for texts."""

    def __init__(self, config: MunicipalityConfig) -> None:
        self.config = config
        self.zone = config.municipality.zone

    def partner(self, partner_id: str | None, language: Language) -> str:
        """Return a partner's name (the coordinator's when none is given)."""
        partner = self.config.partner(partner_id or self.config.routing.fallback)
        return partner.name(language) if partner else (partner_id or "")

    def category(self, category_id: str, language: Language) -> str:
        """Return a category's name."""
        category = self.config.category(category_id)
        return category.name(language) if category else category_id

    def date(self, moment: datetime) -> str:
        """Return a local date as residents read it: "01-12-2026"."""
        return f"{moment.astimezone(self.zone):%d-%m-%Y}"

    def time(self, moment: datetime) -> str:
        """Return a local date and time: "30-11-2026 17:00"."""
        return f"{moment.astimezone(self.zone):%d-%m-%Y %H:%M}"
