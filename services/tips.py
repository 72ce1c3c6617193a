"""Keep residents' subscriptions to their wijk's digest, and queue the digests that fell due.

`/tips` subscribes a resident to the digest of the wijk of their latest report (or one they
pick); every `digest_every` the sweep queues the digest of that period: the wijk's reports per
category and how many were resolved, never a single report's details or location, with a
tip. The subscription moves on one period in the transaction that queues its digest, under
the dedupe key `digest:<user>:<end of period>`, so each period's digest goes once. Digests
are proactive: /stop and the quiet hours apply.
"""

from __future__ import annotations

import logging

from reports.kinds import OutboxKind
from reports.models import Language
from reports.records import Subscription
from reports.survey import digest_key, pick_tip
from services.container import Services
from services.ports import Digest
from services.proactive import queue_proactive
from storage.digests import (
    due_subscriptions,
    latest_wijk,
    move_on,
    subscribe,
    unsubscribe,
    wijk_counts,
)
from storage.residents import chosen_language
from storage.uow import Work

log = logging.getLogger(__name__)

FALLBACK_CATEGORY = "overig"
"""The category whose tip a digest carries when its wijk's busiest category has none."""


async def subscribe_to(svc: Services, user_id: int, wijk_code: str) -> Subscription | None:
    """Subscribe a resident to a wijk's digest; None for a wijk the map does not know."""
    if svc.locations.neighbourhoods.wijk(wijk_code) is None:
        return None
    async with svc.uow() as work:
        return await _subscribe(svc, work, user_id, wijk_code)


async def subscribe_to_latest(svc: Services, user_id: int) -> Subscription | None:
    """Subscribe a resident to the digest of their latest report's wijk; None without one."""
    async with svc.uow() as work:
        wijk_code = await latest_wijk(work.session, user_id)
        if wijk_code is None:
            return None
        return await _subscribe(svc, work, user_id, wijk_code)


async def _subscribe(svc: Services, work: Work, user_id: int, wijk_code: str) -> Subscription:
    """Subscribe (again): the first digest covers from now until one period later."""
    now = svc.clock.now()
    first = svc.config.schedule.digest_every.after(now, svc.config.municipality.zone)
    await subscribe(work.session, user_id, wijk_code, now, first)
    log.info("a resident subscribed to the digest of %s", wijk_code)
    return Subscription(user_id, wijk_code, since=now, next_at=first)


async def unsubscribe_from(svc: Services, user_id: int) -> bool:
    """End a resident's subscription; False when there was none."""
    async with svc.uow() as work:
        return await unsubscribe(work.session, user_id) == 1


async def queue_due_digests(svc: Services) -> int:
    """Queue the digest of every subscription that fell due; return how many were queued."""
    now = svc.clock.now()
    if not await svc.digests.due(now):
        return 0  # the common case, every sweep: one read, no write
    zone = svc.config.municipality.zone
    every = svc.config.schedule.digest_every
    queued = 0
    async with svc.uow() as work:
        for due in await due_subscriptions(work.session, now):
            if not await move_on(work.session, due, every.after(due.next_at, zone)):
                continue
            counts = await wijk_counts(work.session, due.wijk_code, due.since, due.next_at)
            language = await chosen_language(work.session, due.user_id) or Language.NL
            until = due.next_at.astimezone(zone)
            busiest = next(iter(counts.per_category), FALLBACK_CATEGORY)
            tips = svc.config.tips_for(busiest, language) or svc.config.tips_for(
                FALLBACK_CATEGORY, language
            )
            wijk = svc.locations.neighbourhoods.wijk(due.wijk_code)
            digest = Digest(
                language=language,
                wijk=wijk.short_name if wijk else due.wijk_code,
                since=due.since,
                until=due.next_at,
                per_category=counts.per_category,
                resolved=counts.resolved,
                tip=pick_tip(tips, int(until.timestamp())),
            )
            row = await queue_proactive(
                svc.config,
                work,
                user_id=due.user_id,
                kind=OutboxKind.DIGEST,
                rendered=svc.messages.digest(digest),
                due=now,
                now=now,
                dedupe_key=digest_key(due.user_id, until),
            )
            queued += row is not None
    if queued:
        log.info("%d digests queued", queued)
    return queued
