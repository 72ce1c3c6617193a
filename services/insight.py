"""Compute the council statistics of a period (optionally one wijk): the one `Insight` that the
report, /stats and the exports all read. Definitions: reports/insight_terms.py."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from reports.insight import (
    BuurtFigures,
    Durations,
    Headline,
    Insight,
    MonthFigures,
    PartnerFigures,
    Period,
    Recurrence,
    SafetyMeasure,
    Satisfaction,
    Share,
    WijkFigures,
)
from reports.models import ReportStatus
from reports.neighbourhoods import Wijk
from reports.workflow import is_open
from services.container import Services
from services.hotspot_figures import hotspot_figures
from services.inhabitants import inhabitants
from services.panel_figures import panel_of
from storage.insight import Row
from storage.timestamps import to_text


class UnknownWijk(LookupError):
    """A wijk that the municipality does not have."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown wijk {text!r}")
        self.text = text


def find_wijk(svc: Services, text: str) -> Wijk:
    """Return the wijk named by its code (WK015306) or name ("Enschede-Zuid"), any case."""
    wanted = text.strip().casefold()
    for wijk in svc.locations.neighbourhoods.wijken():
        if wanted in (wijk.code.casefold(), wijk.name.casefold(), wijk.short_name.casefold()):
            return wijk
    raise UnknownWijk(text)


def _bounds(svc: Services, period: Period) -> tuple[str, str]:
    lo, hi = period.bounds(svc.config.municipality.zone)
    return to_text(lo), to_text(hi)


def _headline(counts: list[Row], handling: list[Row]) -> Headline:
    per_status: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    per_wijk: Counter[str] = Counter()
    for category, wijk, _buurt, _lead, status, n in counts:
        per_status[status] += n
        per_category[category] += n
        per_wijk[wijk] += n
    return Headline(
        reports=sum(per_status.values()),
        resolved=per_status[ReportStatus.RESOLVED],
        open=sum(n for status, n in per_status.items() if is_open(ReportStatus(status))),
        cancelled=per_status[ReportStatus.CANCELLED],
        per_category=dict(per_category.most_common()),
        per_wijk=dict(sorted(per_wijk.items())),
        to_claim=Durations.of([row[1] for row in handling if row[1] is not None]),
        to_resolve=Durations.of([row[2] for row in handling if row[2] is not None]),
    )


async def headline(svc: Services, period: Period, wijk: str | None = None) -> Headline:
    """Return the key figures of the reports made in the period."""
    lo, hi = _bounds(svc, period)
    now = to_text(svc.clock.now())
    counts = await svc.insight.counts(lo, hi, wijk)
    figures = _headline(counts, await svc.insight.handling(now, lo, hi, wijk))
    return replace(figures, co_reporters=await svc.insight.co_reporters(lo, hi, wijk))


def _safety(answers: Iterable[tuple[str, int]], min_answers: int) -> SafetyMeasure:
    tally: Counter[str] = Counter()
    for answer, n in answers:
        tally[answer] += n
    return SafetyMeasure(tally["often"], tally["sometimes"], tally["never"], min_answers)


def _partners(
    counts: list[Row], handling: list[Row], events: list[Row], surveys: list[Row]
) -> tuple[PartnerFigures, ...]:
    led: Counter[str] = Counter()
    for _category, _wijk, _buurt, lead, _status, n in counts:
        if lead is not None:
            led[lead] += n
    claim: defaultdict[str, list[float]] = defaultdict(list)
    resolve: defaultdict[str, list[float]] = defaultdict(list)
    within: defaultdict[str, list[int]] = defaultdict(list)
    for lead, to_claim, to_resolve, in_time in handling:
        if lead is None:
            continue
        if to_claim is not None:
            claim[lead].append(to_claim)
        if to_resolve is not None:
            resolve[lead].append(to_resolve)
        if in_time is not None:
            within[lead].append(int(in_time))
    acted = {(partner, action): n for partner, action, n in events if partner is not None}
    happy: Counter[tuple[str, int]] = Counter()
    for _wijk, lead, satisfied, _unsafe, n in surveys:
        if lead is not None and satisfied is not None:
            happy[(lead, int(satisfied))] += n
    ids = set(led) | {partner for partner, _ in acted} | {lead for lead, _ in happy}
    return tuple(
        PartnerFigures(
            partner_id=partner,
            led=led[partner],
            to_claim=Durations.of(claim[partner]),
            to_resolve=Durations.of(resolve[partner]),
            within_target=Share(sum(within[partner]), len(within[partner])),
            forwarded=acted.get((partner, "forward"), 0),
            not_ours=acted.get((partner, "not_ours"), 0),
            reopened_by_survey=acted.get((partner, "reopen"), 0),
            satisfaction=Share(happy[(partner, 1)], happy[(partner, 1)] + happy[(partner, 0)]),
        )
        for partner in sorted(ids)
    )


def _recurrence(rows: list[Row]) -> Recurrence:
    ongoing: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for category, wijk, answer, n in rows:
        for key in (f"c:{category}", f"w:{wijk}", "all"):
            answered[key] += n
            ongoing[key] += n if answer == "ongoing" else 0

    def shares(prefix: str) -> dict[str, Share]:
        return {
            key[2:]: Share(ongoing[key], n)
            for key, n in sorted(answered.items())
            if key.startswith(prefix)
        }

    return Recurrence(Share(ongoing["all"], answered["all"]), shares("c:"), shares("w:"))


