"""Read the `[insight]` table: how the council statistics, exports and open data are made."""

from __future__ import annotations

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
