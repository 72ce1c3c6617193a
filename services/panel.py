"""Run the neighbourhood panel (buurtpanel): join, leave, the question per round, the answers.

Any resident may join in their private chat (/panel): they choose their own buurt (wijk, then
buurt; or a pin that only finds the buurt and is then discarded) and agree to one question
per round (a quarter by default). The sweep (`queue_due_questions`) queues each member's
question once per round, in the transaction that records it (`panel_invitations`, dedupe key
`panel:<round>:<user>`), at a random moment inside the round, moved past the quiet hours by
the outbox; /stop, a block and erasure end the membership. The answer is stored without
anything that identifies the member (round, buurt, wijk, answer); so is the optional cause.
Leaving erases the member's rows of earlier rounds. The panel is offered once, after a
report, and never again after "no" (`offer_after_report`).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from config.municipality import MunicipalityConfig
from reports.kinds import OutboxKind
from reports.models import Language, Neighbourhood, Report
from reports.panel import (
    InvitationState,
    Round,
    ask_moment,
    round_at,
)
from reports.records import OptOut
from services.container import Services
from services.ports import ProactiveMessages
from services.proactive import queue_proactive
from storage import panel as store
from storage.panel import Member
from storage.uow import Work

log = logging.getLogger(__name__)

PIN_WINDOW = timedelta(days=1)
"""After /panel, a pin is taken to find the resident's buurt for this long."""
SWEEP_BATCH = 500
"""At most this many members get their round's question queued per sweep (short writes)."""
_SYSTEM_RANDOM = random.SystemRandom()


class JoinOutcome(StrEnum):
    """What became of choosing a buurt for the panel."""

    JOINED = "joined"
    MOVED = "moved"
    """Already a member: their buurt is changed."""
    UNKNOWN = "unknown"
    """No such buurt (a forged or stale button)."""
    OFF = "off"
    """The panel is turned off in this municipality."""
    STOPPED = "stopped"
    """The resident turned proactive messages off with /stop: /start comes first."""


@dataclass(frozen=True)
class PanelStatus:
    """A resident's membership as they see it in /panel."""

    member: Member
    buurt: str
    wijk: str
    next_round: Round
    """The round whose question they get next."""


def current_round(svc: Services, now: datetime | None = None) -> Round:
    """Return the round that holds `now` (default: the clock's now)."""
    config = svc.config
    moment = svc.clock.now() if now is None else now
    return round_at(moment, config.municipality.zone, config.panel.rounds_per_year)


async def status(svc: Services, user_id: int) -> PanelStatus | None:
    """Return the resident's membership with names and the round of their next question."""
    found = await svc.panel.member(user_id)
    if found is None:
        return None
    now = svc.clock.now()
    current = current_round(svc, now)
    async with svc.uow() as work:
        state = await store.invitation(work.session, current.key, user_id)
    upcoming = current if state in (None, InvitationState.REBUURT) else current.next()
    hoods = svc.locations.neighbourhoods
    buurt = hoods.buurt(found.buurt_code)
    wijk = hoods.wijk(found.wijk_code)
    return PanelStatus(
        member=found,
        buurt=buurt.buurt_name if buurt else found.buurt_code,
        wijk=wijk.short_name if wijk else found.wijk_code,
        next_round=upcoming,
    )


async def stopped(svc: Services, user_id: int) -> bool:
    """Return whether the resident turned proactive messages off with /stop (no panel then)."""
    return await svc.residents.proactive_off(user_id) is OptOut.STOP


async def open_join(svc: Services, user_id: int) -> None:
    """Let a pin shared in the next day find the resident's buurt (after /panel)."""
    async with svc.uow() as work:
        await store.set_pending(work.session, user_id, svc.clock.now() + PIN_WINDOW)


@dataclass(frozen=True)
class PinResult:
    """What a pin shared outside a report says for the panel."""

    for_panel: bool
    """A /panel waits for a pin (else the pin is not for the panel)."""
    buurt: Neighbourhood | None = None
    """The buurt it lies in; None outside the municipality."""


async def buurt_from_pin(
    svc: Services, user_id: int, latitude: float, longitude: float
) -> PinResult:
    """Find the buurt of a pin for a resident whose /panel waits for one; the pin is not kept."""
    until = await svc.panel.pending_until(user_id)
    if until is None or until <= svc.clock.now():
        return PinResult(for_panel=False)
    return PinResult(True, svc.locations.neighbourhoods.locate(latitude, longitude))


