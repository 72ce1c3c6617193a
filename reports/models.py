"""Describe a report, the draft it grows from, and where it happened."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class Language(str):
    """A language residents can read Meldbot in: a lower-case ISO 639 code ("nl", "de", "ar").

    Which languages exist is decided by the text catalogues (one .po file per language), not by
    code: the domain knows only Dutch, the default and the fallback, and English.
    """

    __slots__ = ()

    NL: ClassVar[Language]
    EN: ClassVar[Language]

    def __new__(cls, code: str) -> Language:
        if not isinstance(code, str) or _LANGUAGE_CODE.fullmatch(code) is None:
            raise ValueError(f"not a language code: {code!r}")
        return super().__new__(cls, code)

    def __repr__(self) -> str:
        return f"Language({str(self)!r})"

    @property
    def value(self) -> str:
        """Return the code, as stored and as the catalogue's file is named."""
        return str(self)

    @classmethod
    def from_client(cls, code: str | None, available: Collection[Language]) -> Language:
        """Return the language a Telegram app's code asks for when available; else Dutch."""
        primary = (code or "").lower().replace("_", "-").split("-", 1)[0]
        return next((language for language in available if language == primary), cls.NL)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate a code into a Language and store it as the plain code."""
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


Language.NL = Language("nl")
Language.EN = Language("en")


def gather_translations(data: Any, prefix: str, declared: Iterable[str], into: str) -> Any:
    """Move a config table's `<prefix><language>` keys (`name_de`, `tr`) into one dict field.

    For pydantic models read from TOML: the shipped keys (`name_nl`, `name_en`, `nl`, `en`)
    stay fields of their own; any other key that is the prefix and a language code goes into
    the dict field `into`, keyed by the code. Other unknown keys are left for the model to
    refuse.
    """
    if not isinstance(data, dict):
        return data
    fields = set(declared)
    moved = {
        key[len(prefix) :]: value
        for key, value in data.items()
        if key not in fields
        and key.startswith(prefix)
        and _LANGUAGE_CODE.fullmatch(key[len(prefix) :])
    }
    if not moved:
        return data
    kept = {key: value for key, value in data.items() if key[len(prefix) :] not in moved}
    return kept | {into: {**kept.get(into, {}), **moved}}


class Step(StrEnum):
    """What a draft still needs, in the order it is asked."""

    CATEGORY = "category"
    LOCATION = "location"
    DESCRIPTION = "description"
    PHOTOS = "photos"
    TIMING = "timing"
    CONTACT = "contact"
    CONFIRM = "confirm"


class Timing(StrEnum):
    """When the reported problem happens."""

    NOW = "now"
    EARLIER = "earlier"
    RECURRING = "recurring"


class LocationSource(StrEnum):
    """How the resident gave the location."""

    PIN = "pin"
    LIVE = "live"
    VENUE = "venue"
    POSTCODE = "postcode"
    ADDRESS = "address"
    NAME = "name"
    CHOSEN = "chosen"


class ReportStatus(StrEnum):
    """Where a report stands in its handling (the values are stored in SQLite)."""

    NEW = "new"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_RESIDENT = "waiting_for_resident"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    REOPENED = "reopened"
    CANCELLED = "cancelled"


class Neighbourhood(BaseModel):
    """A CBS buurt with the wijk it belongs to."""

    model_config = ConfigDict(frozen=True)

    buurt_code: str
    buurt_name: str
    wijk_code: str
    wijk_name: str


class Location(BaseModel):
    """Where a report is: a neighbourhood, and a point when the resident gave one."""

    model_config = ConfigDict(frozen=True)

    neighbourhood: Neighbourhood
    latitude: float | None = None
    longitude: float | None = None
    source: LocationSource
    label: str | None = Field(default=None, max_length=200)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


MAX_PHOTOS = 3


class Draft(BaseModel):
    """A report in progress; the next question follows from what it still lacks."""

    user_id: int
    chat_id: int
    token: str = Field(min_length=1, max_length=8)
    language: Language
    category_id: str | None = None
    location: Location | None = None
    description: str | None = None
    photo_file_ids: list[str] = Field(default_factory=list)
    photos_done: bool = False
    timing: Timing | None = None
    contact_allowed: bool | None = None
    urgent_warned: bool = False
    overflow_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    def next_step(self) -> Step:
        """Return the first question this draft has no answer to yet."""
        if self.category_id is None:
            return Step.CATEGORY
        if self.location is None:
            return Step.LOCATION
        if self.description is None:
            return Step.DESCRIPTION
        if not self.photos_done and len(self.photo_file_ids) < MAX_PHOTOS:
            return Step.PHOTOS
        if self.timing is None:
            return Step.TIMING
        if self.contact_allowed is None:
            return Step.CONTACT
        return Step.CONFIRM

    def clear(self, step: Step) -> None:
        """Forget the answer to one question so that it is asked again."""
        if step is Step.CATEGORY:
            self.category_id = None
        elif step is Step.LOCATION:
            self.location = None
        elif step is Step.DESCRIPTION:
            self.description = None
        elif step is Step.PHOTOS:
            self.photo_file_ids = []
            self.photos_done = False
        elif step is Step.TIMING:
            self.timing = None
        elif step is Step.CONTACT:
            self.contact_allowed = None


class Report(BaseModel):
    """A committed report: what, where, when, and whether the reporter may be contacted."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    user_id: int | None
    chat_id: int | None
    language: Language
    category_id: str
    location: Location
    description: str
    photo_file_ids: list[str]
    timing: Timing
    contact_allowed: bool
    status: ReportStatus
    created_at: datetime
    lead_partner: str | None = None
    routing_rule: str | None = None
    claimed_by: int | None = None
    claimed_by_name: str | None = None
    claimed_at: datetime | None = None
    due_at: datetime | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    resolved_at: datetime | None = None
    closing_text: str | None = None
    recurrence_count: int = 0  # how often the resident said it was still going on
    channel: str | None = None
    """None: a resident's Telegram chat; "open311:<client>": posted through Open311."""
    co_reporters: int = 0
    """Residents who joined the report instead of making a new one ("this is it")."""

    @property
    def erased(self) -> bool:
        """Return whether the resident had their data erased (no resident, no description)."""
        return not self.user_id and not self.description


class IncompleteDraftError(ValueError):
    """The draft still lacks an answer, so it cannot become a report."""


class StaleDraftError(RuntimeError):
    """The stored draft was committed, changed or deleted since this copy was read."""
