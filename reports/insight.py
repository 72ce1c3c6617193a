"""Define every figure of the council statistics once: the report, /stats and the exports read it.

Longer than 300 lines because every figure is defined here, once, beside the others it is
compared with; splitting them would scatter the one definition the README points to.

Pure domain: periods, shares with their Wilson interval, percentiles of durations, and the
`Insight` of one period. `services/insight.py` fills it from the database; `DEFINITIONS`
(reports/insight_terms.py) says in words what each figure counts, for footnotes and README.

Counting rules, in short (the figures' docstrings say more):

- A report belongs to the period of the local (municipal time zone) date it was created.
- Survey and follow-up figures count the answers given in the period (`answered_at`), whatever
  the date of the report, in the wijk and buurt the survey copied from its report.
- A reopened report is one report: it counts once, open while reopened, and its time to resolve
  runs to its last resolution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from reports.hotspots import HotspotFigures
from reports.period import Period, PeriodError, parse_day

if TYPE_CHECKING:
    from reports.panel import PanelFigures

DEFAULT_MIN_ANSWERS = 10
"""Below this many answers a wijk says "too few answers" instead of a percentage (configurable
as `[insight] min_answers`): with 10 answers a 95% interval is still about ±25 points wide."""
SAFETY_TARGET = 0.15
"""The policy's target: at most 15% of residents sometimes or often feel unsafe in their own
neighbourhood."""
Z_95 = 1.96
"""The normal quantile of a two-sided 95% interval."""

__all__ = [
    "DEFAULT_MIN_ANSWERS",
    "SAFETY_TARGET",
    "BuurtFigures",
    "Durations",
    "Headline",
    "Insight",
    "MonthFigures",
    "PartnerFigures",
    "Period",
    "PeriodError",
    "Recurrence",
    "SafetyMeasure",
    "Satisfaction",
    "Share",
    "WijkFigures",
    "parse_day",
    "per_thousand",
    "percentile",
    "wilson",
]


def wilson(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval of k successes in n trials (95% with the default z)."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"wilson needs 0 <= k <= n and n > 0, got k={k}, n={n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True, slots=True)
class Share:
    """k of n: a fraction with its 95% Wilson interval; no fraction when n is 0."""

    k: int
    n: int

    @property
    def fraction(self) -> float | None:
        """Return k / n, or None when nothing was counted."""
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """Return the 95% Wilson interval, or None when nothing was counted."""
        return wilson(self.k, self.n) if self.n else None


@dataclass(frozen=True, slots=True)
class SafetyMeasure:
    """The policy measure: answers "often" + "sometimes" to "how often do you feel unsafe in
    your own neighbourhood", of every answer to that question in the period (survey step 3)."""

    often: int = 0
    sometimes: int = 0
    never: int = 0
    min_answers: int = DEFAULT_MIN_ANSWERS

    @property
    def answers(self) -> int:
        """Return how many residents answered the question."""
        return self.often + self.sometimes + self.never

    @property
    def unsafe(self) -> Share:
        """Return often + sometimes of all answers, whatever their number."""
        return Share(self.often + self.sometimes, self.answers)

    @property
    def too_few(self) -> bool:
        """Return whether there are fewer answers than `min_answers`: no percentage is shown."""
        return self.answers < self.min_answers

    @property
    def share(self) -> float | None:
        """Return the share who feel unsafe, or None with too few answers."""
        return None if self.too_few else self.unsafe.fraction

    @property
    def interval(self) -> tuple[float, float] | None:
        """Return the 95% Wilson interval of the share, or None with too few answers."""
        return None if self.too_few else self.unsafe.interval

    def meets_target(self, target: float = SAFETY_TARGET) -> bool | None:
        """Return whether the share is at or below the target; None with too few answers."""
        share = self.share
        return None if share is None else share <= target


def percentile(values: Sequence[float], q: float) -> float | None:
    """Return the q-quantile (0..1) with linear interpolation between the closest ranks (as
    numpy's default and Excel's PERCENTILE.INC); None for no values."""
    if not 0 <= q <= 1:
        raise ValueError(f"q must be within 0 and 1, got {q}")
    if not values:
        return None
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Durations:
    """How long something took over a number of reports: the median and the 90th percentile."""

    count: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Durations:
        """Summarise durations in seconds (negative ones, a clock glitch, count as zero)."""
        clean = [max(0.0, value) for value in seconds]

        def span(q: float) -> timedelta | None:
            value = percentile(clean, q)
            return None if value is None else timedelta(seconds=round(value))

        return cls(len(clean), span(0.5), span(0.9))


