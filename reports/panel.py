"""The neighbourhood panel (buurtpanel): rounds, the moment a member is asked, and the figures.

Pure domain. A round is one calendar period (a quarter by default: `[panel] rounds_per_year`);
its key is its first local day ("2026-10-01"). Each member is asked once per round, at a
random moment inside it (not in its last days, so there is time to answer). The answers give
the policy's measure per wijk and for the city: the share who often or sometimes feel unsafe
in their own neighbourhood, with its 95% interval, unweighted and weighted by the inhabitants
per wijk (the panel is self-selected; weighting makes each wijk count as much as its people).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from reports.insight import DEFAULT_MIN_ANSWERS, SAFETY_TARGET, Z_95, SafetyMeasure
from reports.survey import FeelsUnsafe

ROUNDS_PER_YEAR = (1, 2, 3, 4, 6, 12)
"""The round lengths a municipality can choose: whole months that divide a year."""
LAST_DAYS = timedelta(days=3)
"""No question is queued for the last days of a round: a member needs time to answer."""
FIRST_DELAY = timedelta(hours=1)
"""A new member's first question comes at least this long after joining."""
MAX_TYPED_CAUSE = 200
"""The longest typed cause kept ("what makes you feel unsafe?")."""


class Cause(StrEnum):
    """What makes a member feel unsafe: the follow-up's buttons (stored values)."""

    DARK = "dark"
    YOUTH = "youth"
    DRUGS = "drugs"
    TRAFFIC = "traffic"
    BURGLARY = "burglary"
    OTHER = "other"
    """Typed: the member wrote it in their own words (kept in `typed`)."""


class InvitationState(StrEnum):
    """Where a member's question of one round stands (stored values)."""

    ASKED = "asked"
    CAUSE = "cause"
    """They answered often or sometimes; the optional follow-up is open."""
    CAUSE_TEXT = "cause_text"
    """They chose to type the cause; the next text they send is taken for it."""
    DONE = "done"
    REBUURT = "rebuurt"
    """Their buurt no longer exists (a boundary update); they were asked to choose again."""
    LEFT = "left"
    """They left the panel in this round; kept without anything else so a rejoin is not
    asked a second time in the same round."""


@dataclass(frozen=True, slots=True)
class Round:
    """One panel round: [start, end) in local time, keyed by its first day."""

    start: datetime
    end: datetime
    per_year: int
    zone: ZoneInfo

    @property
    def key(self) -> str:
        """Return the stored key: the round's first local day, "2026-10-01"."""
        return self.start.date().isoformat()

    @property
    def label(self) -> str:
        """Return a short, language-neutral name: "Q4 2026", "H2 2026", "2026" or months."""
        year = self.start.year
        index = (self.start.month - 1) * self.per_year // 12 + 1
        if self.per_year == 4:
            return f"Q{index} {year}"
        if self.per_year == 2:
            return f"H{index} {year}"
        if self.per_year == 1:
            return str(year)
        last = (self.end - timedelta(days=1)).date()
        if last.month == self.start.month:
            return f"{self.start:%m/%Y}"
        return f"{self.start:%m}-{last:%m/%Y}"

    def next(self) -> Round:
        """Return the round after this one."""
        return round_at(self.end, self.zone, self.per_year)

    def previous(self) -> Round:
        """Return the round before this one."""
        return round_at(self.start - timedelta(days=1), self.zone, self.per_year)


def round_at(moment: datetime, zone: ZoneInfo, per_year: int) -> Round:
    """Return the round that holds `moment` (any time zone), in the municipality's zone."""
    if per_year not in ROUNDS_PER_YEAR:
        raise ValueError(f"rounds_per_year must be one of {ROUNDS_PER_YEAR}, got {per_year}")
    local = moment.astimezone(zone)
    months = 12 // per_year
    first_month = (local.month - 1) // months * months + 1
    start = datetime(local.year, first_month, 1, tzinfo=zone)
    end_month = first_month + months
    end_year = local.year + (end_month - 1) // 12
    end = datetime(end_year, (end_month - 1) % 12 + 1, 1, tzinfo=zone)
    return Round(start, end, per_year, zone)


