"""Let residents turn off what Meldbot sends on its own initiative, and turn it on again.

Follow-ups, surveys, tips and digests are proactive. `/stop` or the stop button under any of
them turns them off for the resident, cancels the pending ones and ends their membership of the
neighbourhood panel (services/panel.py), in one transaction;
`/start` turns them on again. A resident who blocked the bot (Telegram answered 403) is
treated as stopped until they write to the bot again, and leaves the panel (they may join
again with /panel). Messages about their reports (a
caseworker's question, the outcome) are not proactive and keep coming.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from reports.records import OptOut
from services.container import Services
from services.panel import leave_in
from storage.residents import turn_proactive_off, turn_proactive_on

log = logging.getLogger(__name__)


class StopOutcome(StrEnum):
    """What /stop or the stop button did."""

    STOPPED = "stopped"
    ALREADY = "already"
    """The resident had stopped proactive messages before."""


async def stop(svc: Services, user_id: int) -> StopOutcome:
    """Turn proactive messages off for a resident and cancel the pending ones."""
    now = svc.clock.now()
    async with svc.uow() as work:
        before = await turn_proactive_off(work.session, user_id, OptOut.STOP, now)
        cancelled = await work.outbox.cancel_proactive(now, chat_id=user_id)
        await leave_in(svc, work, user_id)
    log.info("proactive messages off for a resident (%d pending cancelled)", cancelled)
    return StopOutcome.ALREADY if before is OptOut.STOP else StopOutcome.STOPPED


async def welcome_back(svc: Services, user_id: int, *, starting: bool) -> OptOut | None:
    """Turn proactive messages on again after /start, or when a resident who blocked writes.

    Returns why they were off when this turned them on (STOP: the resident should hear it),
    else None. Without /start, only a block is lifted: a /stop holds until /start.
    """
    reason = await svc.residents.proactive_off(user_id)
    if reason is None or (reason is OptOut.STOP and not starting):
        return None  # the common case, for every message: one read, no write
    async with svc.uow() as work:
        cleared = await turn_proactive_on(
            work.session, user_id, svc.clock.now(), only=None if starting else OptOut.BLOCKED
        )
    if cleared is OptOut.BLOCKED:
        log.info("a resident who had blocked the bot writes again")
    return cleared


async def resident_unreachable(svc: Services, chat_id: int) -> None:
    """Schedule nothing more for a resident who blocked the bot, and cancel what was pending."""
    if chat_id <= 0:
        return  # a group: the coordinator is told elsewhere
    now = svc.clock.now()
    async with svc.uow() as work:
        await turn_proactive_off(work.session, chat_id, OptOut.BLOCKED, now)
        cancelled = await work.outbox.cancel_proactive(now, chat_id=chat_id)
        await leave_in(svc, work, chat_id)
    log.info("a resident blocked the bot; %d pending proactive messages cancelled", cancelled)
