"""Describe everything a municipality decides about its Meldbot, validated table by table."""

from __future__ import annotations

from collections import Counter
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from config.closing_days import PublicHolidays, check_categories, check_country, public_holidays
from config.duplicates import DuplicateConfig
from config.insight import HotspotConfig, InsightConfig, PanelConfig
from config.localized import ClosingText, Strict, SurveyConfig, TipSet, pick
from config.open311 import Open311Config
from config.retention import Retention
from config.schedule import Schedule
from reports.categories import Category
from reports.deadlines import ResponseTarget, WorkingCalendar
from reports.models import Language, gather_translations
from reports.routing import WEEKDAYS, RoutingRule, Weekday

SHIPPED_CONFIG = Path(__file__).resolve().parent / "enschede.toml"


class MunicipalityInfo(Strict):
    """Who runs this Meldbot."""

    code: str = Field(pattern=r"^GM\d{4}$")
    name: str = Field(min_length=1)
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    timezone: str = "Europe/Amsterdam"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """Return the municipality's time zone."""
        return ZoneInfo(self.timezone)


class ReportRules(Strict):
    """Limits on what a report holds."""

    description_min_chars: int = Field(default=10, ge=1, le=500)
    description_max_chars: int = Field(default=2000, ge=20, le=3000)
    max_photos: int = Field(default=3, ge=0, le=3)

    @model_validator(mode="after")
    def _min_below_max(self) -> ReportRules:
        if self.description_min_chars >= self.description_max_chars:
            raise ValueError("description_min_chars must be below description_max_chars")
        return self


class Timings(Strict):
    """How long things take."""

    draft_expiry_minutes: int = Field(default=30, ge=1, le=24 * 60)
    draft_sweep_seconds: int = Field(default=60, ge=1, le=3600)
    escalation_sweep_seconds: int = Field(default=60, ge=1, le=3600)


class Urgency(Strict):
    """Words that make the bot point to 112."""

    keywords: list[str] = Field(default_factory=list)


class GeocoderConfig(Strict):
    """Where typed street addresses are looked up."""

    provider: Literal["nominatim", "none"] = "nominatim"
    domain: str = "nominatim.openstreetmap.org"
    scheme: Literal["http", "https"] = "https"
    user_agent: str = Field(min_length=8)
    timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    min_delay_seconds: float = Field(default=1.0, ge=1.0)


class NeighbourhoodFiles(Strict):
    """The boundary and lookup files, resolved to absolute paths."""

    buurten: Path
    centroids: Path
    aliases: Path
    postcodes: Path
    attribution: str = Field(min_length=1)
    inhabitants: Path | None = None
    """CBS inhabitants per buurt (buurtcode, inwoners); None: rates per 1,000 are "no data"."""
    inhabitants_attribution: str = ""


def _response_target(text: str) -> str:
    ResponseTarget.parse(text)
    return text


TargetText = Annotated[str, AfterValidator(_response_target)]


class Partner(Strict):
    """A chain partner that handles or is informed of reports."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    name_nl: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    chat_id: int | None = None
    caseworkers: list[Annotated[int, Field(gt=0)]] = Field(default_factory=list)
    response_targets: dict[str, TargetText] = Field(default_factory=dict)
    default_response_target: TargetText = "1wd"
    language: Language = Language.NL
    """The language of the partner's chat: everything Meldbot writes there."""
    names: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)
    """Names in further languages, from `name_<language>` keys (`name_de`)."""

    @model_validator(mode="before")
    @classmethod
    def _translations(cls, data: Any) -> Any:
        return gather_translations(data, "name_", cls.model_fields, "names")

    def name(self, language: Language) -> str:
        """Return the name in the reader's language, Dutch when it has none in theirs."""
        return pick(language, self.name_nl, self.name_en, self.names)

    def response_target(self, category_id: str) -> ResponseTarget:
        """Return how soon this partner should pick up a report of this category."""
        return ResponseTarget.parse(
            self.response_targets.get(category_id, self.default_response_target)
        )

    def may_act(self, user_id: int) -> bool:
        """Return whether this user may act for the partner, once known to be in its linked chat.

        With no caseworkers listed every member of the chat may act; otherwise only those listed.
        """
        return not self.caseworkers or user_id in self.caseworkers


class Routing(Strict):
    """The ordered routing rules and the partner that gets what no rule matches."""

    fallback: str = "coordinator"
    rules: list[RoutingRule] = Field(default_factory=list)


