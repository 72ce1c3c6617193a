"""Read the `[insight]` table: how the council statistics, exports and open data are made."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reports.insight import DEFAULT_MIN_ANSWERS


class InsightConfig(BaseModel):
    """The statistics' thresholds, the exported pins' grid and the monthly report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_answers: int = Field(default=DEFAULT_MIN_ANSWERS, ge=1, le=1000)
    """Below this many answers a wijk's safety measure says "too few answers"."""
    suppress_below: int = Field(default=5, ge=1, le=100)
    """Open data: every count below this is suppressed (with the counts that would reveal it)."""
    pins_grid_m: int = Field(default=0, ge=0, le=10_000)
    """Exports never hold exact pins; above 0, `--pins-grid` may round them to this grid."""
    monthly_report: bool = False
    """Post the council report to the coordinator group every month (once the group is linked)."""


class HotspotConfig(BaseModel):
    """The `[hotspots]` table: how often and how strictly hotspots are looked for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    """Look for hotspots and tell the coordinator's own group (when it is linked)."""
    every_days: int = Field(default=7, ge=1, le=90)
    """One check per this many days (at most one, however many processes run)."""
    alpha: float = Field(default=0.01, gt=0, lt=0.5)
    """The chance a check without any real change raises a false signal, at most."""
    min_reports: int = Field(default=5, ge=2, le=100)
    """A buurt and category needs this many reports in 28 days to be a hotspot."""
    grows_by: float = Field(default=1.5, ge=1.1, le=10)
    """A hotspot is announced again when its count grows to this times its last announced one."""
    suppress_days: int = Field(default=90, ge=1, le=730)
    """After "not relevant", nothing is said about that buurt and category for this long."""


class PanelConfig(BaseModel):
    """The `[panel]` table: the neighbourhood panel's rounds and thresholds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    """Offer the panel (/panel, once after a first report) and ask its members every round."""
    rounds_per_year: Literal[1, 2, 3, 4, 6, 12] = 4
    """Rounds per year: 4 is a question every quarter, at a random moment inside it."""
    answer_days: int = Field(default=14, ge=0, le=90)
    """An answer still counts this many days after its round ended."""
    min_answers: int = Field(default=DEFAULT_MIN_ANSWERS, ge=1, le=1000)
    """Below this many answers a wijk says "too few answers" (and needs recruiting)."""
    offer_after_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    """The panel is offered once, this long after a resident's report (quiet hours apply)."""
