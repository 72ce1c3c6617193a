"""The municipal coordinator's use cases: linking partner chats, the overview, lost chats.

A partner's group links itself with the deployment's link code (and receives the reports held
for want of a group); only the coordinator's own chat (linked or configured, never a
stand-in) unlinks, lists the open reports and shows a report's details and audit trail. When
a partner chat refuses the bot, the coordinator's chat hears so, once per chat per day.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from reports.kinds import CaseRole, OutboxKind
from reports.models import Report
from reports.records import CaseEvent
from services.chain import Chain
from services.container import Services
from services.holding import release_held

log = logging.getLogger(__name__)


class NotCoordinatorChat(Exception):
    """A coordinator's command came from another chat; it shows and changes nothing."""


class LinkOutcome(Enum):
    """What came of a group's request to link itself to a partner."""

    LINKED = "linked"
    DISABLED = "disabled"
    """The deployment has no link code: linking from a chat is off."""
    UNKNOWN_PARTNER = "unknown_partner"
    BAD_CODE = "bad_code"


class UnlinkOutcome(Enum):
    """What came of the coordinator's request to unlink a partner."""

    UNLINKED = "unlinked"
    NOT_LINKED = "not_linked"
    UNKNOWN_PARTNER = "unknown_partner"


OPEN_BATCH = 100
"""Open reports are read this many at a time, and only as far as the answer shows them."""


@dataclass(frozen=True)
class PartnerReports:
    """How many open reports one partner has; the coordinator's include the undecided ones."""

    partner_id: str
    count: int


@dataclass(frozen=True)
class OpenReports:
    """The open reports per partner in the configuration's order, at a moment.

    Only the counts are read up front; `reports` reads a partner's reports oldest first, a
    batch at a time, as far as the caller goes.
    """

    at: datetime
    partners: tuple[PartnerReports, ...]
    svc: Services = field(repr=False, compare=False)

    @property
    def count(self) -> int:
        """Return how many reports are open."""
        return sum(group.count for group in self.partners)

    async def reports(self, group: PartnerReports) -> AsyncGenerator[Report, None]:
        """Yield a partner's open reports, oldest first, read OPEN_BATCH at a time."""
        undecided = group.partner_id == self.svc.config.routing.fallback
        after: tuple[datetime, int] | None = None
        left = group.count
        while left > 0:
            batch = await self.svc.cases.open_page(
                group.partner_id, after, min(left, OPEN_BATCH), undecided=undecided
            )
            for report in batch:
                yield report
            if len(batch) < min(left, OPEN_BATCH):
                return
            left -= len(batch)
            after = (batch[-1].created_at, batch[-1].id)


@dataclass(frozen=True)
class CaseFile:
    """One report with its audit trail, oldest event first."""

    report: Report
    events: tuple[CaseEvent, ...]


async def link_chat(
    svc: Services, chat_id: int, user_id: int, partner_id: str, code: str
) -> LinkOutcome:
    """Link a group chat to a partner when the deployment's link code is given.

    In the same unit of work every held report the chat can now take is passed on, oldest
    first (`services.holding`).
    """
    if svc.link_code is None:
        return LinkOutcome.DISABLED
    if svc.config.partner(partner_id) is None:
        return LinkOutcome.UNKNOWN_PARTNER
    if not hmac.compare_digest(code.encode(), svc.link_code.encode()):
        log.warning("wrong link code for %s in chat %s", partner_id, chat_id)
        return LinkOutcome.BAD_CODE
    now = svc.clock.now()
    async with svc.uow() as work:
        await work.cases.link(partner_id, chat_id, user_id, now)
        released = await release_held(work, Chain(svc.config, svc.messages), now)
    log.info(
        "chat %s linked to partner %s; %d held reports passed on", chat_id, partner_id, released
    )
    return LinkOutcome.LINKED


async def unlink_partner(svc: Services, chat_id: int, partner_id: str) -> UnlinkOutcome:
    """Unlink a partner's chat, on the coordinator's word; raise NotCoordinatorChat otherwise."""
    chain = Chain(svc.config, svc.messages)
    async with svc.uow() as work:
        if not _is_coordinator_chat(chain, await work.cases.links(), chat_id):
            raise NotCoordinatorChat(chat_id)
        if svc.config.partner(partner_id) is None:
            return UnlinkOutcome.UNKNOWN_PARTNER
        removed = await work.cases.unlink(partner_id)
    if removed:
        log.info("partner %s unlinked by the coordinator", partner_id)
    return UnlinkOutcome.UNLINKED if removed else UnlinkOutcome.NOT_LINKED


