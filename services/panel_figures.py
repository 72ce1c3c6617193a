"""The panel's figures of one round, for /stats and the council report.

Per wijk: members now, inhabitants and the round's answers (the share who often or sometimes
feel unsafe, with its 95% Wilson interval, "too few answers" below `[panel] min_answers`);
for the city: unweighted, and weighted by the inhabitants per wijk (reports/panel.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reports.panel import PanelFigures, PanelWijk, Round, measure, weighted_share
from reports.period import Period
from services.container import Services
from services.inhabitants import inhabitants
from services.panel import current_round


def figures_round(svc: Services, period_end: datetime) -> Round:
    """Return the round the statistics of a period ending at `period_end` show: the one that
    holds its last moment."""
    return current_round(svc, period_end - timedelta(seconds=1))


async def figures(svc: Services, shown: Round) -> PanelFigures:
    """Return the panel's figures of one round: per wijk, the city unweighted and weighted."""
    min_answers = svc.config.panel.min_answers
    counts: dict[str, dict[str, int]] = {}
    for wijk_code, given, n in await svc.panel.answers(shown.key):
        counts.setdefault(wijk_code, {})[given] = n
    members = await svc.panel.members_per_wijk()
    people: dict[str, int] = {}
    for buurt_code, count in inhabitants(svc).items():
        buurt = svc.locations.neighbourhoods.buurt(buurt_code)
        if buurt is not None and count:
            people[buurt.wijk_code] = people.get(buurt.wijk_code, 0) + count
    wijken = tuple(
        PanelWijk(
            code=w.code,
            name=w.short_name,
            members=members.get(w.code, 0),
            inhabitants=people.get(w.code),
            safety=measure(counts.get(w.code, {}), min_answers),
        )
        for w in svc.locations.neighbourhoods.wijken()
    )
    everything: dict[str, int] = {}
    for per_answer in counts.values():
        for given, n in per_answer.items():
            everything[given] = everything.get(given, 0) + n
    city = measure(everything, min_answers)
    return PanelFigures(
        round=shown,
        wijken=wijken,
        city=city,
        weighted=None if city.too_few else weighted_share(wijken),
        members=sum(members.values()),
        causes=dict(sorted((await svc.panel.causes(shown.key)).items(), key=lambda c: -c[1])),
    )


async def panel_of(svc: Services, period: Period) -> PanelFigures | None:
    """Return the figures of the panel round that holds the period's end; None: panel off."""
    if not svc.config.panel.enabled:
        return None
    _, end = period.bounds(svc.config.municipality.zone)
    return await figures(svc, figures_round(svc, end))