def per_thousand(count: int, inhabitants: int | None) -> float | None:
    """Return count per 1,000 inhabitants; None without an inhabitants figure (never zero)."""
    if not inhabitants:
        return None
    return count * 1000 / inhabitants


@dataclass(frozen=True, slots=True)
class Headline:
    """The key figures of the reports created in a period (see the module docstring)."""

    reports: int = 0
    resolved: int = 0
    """Reports of the period whose status is resolved now."""
    open: int = 0
    """Reports of the period still open now (new, routed, in progress, waiting, rejected,
    reopened)."""
    cancelled: int = 0
    per_category: Mapping[str, int] = field(default_factory=dict)
    per_wijk: Mapping[str, int] = field(default_factory=dict)
    to_claim: Durations = Durations()
    """From creation to the first claim in the audit trail; unclaimed reports are left out."""
    to_resolve: Durations = Durations()
    """From creation to `resolved_at` (the last resolution) of the reports resolved now."""

    co_reporters: int = 0
    """Residents who joined a report of the period instead of making their own."""

    @property
    def residents(self) -> int:
        """Return the residents affected: one per report, plus its co-reporters."""
        return self.reports + self.co_reporters

    @property
    def empty(self) -> bool:
        """Return whether no report was made in the period ("no reports in this period")."""
        return self.reports == 0


@dataclass(frozen=True, slots=True)
class WijkFigures:
    """One wijk: its reports in the period and its safety measure."""

    code: str
    name: str
    reports: int
    safety: SafetyMeasure


@dataclass(frozen=True, slots=True)
class BuurtFigures:
    """One buurt: its reports in the period and its CBS inhabitants (None: no figure)."""

    code: str
    name: str
    wijk_code: str
    reports: int
    inhabitants: int | None

    @property
    def per_thousand(self) -> float | None:
        """Return reports per 1,000 inhabitants; None when the buurt has no figure."""
        return per_thousand(self.reports, self.inhabitants)


@dataclass(frozen=True, slots=True)
class PartnerFigures:
    """One partner's handling of the reports of the period (see DEFINITIONS for each figure)."""

    partner_id: str
    led: int = 0
    """Reports of the period whose lead partner is this partner now (after any forwarding)."""
    to_claim: Durations = Durations()
    to_resolve: Durations = Durations()
    within_target: Share = Share(0, 0)
    forwarded: int = 0
    """Reports of the period this partner's caseworkers forwarded to another partner."""
    not_ours: int = 0
    """Reports of the period this partner's caseworkers marked "not ours"."""
    reopened_by_survey: int = 0
    """Reports led that a resident reopened through the survey."""
    satisfaction: Share = Share(0, 0)
    """Satisfied of the survey answers given in the period about reports it leads."""


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Survey answers given in the period: satisfied or not, and the reasons picked."""

    satisfied: Share = Share(0, 0)
    reasons: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Follow-up answers given in the period: "still going on" of all answers, by the report's
    category and wijk."""

    ongoing: Share = Share(0, 0)
    per_category: Mapping[str, Share] = field(default_factory=dict)
    per_wijk: Mapping[str, Share] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One calendar month of the trend."""

    month: Period
    reports: int
    """Reports created in the month."""
    resolved: int
    """Reports resolved in the month (`resolved_at`), whenever they were made."""
    safety: SafetyMeasure


@dataclass(frozen=True, slots=True)
class Insight:
    """Everything the council report, /stats and the exports show for one period."""

    period: Period
    wijk: str | None
    """The wijk code the figures are limited to, or None for the whole municipality."""
    generated_at: datetime
    headline: Headline
    previous: Headline
    """The same figures for `period.previous()`."""
    city_safety: SafetyMeasure
    """The measure over every answer in the municipality, also when limited to one wijk."""
    wijken: tuple[WijkFigures, ...]
    buurten: tuple[BuurtFigures, ...]
    partners: tuple[PartnerFigures, ...]
    satisfaction: Satisfaction
    recurrence: Recurrence
    trend: tuple[MonthFigures, ...]
    """The 12 calendar months that end with the period's last month."""
    hotspots: tuple[HotspotFigures, ...] = ()
    """Hotspots active at some moment of the period, the oldest first."""
    panel: PanelFigures | None = None
    """The neighbourhood panel's round that holds the period's end (None: panel off)."""

    @property
    def empty(self) -> bool:
        """Return whether no report was made in the period."""
        return self.headline.empty
