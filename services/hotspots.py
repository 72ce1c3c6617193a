"""Check for hotspots once per `[hotspots] every_days` and tell the coordinator's own group.

One check per period, claimed in the database before it runs, so two bot processes starting
the job at the same moment still send each message once. Each new hotspot is announced once;
one that persists is announced again only when its count grows to `grows_by` times the last
announced one; one the check no longer finds is announced as ended. The messages go through the
outbox in the transaction that records the hotspots.

The coordinator decides about a hotspot with the buttons under its message (`decide_hotspot`):
seen; a joint approach, which asks the partners who led its reports to act together, each in
their own group; or not relevant, which keeps that buurt and category quiet for a while.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from reports.hotspots import HISTORY_DAYS, WINDOW_DAYS, Cell, CellCounts, city_rates, find_hotspots
from reports.kinds import OutboxKind
from services.chain import Chain
from services.container import Services
from services.hotspot_figures import place_name
from services.inhabitants import inhabitants
from storage.hotspots import HotspotStore
from storage.timestamps import from_text, to_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HotspotNotice:
    """What the coordinator hears about one hotspot."""

    kind: str
    """"new", "grown" or "ended"."""
    buurt_code: str
    category_id: str
    place: str
    """The buurt and its wijk, as people call them."""
    reports: int
    observed: int
    expected: float
    cold_start: bool
    partners: tuple[str, ...]
    since: datetime
    hotspot_id: int = 0
    """The stored hotspot, for the buttons under its message."""


@dataclass(frozen=True)
class HotspotDecision:
    """What came of the coordinator's decision about a hotspot."""

    decision: str
    """"seen", "joint" or "dismissed"."""
    notice: HotspotNotice
    told: tuple[str, ...] = ()
    """The partners whose own groups were asked to act together (joint)."""
    until: datetime | None = None
    """Until when nothing more is said about it (dismissed)."""
    reason: str | None = None
    """Why it was dismissed."""


DECISIONS = ("seen", "joint", "dismissed")


def check_period(now: datetime, every_days: int) -> str:
    """Name the period a check at `now` belongs to: days since 1970 in steps of every_days."""
    days = (now - datetime(1970, 1, 1, tzinfo=now.tzinfo)).days
    return f"{every_days}d:{days // every_days}"


async def check_hotspots(svc: Services) -> list[HotspotNotice]:
    """Run this period's check if no one has; queue and return the notices it gave."""
    settings = svc.config.hotspots
    if not settings.enabled:
        return []
    chain = Chain(svc.config, svc.messages)
    where = chain.destination(chain.coordinator, await svc.cases.links())
    if where is None or where.stand_in:
        return []
    now = svc.clock.now()
    period = check_period(now, settings.every_days)
    if await svc.hotspots.checked(period):
        return []
    window = now - timedelta(days=WINDOW_DAYS)
    history = window - timedelta(days=HISTORY_DAYS)
    reads = svc.hotspots
    counts = await reads.counts(to_text(history), to_text(window), to_text(now))
    ongoing = {(b, c): int(n) for b, c, n in await reads.ongoing(to_text(window), to_text(now))}
    first = await reads.first_report()
    history_days = (window - from_text(first)).days if first else 0
    cells = {
        Cell(str(buurt), str(category)): CellCounts(
            int(recent), int(past), ongoing.get((buurt, category), 0)
        )
        for buurt, category, recent, past in counts
    }
    people = inhabitants(svc)
    per_category: dict[str, int] = {}
    for cell, seen in cells.items():
        per_category[cell.category_id] = per_category.get(cell.category_id, 0) + seen.history
    buurten = len(people) or 1
    # A pure computation over every cell (hundreds of thousands of terms at a million
    # reports): in a thread, so residents' updates go on meanwhile.
    found = await asyncio.to_thread(
        find_hotspots,
        cells,
        history_days=history_days,
        city_rates=city_rates(per_category, people.values(), max(1, min(history_days, 365))),
        inhabitants=people,
        alpha=settings.alpha,
        min_reports=settings.min_reports,
        all_cells=buurten * len(svc.config.categories),
    )
    at = to_text(now)
    partners = {
        spot.cell: tuple(
            await reads.leads(spot.cell.buurt_code, spot.cell.category_id, to_text(window), at)
        )
        for spot in found
    }
    notices: list[HotspotNotice] = []
    async with svc.uow() as work:
        store = HotspotStore(work.session)
        if not await store.claim_check(period, to_text(now)):
            return []
        active = {(h.buurt_code, h.category_id): h for h in await store.active()}
        quiet = await store.suppressed(at)
        for spot in found:
            key = (spot.cell.buurt_code, spot.cell.category_id)
            known = active.pop(key, None)
            grown = known is not None and spot.observed >= known.announced * settings.grows_by
            grown = grown and key not in quiet
            if known is None:
                hotspot_id = await store.add(*key, spot.observed, spot.expected, spot.p_value, at)
            else:
                hotspot_id = known.id
                await store.seen(
                    known.id, spot.observed, spot.expected, spot.p_value, at, announced=grown
                )
            if (known is None and key not in quiet) or grown:
                since = now if known is None else from_text(known.first_seen)
                notices.append(
                    HotspotNotice(
                        "new" if known is None else "grown",
                        *key,
                        place_name(svc, key[0]),
                        spot.reports,
                        spot.observed,
                        spot.expected,
                        spot.cold_start,
                        partners[spot.cell],
                        since,
                        hotspot_id,
                    )
                )
        for gone in active.values():
            await store.end(gone.id, at)
            if gone.decision == "dismissed" or (gone.buurt_code, gone.category_id) in quiet:
                continue
            notices.append(
                HotspotNotice(
                    "ended",
                    gone.buurt_code,
                    gone.category_id,
                    place_name(svc, gone.buurt_code),
                    0,
                    0,
                    0.0,
                    False,
                    (),
                    from_text(gone.first_seen),
                    gone.id,
                )
            )
        for notice in notices:
            rendered = svc.messages.hotspot(notice, where.language)
            once = f"hotspot:{notice.kind}:{notice.buurt_code}:{notice.category_id}:{at}"
            await chain.enqueue(
                work, None, where.chat_id, rendered, now, OutboxKind.HOTSPOT, dedupe_key=once
            )
    if notices:
        log.info("hotspot check: %d message(s) for the coordinator", len(notices))
    return notices


