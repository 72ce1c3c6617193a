"""Decide which partner leads a report and which partners are informed.

Rules are tried in order; the first that matches wins. A rule matches when every condition it
sets holds:

- `categories`: the report's category is listed (empty: any category);
- `wijken` / `buurten`: the report's wijk is listed or its buurt is listed (both empty: anywhere);
- `weekdays` and `hours` (local time in the municipality's zone): `hours` is a window such as
  "08:00-17:00" or, wrapping midnight, "22:00-04:00" (start included, end excluded). The part of
  a wrapping window after midnight belongs to the weekday on which the window began: with
  `weekdays = ["fri", "sat"]` and `hours = "22:00-04:00"`, Saturday 02:00 matches (Friday night)
  and Friday 02:00 does not (Thursday night). Without `hours`, `weekdays` is the local weekday.

No rule matches: the fallback partner (the coordinator) leads and `rule_id` is None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FALLBACK_LABEL = "fallback"

_ID = r"^[a-z0-9-]{1,40}$"
_PARTNER_ID = r"^[a-z0-9-]{1,32}$"
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class HourWindow:
    """A daily window of local time, possibly wrapping midnight; start included, end excluded."""

    start: time
    end: time | None  # None: until midnight ("…-24:00")

    @classmethod
    def parse(cls, text: str) -> HourWindow:
        """Read "HH:MM-HH:MM" (24:00 allowed as the end); raise ValueError otherwise."""
        match = _HOURS.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a time window like 22:00-07:00")
        start = time(int(match[1]), int(match[2]))
        if match[3] == "24":
            if match[4] != "00":
                raise ValueError(f"{text!r} ends after 24:00")
            return cls(start, None)
        end = time(int(match[3]), int(match[4]))
        if end == start:
            raise ValueError(f"{text!r} is empty: start and end are the same")
        return cls(start, end)

    @property
    def wraps(self) -> bool:
        """Return whether the window runs past midnight into the next day."""
        return self.end is not None and self.end < self.start

    def opened_on(self, local: datetime) -> date | None:
        """Return the local day on which the window holding `local` began, or None if outside."""
        clock = local.time()
        if self.wraps:
            assert self.end is not None
            if clock >= self.start:
                return local.date()
            return local.date() - timedelta(days=1) if clock < self.end else None
        inside = clock >= self.start and (self.end is None or clock < self.end)
        return local.date() if inside else None


class RoutingRule(BaseModel):
    """One line of the routing table: conditions, the lead partner and partners to inform."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID)
    categories: list[str] = Field(default_factory=list)
    wijken: list[str] = Field(default_factory=list)
    buurten: list[str] = Field(default_factory=list)
    weekdays: list[Weekday] = Field(default_factory=list)
    hours: str | None = None
    lead: str = Field(pattern=_PARTNER_ID)
    inform: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _not_the_fallback_label(cls, value: str) -> str:
        if value == FALLBACK_LABEL:
            raise ValueError(f"{FALLBACK_LABEL!r} is reserved for reports no rule matches")
        return value

    @field_validator("wijken")
    @classmethod
    def _wijk_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"WK\d{6}", code):
                raise ValueError(f"{code!r} is not a CBS wijk code like WK015300")
        return value

    @field_validator("buurten")
    @classmethod
    def _buurt_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"BU\d{8}", code):
                raise ValueError(f"{code!r} is not a CBS buurt code like BU01530000")
        return value

    @field_validator("hours")
    @classmethod
    def _hours_window(cls, value: str | None) -> str | None:
        if value is not None:
            HourWindow.parse(value)
        return value

    @model_validator(mode="after")
    def _lead_and_inform_apart(self) -> RoutingRule:
        if self.lead in self.inform:
            raise ValueError(f"inform must not name the lead partner {self.lead!r}")
        if len(set(self.inform)) != len(self.inform):
            raise ValueError("inform names a partner twice")
        return self

    @property
    def window(self) -> HourWindow | None:
        """Return the parsed `hours`, if set."""
        return HourWindow.parse(self.hours) if self.hours is not None else None

    def matches(
        self, *, category_id: str, buurt_code: str, wijk_code: str, local: datetime
    ) -> bool:
        """Return whether a report of this category, place and local time falls under the rule."""
        if self.categories and category_id not in self.categories:
            return False
        if (self.wijken or self.buurten) and not (
            wijk_code in self.wijken or buurt_code in self.buurten
        ):
            return False
        day = local.date()
        window = self.window
        if window is not None:
            opened = window.opened_on(local)
            if opened is None:
                return False
            day = opened
        return not self.weekdays or WEEKDAYS[day.weekday()] in self.weekdays


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """Who leads a report, who is informed, and which rule decided (None: the fallback)."""

    rule_id: str | None
    lead: str
    inform: tuple[str, ...] = ()

    @property
    def rule_label(self) -> str:
        """Return the rule id, or "fallback" when no rule matched."""
        return self.rule_id if self.rule_id is not None else FALLBACK_LABEL


def route(
    rules: Sequence[RoutingRule],
    *,
    category_id: str,
    buurt_code: str,
    wijk_code: str,
    at: datetime,
    zone: ZoneInfo,
    fallback: str,
) -> RoutingDecision:
    """Return the decision of the first rule that matches, or the fallback partner's."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("route needs an aware datetime")
    local = at.astimezone(zone)
    for rule in rules:
        if rule.matches(
            category_id=category_id, buurt_code=buurt_code, wijk_code=wijk_code, local=local
        ):
            inform = tuple(p for p in dict.fromkeys(rule.inform) if p != rule.lead)
            return RoutingDecision(rule_id=rule.id, lead=rule.lead, inform=inform)
    return RoutingDecision(rule_id=None, lead=fallback)