class Office(Strict):
    """Office hours, working weekdays and holidays, for response targets in working days."""

    start: time = time(8, 30)
    end: time = time(17, 0)
    workdays: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    public_holidays: str = ""  # a country code of the `holidays` library; "" is none
    public_holiday_categories: list[str] = Field(default_factory=lambda: ["public"], min_length=1)
    holidays: list[date] = Field(default_factory=list)  # the municipality's own closing days

    @field_validator("public_holidays")
    @classmethod
    def _known_country(cls, value: str) -> str:
        return check_country(value)

    @field_validator("public_holiday_categories")
    @classmethod
    def _known_categories(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_categories(info.data.get("public_holidays", ""), value)

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Office:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self

    def public_holiday_calendar(self) -> PublicHolidays | None:
        """Return the shared provider of the public holidays, or None without a country."""
        if not self.public_holidays:
            return None
        return public_holidays(self.public_holidays, tuple(self.public_holiday_categories))


class CrossReferenceError(ValueError):
    """Keys that name a partner, category or area that the configuration does not have."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class MunicipalityConfig(Strict):
    """Everything a municipality decides about its Meldbot."""

    municipality: MunicipalityInfo
    reports: ReportRules = ReportRules()
    timings: Timings = Timings()
    schedule: Schedule = Schedule()
    retention: Retention = Retention()
    urgency: Urgency = Urgency()
    geocoder: GeocoderConfig
    neighbourhoods: NeighbourhoodFiles
    categories: list[Category] = Field(min_length=1)
    partners: list[Partner] = Field(default_factory=list)
    routing: Routing = Routing()
    office: Office = Office()
    closing_texts: list[ClosingText] = Field(default_factory=list)
    survey: SurveyConfig = SurveyConfig()
    tips: dict[str, TipSet] = Field(default_factory=dict)
    insight: InsightConfig = InsightConfig()
    hotspots: HotspotConfig = HotspotConfig()
    panel: PanelConfig = PanelConfig()
    open311: Open311Config = Open311Config()
    duplicates: DuplicateConfig = DuplicateConfig()

    @model_validator(mode="after")
    def _references_exist(self) -> MunicipalityConfig:
        problems = _cross_reference_problems(self)
        if problems:
            raise CrossReferenceError(problems)
        return self

    def category(self, category_id: str) -> Category | None:
        """Return the category with this id, if it exists."""
        return next((c for c in self.categories if c.id == category_id), None)

    def partner(self, partner_id: str) -> Partner | None:
        """Return the partner with this id, if it exists."""
        return next((p for p in self.partners if p.id == partner_id), None)

    def partner_language(self, partner_id: str | None) -> Language:
        """Return the language a partner's chat reads; Dutch for an unknown partner."""
        partner = self.partner(partner_id) if partner_id else None
        return partner.language if partner else Language.NL

    def closing_text(self, text_id: str) -> ClosingText | None:
        """Return the standard closing text with this id, if it exists."""
        return next((c for c in self.closing_texts if c.id == text_id), None)

    def tips_for(self, category_id: str, language: Language) -> list[str]:
        """Return the prevention tips of a category in a language (none when it has none)."""
        tips = self.tips.get(category_id)
        return tips.texts(language) if tips else []

    def working_calendar(self) -> WorkingCalendar:
        """Return the office calendar that working-day response targets count in."""
        return WorkingCalendar(
            zone=self.municipality.zone,
            office_start=self.office.start,
            office_end=self.office.end,
            workdays=frozenset(WEEKDAYS.index(day) for day in self.office.workdays),
            holidays=frozenset(self.office.holidays),
            public_holidays=self.office.public_holiday_calendar() or frozenset(),
        )


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"{kind}.{i}: defined twice" for i, n in Counter(ids).items() if n > 1]


def _cross_reference_problems(config: MunicipalityConfig) -> list[str]:
    """Name every key that refers to a partner, category or area the configuration lacks."""
    partners = {p.id for p in config.partners}
    categories = {c.id for c in config.categories}
    area = config.municipality.code[2:]
    problems = _duplicates("routing.rules", [r.id for r in config.routing.rules])
    problems += _duplicates("closing_texts", [c.id for c in config.closing_texts])
    problems += _duplicates("survey.reasons", [r.id for r in config.survey.reasons])
    problems += [f"tips.{c}: unknown category {c!r}" for c in config.tips if c not in categories]
    if config.routing.fallback not in partners:
        problems.append(f"routing.fallback: unknown partner {config.routing.fallback!r}")
    for rule in config.routing.rules:
        key = f"routing.rules.{rule.id}"
        for partner_id in (rule.lead, *rule.inform):
            if partner_id not in partners:
                field = "lead" if partner_id == rule.lead else "inform"
                problems.append(f"{key}.{field}: unknown partner {partner_id!r}")
        problems += [
            f"{key}.categories: unknown category {c!r}"
            for c in rule.categories
            if c not in categories
        ]
        problems += [
            f"{key}.{field}: {code!r} is not in municipality {config.municipality.code}"
            for field, codes in (("wijken", rule.wijken), ("buurten", rule.buurten))
            for code in codes
            if code[2:6] != area
        ]
    for partner in config.partners:
        problems += [
            f"partners.{partner.id}.response_targets.{c}: unknown category {c!r}"
            for c in partner.response_targets
            if c not in categories
        ]
    return problems
