"""Route committed reports to chain partners and queue what partners and residents must hear."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup

from handlers.chain_view import PARTNER_LANGUAGE, case_buttons, notification_text
from handlers.services import Services
from handlers.texts import T, t
from reports.kinds import ActorKind
from reports.models import Report, ReportStatus
from storage.cases import Actor, add_case_message, add_event
from storage.database import Session
from storage.outbox import OutgoingMessage, Priority

log = logging.getLogger(__name__)

SYSTEM = Actor(ActorKind.SYSTEM)


@dataclass(frozen=True)
class Reporter:
    """The resident as partners may see them, only when the resident agreed to be contacted."""

    user_id: int
    first_name: str
    username: str | None

    def html(self) -> str:
        """Return a tap-to-open mention of the resident."""
        handle = f" (@{html.escape(self.username)})" if self.username else ""
        name = html.escape(self.first_name)
        return f'<a href="tg://user?id={self.user_id}">{name}</a>{handle}'


@dataclass(frozen=True)
class Destination:
    """Where a partner's messages go, and whether they go to the coordinator in its place."""

    partner_id: str
    chat_id: int
    stand_in: bool


def markup(keyboard: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """Return a keyboard as Bot API JSON."""
    return None if keyboard is None else keyboard.to_dict()


class Chain:
    """The chain partners' side of Meldbot: routing, notifications and resident updates."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config

    def destination(self, partner_id: str, links: dict[str, int]) -> Destination | None:
        """Return where a partner's messages go: its chat, else the coordinator's."""
        partner = self.config.partner(partner_id)
        chat = links.get(partner_id, partner.chat_id if partner else None)
        if chat is not None:
            return Destination(partner_id, chat, stand_in=False)
        fallback = self.config.routing.fallback
        coordinator = self.config.partner(fallback)
        chat = links.get(fallback, coordinator.chat_id if coordinator else None)
        if chat is None:
            return None
        return Destination(partner_id, chat, stand_in=True)

    async def acting_chats(self, report: Report) -> set[int]:
        """Return the chats whose caseworkers may act on a report now."""
        links = await self.svc.cases.links()
        chats: set[int] = set()
        lead = self.destination(report.lead_partner or self.config.routing.fallback, links)
        if lead is not None and report.status is not ReportStatus.REJECTED:
            chats.add(lead.chat_id)
        coordinator = self.destination(self.config.routing.fallback, links)
        if coordinator is not None:
            chats.add(coordinator.chat_id)
        return chats

    async def notify_lead(
        self,
        session: Session,
        report: Report,
        links: dict[str, int],
        now: datetime,
        *,
        reporter: Reporter | None = None,
        badge: str = "",
    ) -> None:
        """Queue the notification with action buttons for the report's lead partner."""
        lead_id = report.lead_partner or self.config.routing.fallback
        where = self.destination(lead_id, links)
        if where is None:
            log.warning("report %s has no chat to go to", report.reference)
            await add_event(session, report.id, now, SYSTEM, "undeliverable", report, None, lead_id)
            return
        if where.stand_in:
            badge = "\n".join(part for part in (self._unlinked_badge(lead_id), badge) if part)
        text = notification_text(
            report, self.config, badge=badge, reporter=reporter.html() if reporter else None
        )
        await self._queue_notification(
            session, report, where, "lead", text, markup(case_buttons(report)), now
        )

    async def notify_informed(
        self,
        session: Session,
        report: Report,
        partner_id: str,
        links: dict[str, int],
        now: datetime,
        reporter: Reporter | None,
    ) -> None:
        """Queue a for-information copy, without buttons, for a partner that must know."""
        where = self.destination(partner_id, links)
        if where is None:
            return
        lead = self.config.partner(report.lead_partner or "")
        badge = t(
            T.P_BADGE_INFO, PARTNER_LANGUAGE, lead=lead.name(PARTNER_LANGUAGE) if lead else ""
        )
        if where.stand_in:
            badge = f"{self._unlinked_badge(partner_id)}\n{badge}"
        text = notification_text(
            report, self.config, badge=badge, reporter=reporter.html() if reporter else None
        )
        await self._queue_notification(session, report, where, "inform", text, None, now)

    def _unlinked_badge(self, partner_id: str) -> str:
        partner = self.config.partner(partner_id)
        label = partner.name(PARTNER_LANGUAGE) if partner else partner_id
        return t(T.P_BADGE_UNLINKED, PARTNER_LANGUAGE, partner=label)

    async def _queue_notification(
        self,
        session: Session,
        report: Report,
        where: Destination,
        role: str,
        text: str,
        keyboard: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        params: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
        if keyboard is not None:
            params["reply_markup"] = keyboard
        kind = f"notification.{role}"
        main = await self._enqueue(session, report, where.chat_id, "sendMessage", params, now, kind)
        assert main is not None
        await add_case_message(
            session, report.id, where.partner_id, role, where.chat_id, now, outbox_id=main
        )
        extras: list[tuple[str, dict[str, Any]]] = []
        location = report.location
        if location.latitude is not None and location.longitude is not None:
            extras.append(
                ("sendLocation", {"latitude": location.latitude, "longitude": location.longitude})
            )
        photos = report.photo_file_ids
        if len(photos) == 1:
            extras.append(("sendPhoto", {"photo": photos[0]}))
        elif photos:
            media = [{"type": "photo", "media": file_id} for file_id in photos]
            extras.append(("sendMediaGroup", {"media": media}))
        for method, extra in extras:
            await self._enqueue(
                session, report, where.chat_id, method, extra, now, f"{kind}.{method}", main
            )

    async def tell_resident(
        self, session: Session, report: Report, key: T, now: datetime, **values: object
    ) -> None:
        """Queue a message to the resident who made the report, in their language."""
        if not report.chat_id:
            return  # the resident erased their data
        partner = self.config.partner(report.lead_partner or "")
        name = partner.name(report.language) if partner else ""
        text = t(key, report.language, reference=report.reference, partner=name, **values)
        params = {"text": text, "parse_mode": "HTML"}
        await self._enqueue(
            session, report, report.chat_id, "sendMessage", params, now, f"resident.{key.value}"
        )

    async def tell_chat(
        self,
        session: Session,
        report: Report,
        chat_id: int,
        text: str,
        now: datetime,
        *,
        kind: str,
        reply_to_message: int | None = None,
    ) -> int | None:
        """Queue an HTML message to a partner chat about a report."""
        params: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
        if reply_to_message is not None:
            params["reply_parameters"] = {
                "message_id": reply_to_message,
                "allow_sending_without_reply": True,
            }
        return await self._enqueue(session, report, chat_id, "sendMessage", params, now, kind)

    async def _enqueue(
        self,
        session: Session,
        report: Report,
        chat_id: int,
        method: str,
        params: dict[str, Any],
        now: datetime,
        kind: str,
        reply_to_row: int | None = None,
    ) -> int | None:
        """Queue one Bot API call about a report, due now, as a partner notification."""
        return await self.svc.outbox.enqueue(
            session,
            OutgoingMessage(
                chat_id=chat_id,
                method=method,
                params=params,
                priority=Priority.NOTIFICATION,
                due_at=now,
                kind=kind,
                report_id=report.id,
                reply_to_row=reply_to_row,
            ),
            now=now,
        )


def partner_label(svc: Services, partner_id: str) -> str:
    """Return a partner's Dutch name, for partner chats."""
    partner = svc.config.partner(partner_id)
    return partner.name(PARTNER_LANGUAGE) if partner else partner_id
