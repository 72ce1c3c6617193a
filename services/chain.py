"""Route reports to chain partners and queue what partner chats and residents must hear.

A committed report is routed by the ordered rules (`reports.routing`) to one lead partner,
whose chat gets the notification with the caseworkers' buttons, and to partners to inform,
who get a copy without buttons. A partner without a linked chat is stood in for by the
coordinator's chat, with a badge saying so; with no chat at all the lead's notification is
held until a group is linked (`services.holding`), and an informed partner's copy is skipped
and recorded as undeliverable. What a chat gets is rendered in the language of the partner
whose chat it is (the coordinator's where it stands in). Everything here runs inside the
caller's unit of work.

Longer than 300 lines because it is the one place that decides who hears what about a
report: partners, the resident and the co-reporters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from config.municipality import MunicipalityConfig
from reports.kinds import CaseNote, CaseRole, OutboxKind
from reports.models import Language, Report, ReportStatus
from reports.records import SYSTEM
from reports.routing import RoutingDecision, route
from reports.workflow import CaseAction
from services.container import Services
from services.ports import Badge, Messages, Rendered, Reporter, ResidentNews
from storage.case_store import add_event, update_report
from storage.followers import followers_of
from storage.outbox import OutgoingMessage, Priority
from storage.uow import Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Destination:
    """Where a partner's messages go, and whether they go to the coordinator in its place."""

    partner_id: str
    chat_id: int
    stand_in: bool
    language: Language
    """The language of the chat: its partner's, or the coordinator's when it stands in."""