async def decide_hotspot(
    svc: Services, hotspot_id: int, decision: str, reason: str | None = None
) -> HotspotDecision | None:
    """Record the coordinator's decision about an active hotspot; None when it is stale.

    "seen" only records it. "joint" also asks every partner who led one of its reports in
    the window, in that partner's own group, to take it on together. "dismissed" (with a
    reason) keeps the buurt and category quiet for `[hotspots] suppress_days`. A hotspot
    that ended, or was decided on with "joint" or "dismissed" already, takes no decision.
    """
    if decision not in DECISIONS or (decision == "dismissed") != bool(reason):
        raise ValueError(f"not a decision: {decision!r} with reason {reason!r}")
    now = svc.clock.now()
    at = to_text(now)
    window = to_text(now - timedelta(days=WINDOW_DAYS))
    chain = Chain(svc.config, svc.messages)
    links = await svc.cases.links()
    spot = await svc.hotspots.get(hotspot_id)
    if spot is None:
        return None
    leads = tuple(await svc.hotspots.leads(spot.buurt_code, spot.category_id, window, at))
    async with svc.uow() as work:
        store = HotspotStore(work.session)
        if not await store.decide(hotspot_id, decision, reason, at):
            return None
        notice = HotspotNotice(
            decision,
            spot.buurt_code,
            spot.category_id,
            place_name(svc, spot.buurt_code),
            spot.observed,
            spot.observed,
            spot.expected,
            False,
            leads,
            now,
            spot.id,
        )
        told: list[str] = []
        until: datetime | None = None
        if decision == "joint":
            for partner in leads:
                where = chain.destination(partner, links)
                if where is None or where.stand_in:
                    continue
                rendered = svc.messages.hotspot_joint(notice, where.language)
                once = f"hotspot:joint:{spot.id}:{partner}"
                await chain.enqueue(
                    work, None, where.chat_id, rendered, now, OutboxKind.HOTSPOT, dedupe_key=once
                )
                told.append(partner)
        elif decision == "dismissed":
            until = now + timedelta(days=svc.config.hotspots.suppress_days)
            await store.suppress(spot.buurt_code, spot.category_id, to_text(until), reason or "")
    log.info("hotspot %d: %s", hotspot_id, decision)
    return HotspotDecision(decision, notice, tuple(told), until, reason)


@dataclass(frozen=True)
class HotspotArea:
    """What the picture of a hotspot shows: its buurt, and where its reports were made."""

    buurt_code: str
    category_id: str
    place: str
    points: tuple[tuple[float, float], ...]
    """(latitude, longitude) of the window's reports with a location; never shown as pins."""
    reports: int
    """Reports of the window (with or without a location)."""


async def hotspot_area(svc: Services, hotspot_id: int) -> HotspotArea | None:
    """Return what the picture of a hotspot shows, over the last 28 days; None if unknown."""
    spot = await svc.hotspots.get(hotspot_id)
    if spot is None:
        return None
    now = svc.clock.now()
    window, at = to_text(now - timedelta(days=WINDOW_DAYS)), to_text(now)
    points = await svc.hotspots.points(spot.buurt_code, spot.category_id, window, at)
    counts = await svc.hotspots.counts(window, window, at)
    reports = next(
        (int(n) for b, c, n, _ in counts if (b, c) == (spot.buurt_code, spot.category_id)), 0
    )
    place = place_name(svc, spot.buurt_code)
    return HotspotArea(spot.buurt_code, spot.category_id, place, tuple(points), reports)