def round_of_key(key: str, zone: ZoneInfo, per_year: int) -> Round | None:
    """Return the round a stored key names; None for a key that is not a round start."""
    try:
        day = date.fromisoformat(key)
    except ValueError:
        return None
    found = round_at(datetime(day.year, day.month, day.day, 12, tzinfo=zone), zone, per_year)
    return found if found.key == key else None


def ask_moment(
    current: Round, now: datetime, joined_at: datetime, rng: random.Random
) -> datetime | None:
    """Return a random moment in the round to ask a member; None when too little is left.

    The moment lies in [max(round start, now, joined + FIRST_DELAY), round end - LAST_DAYS),
    uniformly; the quiet hours are applied when the question is queued.
    """
    low = max(current.start, now, joined_at + FIRST_DELAY)
    high = current.end - LAST_DAYS
    if high - low < timedelta(hours=12):
        return None
    span = (high - low).total_seconds()
    return (low + timedelta(seconds=rng.random() * span)).astimezone(UTC)


def answer_open(current: Round, now: datetime, answer_days: int) -> bool:
    """Return whether an answer to `current`'s question still counts at `now`."""
    return now < current.end + timedelta(days=answer_days)


@dataclass(frozen=True, slots=True)
class PanelWijk:
    """One wijk in the panel's round: its members now, its inhabitants and its answers."""

    code: str
    name: str
    members: int
    inhabitants: int | None
    safety: SafetyMeasure


@dataclass(frozen=True, slots=True)
class Weighted:
    """The city share weighted by inhabitants per wijk, with its 95% interval."""

    share: float
    interval: tuple[float, float]
    coverage: float
    """The part of the inhabitants living in wijken that have answers (0..1)."""


@dataclass(frozen=True, slots=True)
class PanelFigures:
    """The panel's figures of one round: per wijk, the city unweighted and weighted."""

    round: Round
    wijken: tuple[PanelWijk, ...]
    city: SafetyMeasure
    weighted: Weighted | None
    members: int
    """Members now (the whole city)."""
    causes: Mapping[str, int] = field(default_factory=dict)
    """What makes members who feel unsafe feel so, by `Cause` value, most named first."""

    @property
    def recruit(self) -> tuple[PanelWijk, ...]:
        """Return the wijken with too few answers: where the panel needs members."""
        return tuple(w for w in self.wijken if w.safety.too_few)

    def meets_target(self, target: float = SAFETY_TARGET) -> bool | None:
        """Return whether the city share is at or below the target (weighted when possible)."""
        if self.weighted is not None:
            return self.weighted.share <= target
        return self.city.meets_target(target)


def measure(counts: Mapping[str, int], min_answers: int = DEFAULT_MIN_ANSWERS) -> SafetyMeasure:
    """Return the safety measure of answer counts keyed by FeelsUnsafe values."""
    return SafetyMeasure(
        often=counts.get(FeelsUnsafe.OFTEN, 0),
        sometimes=counts.get(FeelsUnsafe.SOMETIMES, 0),
        never=counts.get(FeelsUnsafe.NEVER, 0),
        min_answers=min_answers,
    )


def weighted_share(wijken: Sequence[PanelWijk], z: float = Z_95) -> Weighted | None:
    """Weight each wijk's share by its inhabitants (post-stratification over the wijken with
    answers and an inhabitants figure); None when no wijk has both.

    The share is sum(W_w * p_w) with W_w the wijk's part of the covered inhabitants; its
    variance sum(W_w^2 * q_w(1 - q_w) / n_w) uses q_w = (k + 1) / (n + 2), so a wijk where all
    few answers agree still adds uncertainty instead of none. Normal interval, clipped to [0, 1].
    """
    cells = [
        (w.inhabitants, w.safety.unsafe.k, w.safety.answers)
        for w in wijken
        if w.inhabitants and w.safety.answers
    ]
    total = sum(w.inhabitants for w in wijken if w.inhabitants)
    covered = sum(people for people, _, _ in cells)
    if not cells or not covered:
        return None
    share = sum(people / covered * k / n for people, k, n in cells)
    variance = sum(
        (people / covered) ** 2 * ((k + 1) / (n + 2)) * (1 - (k + 1) / (n + 2)) / n
        for people, k, n in cells
    )
    half = z * math.sqrt(variance)
    return Weighted(share, (max(0.0, share - half), min(1.0, share + half)), covered / total)