async def open_reports(svc: Services, chat_id: int) -> OpenReports:
    """Return how many reports each lead partner has open (the coordinator's chat only).

    Partners come in the configuration's order (others after them, oldest report first); a
    report a partner handed back as "not ours", or that nobody leads, is listed under the
    coordinator, who decides where it goes. The reports themselves are read on demand
    (`OpenReports.reports`).
    """
    await _ensure_coordinator_chat(svc, chat_id)
    now = svc.clock.now()
    coordinator = svc.config.routing.fallback
    counts: dict[str, int] = {}
    oldest: dict[str, str] = {}
    for found in await svc.cases.open_counts():
        owner = found.owner or coordinator
        counts[owner] = counts.get(owner, 0) + found.reports
        oldest[owner] = min(oldest.get(owner, found.oldest), found.oldest)
    order = [partner.id for partner in svc.config.partners if partner.id in counts]
    order += sorted((o for o in counts if o not in order), key=lambda o: (oldest[o], o))
    return OpenReports(now, tuple(PartnerReports(p, counts[p]) for p in order), svc)


async def report_details(svc: Services, chat_id: int, reference: str) -> CaseFile | None:
    """Return a report and its audit trail (the coordinator's chat only); None when unknown."""
    await _ensure_coordinator_chat(svc, chat_id)
    report = await svc.reports.get_by_reference(reference) if reference else None
    if report is None:
        return None
    return CaseFile(report, tuple(await svc.cases.events(report.id)))


async def remember_shown(
    svc: Services, chat_id: int, report_id: int, message_ids: list[int]
) -> None:
    """Remember the messages that showed a report's details, so erasure can empty them.

    They are no handle on the report: a reply to one is not a question for the resident.
    """
    now = svc.clock.now()
    async with svc.uow() as work:
        for message_id in message_ids:
            await work.cases.add_message(
                report_id,
                svc.config.routing.fallback,
                CaseRole.VIEW,
                chat_id,
                now,
                message_id=message_id,
            )


async def report_unreachable(svc: Services, chat_id: int, reason: str) -> bool:
    """Tell the coordinator's chat that a partner chat refuses the bot, once per chat per day.

    Return whether a notice was queued. A private chat (a resident who blocked the bot) is
    none of the coordinator's business, and the coordinator's own chat cannot be told.
    """
    if chat_id > 0:
        return False
    now = svc.clock.now()
    chain = Chain(svc.config, svc.messages)
    async with svc.uow() as work:
        coordinator = chain.destination(chain.coordinator, await work.cases.links())
        if coordinator is None or coordinator.chat_id == chat_id:
            log.error("chat %s is unreachable and there is no other chat to say so", chat_id)
            return False
        rendered = svc.messages.unreachable(chat_id, reason, coordinator.language)
        key = f"unreachable:{chat_id}:{now:%Y-%m-%d}"
        row = await chain.enqueue(
            work, None, coordinator.chat_id, rendered, now, OutboxKind.UNREACHABLE, dedupe_key=key
        )
    return row is not None


async def is_coordinator_chat(svc: Services, chat_id: int) -> bool:
    """Return whether a chat is the coordinator's own (linked or configured) chat."""
    chain = Chain(svc.config, svc.messages)
    return _is_coordinator_chat(chain, await svc.cases.links(), chat_id)


async def _ensure_coordinator_chat(svc: Services, chat_id: int) -> None:
    """Raise NotCoordinatorChat unless the chat is the coordinator's own."""
    if not await is_coordinator_chat(svc, chat_id):
        raise NotCoordinatorChat(chat_id)


def _is_coordinator_chat(chain: Chain, links: dict[str, int], chat_id: int) -> bool:
    """Return whether a chat is the coordinator's own, not one it stands in for."""
    where = chain.destination(chain.coordinator, links)
    return where is not None and not where.stand_in and where.chat_id == chat_id
