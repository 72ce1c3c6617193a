"""Read the `[duplicates]` table: when a resident is shown open reports they may mean."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DuplicateConfig(BaseModel):
    """How near and how recent an open report of the same category must be to be shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    distance_m: int = Field(default=150, ge=10, le=2000)
    """From the resident's pin; a resident who chose a buurt sees the same buurt's reports."""
    window_days: int = Field(default=14, ge=1, le=90)
    """Only reports made in this many days are shown."""
    max_cards: int = Field(default=3, ge=1, le=3)