async def join(svc: Services, user_id: int, buurt_code: str, language: Language) -> JoinOutcome:
    """Make the resident a member for their buurt (or change it); they agreed just now."""
    if not svc.config.panel.enabled:
        return JoinOutcome.OFF
    buurt = svc.locations.neighbourhoods.buurt(buurt_code)
    if buurt is None:
        return JoinOutcome.UNKNOWN
    if await stopped(svc, user_id):
        return JoinOutcome.STOPPED
    now = svc.clock.now()
    current = current_round(svc, now)
    async with svc.uow() as work:
        new = await store.join(
            work.session, user_id, buurt.buurt_code, buurt.wijk_code, language.value, now
        )
        await store.forget_invitation(work.session, current.key, user_id)
        await store.set_offer(work.session, user_id, "interested")
    log.info("a resident %s the panel", "joined" if new else "changed their buurt in")
    return JoinOutcome.JOINED if new else JoinOutcome.MOVED


async def leave(svc: Services, user_id: int) -> bool:
    """End the resident's membership and erase its links; False when they were no member."""
    async with svc.uow() as work:
        return await leave_in(svc, work, user_id)


async def leave_in(svc: Services, work: Work, user_id: int) -> bool:
    """Leave the panel inside the caller's unit of work (/stop, a block)."""
    gone = await store.leave(work.session, user_id, current_round(svc).key)
    if gone:
        log.info("a resident left the panel")
    return gone


async def decline_offer(svc: Services, user_id: int) -> None:
    """Remember "no thanks": the panel is never offered again (only /panel stays open)."""
    async with svc.uow() as work:
        await store.set_offer(work.session, user_id, "declined")


async def offer_after_report(
    config: MunicipalityConfig, messages: ProactiveMessages, work: Work, report: Report
) -> bool:
    """Queue the one offer to join the panel after a resident's report; False when not due.

    Offered only to a resident who was never offered it and never opened /panel, who is no
    member, and who did not turn proactive messages off. Runs in the report's transaction,
    `[panel] offer_after_minutes` after the report, moved past the quiet hours.
    """
    user_id = report.user_id if report.chat_id else None
    if not config.panel.enabled or not user_id:
        return False
    if await store.contacted(work.session, user_id):
        return False
    if await store.member(work.session, user_id) is not None:
        return False
    row = await queue_proactive(
        config,
        work,
        user_id=user_id,
        kind=OutboxKind.PANEL_OFFER,
        rendered=messages.panel_offer(report.language),
        due=report.created_at + timedelta(minutes=config.panel.offer_after_minutes),
        now=report.created_at,
        report_id=report.id,
        dedupe_key=f"panel-offer:{user_id}",
    )
    if row is None:
        return False
    await store.set_offer(work.session, user_id, "offered")
    return True


async def queue_due_questions(svc: Services, rng: random.Random | None = None) -> int:
    """Queue this round's question for every member who has none yet; return how many.

    A member whose buurt no longer exists (a boundary update) is asked to choose it again
    instead; a member who joined too late in the round is asked in the next one.
    """
    if not svc.config.panel.enabled:
        return 0
    now = svc.clock.now()
    current = current_round(svc, now)
    if not await svc.panel.anyone_uninvited(current.key):
        return 0  # the common case, every sweep: one read, no write
    draw = rng or _SYSTEM_RANDOM
    hoods = svc.locations.neighbourhoods
    queued = 0
    async with svc.uow() as work:
        await store.close_open_causes(work.session, current.key)
        for due in await store.uninvited(work.session, current.key, SWEEP_BATCH):
            language = Language(due.language)
            if hoods.buurt(due.buurt_code) is None:
                row = await queue_proactive(
                    svc.config,
                    work,
                    user_id=due.user_id,
                    kind=OutboxKind.PANEL_REBUURT,
                    rendered=svc.messages.panel_rebuurt(due.buurt_code, language),
                    due=now,
                    now=now,
                    dedupe_key=f"panel-rebuurt:{current.key}:{due.user_id}",
                )
                await store.invite(
                    work.session, current.key, due.user_id, InvitationState.REBUURT, row
                )
                log.info("a panel member's buurt no longer exists: asked to choose again")
                continue
            moment = ask_moment(current, now, due.joined_at, draw)
            row = None
            if moment is not None:
                row = await queue_proactive(
                    svc.config,
                    work,
                    user_id=due.user_id,
                    kind=OutboxKind.PANEL_QUESTION,
                    rendered=svc.messages.panel_question(current.key, current.label, language),
                    due=moment,
                    now=now,
                    dedupe_key=f"panel:{current.key}:{due.user_id}",
                )
            state = InvitationState.ASKED if row is not None else InvitationState.DONE
            await store.invite(work.session, current.key, due.user_id, state, row)
            queued += row is not None
    if queued:
        log.info("%d panel questions queued for %s", queued, current.label)
    return queued