class Chain:
    """The chain partners' side of a report: where it goes and what is queued for whom."""

    def __init__(self, config: MunicipalityConfig, messages: Messages) -> None:
        self.config = config
        self.messages = messages

    @property
    def coordinator(self) -> str:
        """Return the partner id of the coordinator (the routing fallback)."""
        return self.config.routing.fallback

    def destination(self, partner_id: str, links: dict[str, int]) -> Destination | None:
        """Return where a partner's messages go: its chat, else the coordinator's."""
        partner = self.config.partner(partner_id)
        chat = links.get(partner_id, partner.chat_id if partner else None)
        if chat is not None:
            return Destination(
                partner_id, chat, stand_in=False, language=self.config.partner_language(partner_id)
            )
        coordinator = self.config.partner(self.coordinator)
        chat = links.get(self.coordinator, coordinator.chat_id if coordinator else None)
        if chat is None:
            return None
        language = self.config.partner_language(self.coordinator)
        return Destination(partner_id, chat, stand_in=True, language=language)

    def acting_chats(self, report: Report, links: dict[str, int]) -> set[int]:
        """Return the chats whose caseworkers may act on a report now."""
        chats: set[int] = set()
        lead = self.destination(report.lead_partner or self.coordinator, links)
        if lead is not None and report.status is not ReportStatus.REJECTED:
            chats.add(lead.chat_id)
        coordinator = self.destination(self.coordinator, links)
        if coordinator is not None:
            chats.add(coordinator.chat_id)
        return chats

    def partner_of_chat(self, chat_id: int, links: dict[str, int]) -> str | None:
        """Return the partner whose own (linked or configured) chat this is."""
        for partner in self.config.partners:
            where = self.destination(partner.id, links)
            if where is not None and not where.stand_in and where.chat_id == chat_id:
                return partner.id
        return None

    def chat_language(self, chat_id: int, links: dict[str, int]) -> Language:
        """Return the language of a chat: its own partner's, Dutch for a chat of no partner."""
        return self.config.partner_language(self.partner_of_chat(chat_id, links))

    def due_at(self, partner_id: str, category_id: str, start: datetime) -> datetime | None:
        """Return when a partner should claim a report of this category handed over at start."""
        partner = self.config.partner(partner_id)
        if partner is None:
            return None
        target = partner.response_target(category_id)
        return self.config.working_calendar().deadline(start, target)

    def decide(self, report: Report) -> RoutingDecision:
        """Return the lead and informed partners the ordered rules give a report."""
        return route(
            self.config.routing.rules,
            category_id=report.category_id,
            buurt_code=report.location.neighbourhood.buurt_code,
            wijk_code=report.location.neighbourhood.wijk_code,
            at=report.created_at,
            zone=self.config.municipality.zone,
            fallback=self.coordinator,
        )

    async def hand_over(
        self,
        work: Work,
        report: Report,
        decision: RoutingDecision,
        links: dict[str, int],
        now: datetime,
        reporter: Reporter | None,
    ) -> Report:
        """Route a new report to the decided lead now and queue every partner's message.

        `services.holding.route` holds a report instead while no chat can take it.
        """
        due = self.due_at(decision.lead, report.category_id, now)
        assert due is not None, "routing names only configured partners"
        changes = {"lead_partner": decision.lead, "routing_rule": decision.rule_label}
        await update_report(work.session, report.id, ReportStatus.ROUTED, changes | {"due_at": due})
        route_event = (CaseAction.ROUTE.value, report, ReportStatus.ROUTED, decision.rule_label)
        await add_event(work.session, report.id, now, SYSTEM, *route_event)
        routed = report.model_copy(update=changes | {"status": ReportStatus.ROUTED, "due_at": due})
        await self.notify_lead(work, routed, links, now, reporter=reporter)
        for partner_id in decision.inform:
            await self.notify_informed(work, routed, partner_id, links, now, reporter)
        return routed

    async def notify_lead(
        self,
        work: Work,
        report: Report,
        links: dict[str, int],
        now: datetime,
        *,
        reporter: Reporter | None = None,
        badge: Badge | None = None,
    ) -> bool:
        """Queue the notification with action buttons for the report's lead partner.

        Return False when no chat can take it: the report is then held for the lead partner
        until a group is linked (`services.holding`).
        """
        lead_id = report.lead_partner or self.coordinator
        where = self.destination(lead_id, links)
        if where is None:
            await _note(work, report, now, CaseNote.HELD, lead_id)
            return False
        badge = badge or Badge()
        if where.stand_in:
            badge = replace(badge, stand_in_for=lead_id)
        rendered = self.messages.notification(report, badge, reporter, where.language)
        await self._queue_notification(work, report, where, CaseRole.LEAD, rendered, now)
        return True

    async def notify_informed(
        self,
        work: Work,
        report: Report,
        partner_id: str,
        links: dict[str, int],
        now: datetime,
        reporter: Reporter | None,
    ) -> None:
        """Queue a for-information copy, without buttons; skip it, recorded, with no chat."""
        where = self.destination(partner_id, links)
        if where is None:
            await _note(work, report, now, CaseNote.UNDELIVERABLE, partner_id)
            return
        badge = Badge(
            informed_of=report.lead_partner or self.coordinator,
            stand_in_for=partner_id if where.stand_in else None,
        )
        rendered = self.messages.notification(report, badge, reporter, where.language)
        await self._queue_notification(work, report, where, CaseRole.INFORM, rendered, now)

    async def _queue_notification(
        self,
        work: Work,
        report: Report,
        where: Destination,
        role: CaseRole,
        rendered: Rendered,
        now: datetime,
    ) -> None:
        """Queue a notification, then its pin and photos as replies to it."""
        lead = role is CaseRole.LEAD
        kind = OutboxKind.NOTIFICATION_LEAD if lead else OutboxKind.NOTIFICATION_INFORM
        main = await self.enqueue(work, report, where.chat_id, rendered, now, kind)
        assert main is not None
        await work.cases.add_message(
            report.id, where.partner_id, role, where.chat_id, now, outbox_id=main
        )
        extras: list[Rendered] = []
        location = report.location
        if location.latitude is not None and location.longitude is not None:
            point = {"latitude": location.latitude, "longitude": location.longitude}
            extras.append(Rendered(point, method="sendLocation"))
        photos = report.photo_file_ids
        if len(photos) == 1:
            extras.append(Rendered({"photo": photos[0]}, method="sendPhoto"))
        elif photos:
            media = [{"type": "photo", "media": file_id} for file_id in photos]
            extras.append(Rendered({"media": media}, method="sendMediaGroup"))
        for extra in extras:
            await self.enqueue(
                work, report, where.chat_id, extra, now, kind.attachment(extra.method), main
            )

    async def tell_resident(
        self, work: Work, report: Report, news: ResidentNews, now: datetime, **values: str
    ) -> None:
        """Queue a message to the resident who made the report, in their language, and to
        every co-reporter (`services.followers`) in theirs."""
        if report.chat_id:  # else the resident erased their data, or it came through Open311
            rendered = self.messages.resident_news(report, news, **values)
            kind = OutboxKind.RESIDENT_UPDATE
            await self.enqueue(work, report, report.chat_id, rendered, now, kind)
        for follower in await followers_of(work.session, report.id):
            theirs = report.model_copy(update={"language": follower.language})
            rendered = self.messages.resident_news(theirs, news, **values)
            kind = OutboxKind.RESIDENT_UPDATE
            await self.enqueue(work, report, follower.user_id, rendered, now, kind)

    async def tell_chat(
        self,
        work: Work,
        report: Report,
        chat_id: int,
        rendered: Rendered,
        now: datetime,
        *,
        kind: OutboxKind,
        reply_to_message: int | None = None,
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue a message to a partner chat about a report, as a reply when one is given."""
        params: dict[str, Any] = dict(rendered.params)
        if reply_to_message is not None:
            params["reply_parameters"] = {
                "message_id": reply_to_message,
                "allow_sending_without_reply": True,
            }
        return await self.enqueue(
            work,
            report,
            chat_id,
            Rendered(params, rendered.method),
            now,
            kind,
            dedupe_key=dedupe_key,
        )

    async def enqueue(
        self,
        work: Work,
        report: Report | None,
        chat_id: int,
        rendered: Rendered,
        now: datetime,
        kind: str,
        reply_to_row: int | None = None,
        *,
        dedupe_key: str | None = None,
    ) -> int | None:
        """Queue one Bot API call to a chat (about a report, when given), due now, with
        notification priority; return its row id, None when its dedupe key was used before."""
        return await work.outbox.enqueue(
            OutgoingMessage(
                chat_id=chat_id,
                method=rendered.method,
                params=rendered.params,
                priority=Priority.NOTIFICATION,
                due_at=now,
                kind=kind,
                report_id=report.id if report is not None else None,
                reply_to_row=reply_to_row,
                dedupe_key=dedupe_key,
            ),
            now=now,
        )


async def chat_language(svc: Services, chat_id: int) -> Language:
    """Return the language of a chat an update came from: its partner's, else Dutch."""
    chain = Chain(svc.config, svc.messages)
    return chain.chat_language(chat_id, await svc.cases.links())


async def _note(work: Work, report: Report, now: datetime, note: CaseNote, partner_id: str) -> None:
    """Record that a partner's message about a report found no chat: held or undeliverable."""
    log.warning("report %s: no chat for %s, %s", report.reference, partner_id, note.value)
    await add_event(work.session, report.id, now, SYSTEM, note.value, report, None, partner_id)