async def _trend(svc: Services, period: Period, wijk: str | None) -> tuple[MonthFigures, ...]:
    months: list[MonthFigures] = []
    for month in period.months(12):
        lo, hi = _bounds(svc, month)
        made, resolved, (often, sometimes, never) = await svc.insight.month(lo, hi, wijk)
        safety = SafetyMeasure(often, sometimes, never, svc.config.insight.min_answers)
        months.append(MonthFigures(month, made, resolved, safety))
    return tuple(months)


def _buurt_figures(
    svc: Services, wijken: Iterable[Wijk | None], counts: list[Row]
) -> tuple[BuurtFigures, ...]:
    """Return every buurt of the wijken with its reports (from the counts) and inhabitants."""
    per_buurt: Counter[str] = Counter()
    for _category, _wijk, buurt, _lead, _status, n in counts:
        per_buurt[buurt] += n
    people = inhabitants(svc)
    hoods = svc.locations.neighbourhoods
    return tuple(
        BuurtFigures(
            b.buurt_code,
            b.buurt_name,
            b.wijk_code,
            per_buurt[b.buurt_code],
            people.get(b.buurt_code),
        )
        for w in wijken
        if w is not None
        for b in sorted(hoods.buurten(w.code), key=lambda b: b.buurt_code)
    )


async def compute_insight(svc: Services, period: Period, wijk: str | None = None) -> Insight:
    """Return every figure of the period, for the municipality or one wijk (code or name).

    Raises UnknownWijk for a wijk the municipality does not have. An empty period gives zeros
    and None (no figure), never a division by zero: `Insight.empty` says "no reports".
    """
    hoods = svc.locations.neighbourhoods
    code = find_wijk(svc, wijk).code if wijk is not None else None
    repo = svc.insight
    lo, hi = _bounds(svc, period)
    now = svc.clock.now()
    counts = await repo.counts(lo, hi, code)
    handling = await repo.handling(to_text(now), lo, hi, code)
    surveys = await repo.surveys(lo, hi)
    minimum = svc.config.insight.min_answers
    mine = [row for row in surveys if code is None or row[0] == code]
    wijken = [hoods.wijk(code)] if code else hoods.wijken()
    happy: Counter[int] = Counter()
    for _wijk, _lead, satisfied, _unsafe, n in mine:
        if satisfied is not None:
            happy[int(satisfied)] += n
    return Insight(
        period=period,
        wijk=code,
        generated_at=now,
        headline=replace(
            _headline(counts, handling), co_reporters=await repo.co_reporters(lo, hi, code)
        ),
        previous=await headline(svc, period.previous(), code),
        city_safety=_safety(((row[3], row[4]) for row in surveys if row[3]), minimum),
        wijken=tuple(
            WijkFigures(
                code=w.code,
                name=w.short_name,
                reports=sum(n for row in counts if row[1] == w.code for n in row[5:]),
                safety=_safety(((r[3], r[4]) for r in surveys if r[0] == w.code and r[3]), minimum),
            )
            for w in wijken
            if w is not None
        ),
        buurten=_buurt_figures(svc, wijken, counts),
        partners=_partners(counts, handling, await repo.partner_events(lo, hi, code), mine),
        satisfaction=Satisfaction(
            satisfied=Share(happy[1], happy[1] + happy[0]),
            reasons=dict(sorted(await repo.reasons(lo, hi, code), key=lambda r: (-r[1], r[0]))),
        ),
        recurrence=_recurrence(await repo.followups(lo, hi, code)),
        trend=await _trend(svc, period, code),
        hotspots=hotspot_figures(svc, await repo.hotspots(lo, hi), code),
        panel=await panel_of(svc, period),
    )


def _measure(answers: Row, minimum: int) -> SafetyMeasure:
    """The safety measure of (often, sometimes, never) answers."""
    often, sometimes, never = answers
    return SafetyMeasure(int(often), int(sometimes), int(never), minimum)


async def quick_insight(svc: Services, period: Period, wijk: str | None = None) -> Insight:
    """Return what /stats shows from the cheapest reads: the headline counts, the buurten, the
    previous period's reports, the city's (and the wijk's) safety. Durations, partners,
    satisfaction, recurrence and trend stay empty; the figures it has are compute_insight's."""
    hoods = svc.locations.neighbourhoods
    code = find_wijk(svc, wijk).code if wijk is not None else None
    repo = svc.insight
    lo, hi = _bounds(svc, period)
    counts = await repo.counts(lo, hi, code)
    minimum = svc.config.insight.min_answers
    _, _, city = await repo.month(lo, hi, None)
    local = city if code is None else (await repo.month(lo, hi, code))[2]
    before_lo, before_hi = _bounds(svc, period.previous())
    previous = (await repo.month(before_lo, before_hi, code))[0]
    wijken = [hoods.wijk(code)] if code else hoods.wijken()
    unknown = SafetyMeasure(min_answers=minimum)
    return Insight(
        period=period,
        wijk=code,
        generated_at=svc.clock.now(),
        headline=_headline(counts, []),
        previous=Headline(reports=previous),
        city_safety=_measure(city, minimum),
        wijken=tuple(
            WijkFigures(
                code=w.code,
                name=w.short_name,
                reports=sum(n for row in counts if row[1] == w.code for n in row[5:]),
                safety=_measure(local, minimum) if code else unknown,
            )
            for w in wijken
            if w is not None
        ),
        buurten=_buurt_figures(svc, wijken, counts),
        partners=(),
        satisfaction=Satisfaction(),
        recurrence=Recurrence(),
        trend=(),
        panel=await panel_of(svc, period),
    )
