"""Ask residents whether what they reported is still going on, and pass their answer on.

`followup_after` after a report (out of the quiet hours) the resident is asked, with buttons:
still going on, solved, add information, and stop these messages. The question is an outbox
row queued in the transaction that stores the report, under the dedupe key
`followup:<report>:<n>`; resolving or cancelling the report cancels it in the transaction
that changes the status (`CaseRepository.act`). The answer reaches the lead partner's chat as
a reply to its notification:

- still going on: the report's recurrence count grows, and the question is asked again
  `followup_repeat` later while fewer than `followup_max` were asked;
- solved: the partner is asked to close the report (the caseworker resolves it, not the bot);
- add information: the resident's next text or photo (within a day) is added to the report,
  the text as a new paragraph of the description within its maximum length and the photo to
  the report's photos while it has fewer than `max_photos`, and relayed to the partner chat.

A press counts only from the resident who made the report, on an open report, on a question
that was delivered and not answered yet; any other press gets an alert and changes nothing.
See followup.mmd for the diagram.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.chain import Chain
from handlers.chain_view import PARTNER_LANGUAGE
from handlers.common import close_question, one_at_a_time, send
from handlers.proactive import queue_proactive, stop_row
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, plain, t
from reports.followup import ADDITION_WINDOW, FollowupAnswer, followup_key
from reports.kinds import ActorKind
from reports.models import Language, Report
from reports.workflow import is_open
from storage.cases import Actor, CaseConflict, add_case_message
from storage.database import Session
from storage.followups import (
    Followup,
    add_followup,
    add_to_report,
    answer_followup,
    count_recurrence,
    end_addition,
)
from storage.outbox import OutgoingMessage, Priority

log = logging.getLogger(__name__)

FOLLOWUP_KIND = "followup.question"
RESIDENT = Actor(ActorKind.RESIDENT)
MAX_ADDITION_CHARS = 2000
MAX_CAPTION_CHARS = 900  # Telegram allows 1024 characters in a caption, our frame included

_CODES = {FollowupAnswer.ONGOING: "on", FollowupAnswer.SOLVED: "ok", FollowupAnswer.MORE: "add"}
_ANSWERS = {code: answer for answer, code in _CODES.items()}
_DATA = re.compile(r"f:(?P<report>[1-9]\d{0,11}):(?P<number>[1-9]\d?):(?P<code>on|ok|add)")
_LABELS = {
    FollowupAnswer.ONGOING: T.BTN_FOLLOWUP_ONGOING,
    FollowupAnswer.SOLVED: T.BTN_FOLLOWUP_SOLVED,
    FollowupAnswer.MORE: T.BTN_FOLLOWUP_MORE,
}

Step = Callable[[Session, Report], Awaitable[Report]]


@dataclass(frozen=True)
class FollowupPress:
    """A press on one of the answers to a report's n-th follow-up."""

    report_id: int
    number: int
    answer: FollowupAnswer

    def encode(self) -> str:
        """Return the callback data (at most 24 bytes)."""
        return f"f:{self.report_id}:{self.number}:{_CODES[self.answer]}"


def decode_followup(data: str | None) -> FollowupPress | None:
    """Return the follow-up press behind callback data, or None when it is not one."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    return FollowupPress(int(match["report"]), int(match["number"]), _ANSWERS[match["code"]])


def followup_keyboard(report_id: int, number: int, language: Language) -> InlineKeyboardMarkup:
    """Offer still going on, solved, add information, and stop these messages."""

    def button(answer: FollowupAnswer) -> InlineKeyboardButton:
        data = FollowupPress(report_id, number, answer).encode()
        return InlineKeyboardButton(plain(_LABELS[answer], language), callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button(FollowupAnswer.ONGOING), button(FollowupAnswer.SOLVED)],
            [button(FollowupAnswer.MORE)],
            stop_row(language),
        ]
    )


@dataclass(frozen=True)
class PartnerTarget:
    """Where the partner hears about a follow-up: its chat, as a reply to the notification."""

    partner_id: str
    chat_id: int
    reply_to: int | None


class Followups:
    """Schedule follow-up questions and carry out the residents' answers."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config
        self.zone = svc.config.municipality.zone
        self.policy = svc.config.schedule.followup_policy(self.zone)
        self.chain = Chain(svc)

    # --- scheduling ------------------------------------------------------------------------

    async def schedule(
        self, session: Session, report: Report, number: int, due: datetime, now: datetime
    ) -> bool:
        """Queue the report's n-th follow-up for `due`; False for an opted-out resident."""
        if not report.chat_id or not report.user_id:
            return False  # the resident erased their data
        language = report.language
        text = t(
            T.R_FOLLOWUP_QUESTION,
            language,
            date=self.local_date(report.created_at),
            reference=report.reference,
            category=self.category(report, language),
            buurt=report.location.neighbourhood.buurt_name,
        )
        keyboard = followup_keyboard(report.id, number, language)
        row = await queue_proactive(
            self.svc,
            session,
            user_id=report.user_id,
            kind=FOLLOWUP_KIND,
            params={"text": text, "parse_mode": "HTML", "reply_markup": keyboard.to_dict()},
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=followup_key(report.id, number),
        )
        if row is None:
            return False
        await add_followup(session, report.id, number, row, due)
        return True

    # --- answers ---------------------------------------------------------------------------

    async def on_press(self, query: CallbackQuery, chat_id: int) -> str | None:
        """Apply a press on a follow-up; return what to tell the resident, None when refused."""
        user = query.from_user
        language = await language_of(self.svc, user)
        press = decode_followup(query.data)
        report = None if press is None else await self.svc.cases.get(press.report_id)
        if press is None or report is None or report.user_id != user.id or chat_id != user.id:
            await query.answer(plain(T.UNKNOWN_BUTTON, language), show_alert=True)
            return None
        if not is_open(report.status):
            await query.answer(plain(T.FOLLOWUP_CLOSED, language), show_alert=True)
            await close_question(query)
            return None
        followup = await self.svc.followups.get(report.id, press.number)
        reply = None
        if fits(followup):
            reply = await self.answer(report, press, language)
        if reply is None:
            await query.answer(plain(T.FOLLOWUP_STALE, language), show_alert=True)
            await close_question(query)
            return None
        self.svc.wake_sender()
        await query.answer()
        message = query.message
        if isinstance(message, Message) and message.text:
            label = plain(_LABELS[press.answer], language)
            await close_question(
                query, t(T.CHOSEN, language, question=Html(message.text_html), answer=label)
            )
        return reply

    async def answer(self, report: Report, press: FollowupPress, language: Language) -> str | None:
        """Store the answer and queue what the partner must hear, in one transaction."""
        now = self.svc.clock.now()
        target = await self.partner_target(report)
        partner = self.partner_name(report, language)
        lines: list[str] = []

        async def apply(session: Session, updated: Report) -> None:
            until = now + ADDITION_WINDOW if press.answer is FollowupAnswer.MORE else None
            if not is_open(updated.status) or not await answer_followup(
                session, updated.id, press.number, press.answer, now, awaiting_until=until
            ):
                raise CaseConflict(updated)
            reference = updated.reference
            if press.answer is FollowupAnswer.ONGOING:
                count = await count_recurrence(session, updated.id)
                text = t(T.P_FOLLOWUP_ONGOING, PARTNER_LANGUAGE, reference=reference, count=count)
                await self.tell_partner(session, updated, target, text, now, "ongoing")
                lines.append(
                    t(T.R_FOLLOWUP_ONGOING, language, partner=partner, reference=reference)
                )
                due = self.policy.next_due(press.number, now)
                if due is not None and await self.schedule(
                    session, updated, press.number + 1, due, now
                ):
                    lines.append(t(T.R_FOLLOWUP_ASK_AGAIN, language, date=self.local_date(due)))
            elif press.answer is FollowupAnswer.SOLVED:
                text = t(T.P_FOLLOWUP_SOLVED, PARTNER_LANGUAGE, reference=reference)
                await self.tell_partner(session, updated, target, text, now, "solved")
                lines.append(t(T.R_FOLLOWUP_SOLVED, language, partner=partner, reference=reference))
            else:
                lines.append(t(T.R_FOLLOWUP_MORE, language, partner=partner, reference=reference))

        try:
            await self.svc.cases.note(
                report.id,
                RESIDENT,
                f"followup_{press.answer.value}",
                now,
                detail=str(press.number),
                after=apply,
            )
        except CaseConflict:
            return None
        log.info("report %s: follow-up %d answered", report.reference, press.number)
        return "\n\n".join(lines)

    async def take_addition(self, user_id: int, message: Message, language: Language) -> str | None:
        """Add the resident's text or photo to the report that awaits it; None when none does."""
        now = self.svc.clock.now()
        pending = await self.svc.followups.awaiting_addition(user_id, now)
        if pending is None:
            return None
        report = await self.svc.cases.get(pending.report_id)
        text = (message.text or message.caption or "").strip()[:MAX_ADDITION_CHARS]
        photo = (
            max(message.photo, key=lambda size: size.width * size.height).file_id
            if message.photo
            else None
        )
        if report is None or (not text and photo is None):
            return None
        target = await self.partner_target(report)
        stamped = f"[{self.local_date(now)}] {text}" if text else None
        rules = self.config.reports

        async def add(session: Session, updated: Report) -> None:
            if not is_open(updated.status) or not await end_addition(
                session, updated.id, pending.number, now
            ):
                raise CaseConflict(updated)
            await add_to_report(
                session,
                updated.id,
                text=stamped,
                photo_file_id=photo,
                max_chars=rules.description_max_chars,
                max_photos=rules.max_photos,
            )
            await self.relay_addition(session, updated, target, text, photo, now)

        try:
            await self.svc.cases.note(report.id, RESIDENT, "followup_addition", now, after=add)
        except CaseConflict:
            return None
        self.svc.wake_sender()
        partner = self.partner_name(report, language)
        return t(T.R_FOLLOWUP_ADDED, language, reference=report.reference, partner=partner)

    # --- the partner's side ----------------------------------------------------------------

    async def partner_target(self, report: Report) -> PartnerTarget | None:
        """Return the chat of the latest lead notification, else the lead partner's chat."""
        leads = await self.svc.cases.messages(report.id, ["lead"])
        if leads:
            partner_id, chat_id, message_id = leads[-1]
            return PartnerTarget(partner_id, chat_id, message_id)
        links = await self.svc.cases.links()
        where = self.chain.destination(report.lead_partner or self.config.routing.fallback, links)
        return None if where is None else PartnerTarget(where.partner_id, where.chat_id, None)

    async def tell_partner(
        self,
        session: Session,
        report: Report,
        target: PartnerTarget | None,
        text: str,
        now: datetime,
        what: str,
    ) -> None:
        """Queue a message about a follow-up in the partner chat, as a reply to the report."""
        if target is None:
            log.warning("report %s: no partner chat to pass a follow-up to", report.reference)
            return
        row = await self.chain.tell_chat(
            session,
            report,
            target.chat_id,
            text,
            now,
            kind=f"relay.followup.{what}",
            reply_to_message=target.reply_to,
        )
        await self._remember(session, report, target, row, now)

    async def relay_addition(
        self,
        session: Session,
        report: Report,
        target: PartnerTarget | None,
        text: str,
        photo: str | None,
        now: datetime,
    ) -> None:
        """Queue the resident's addition in the partner chat: the text, or the photo with it."""
        reference = report.reference
        if photo is None:
            body = t(T.P_FOLLOWUP_ADDITION, PARTNER_LANGUAGE, reference=reference, text=text)
            await self.tell_partner(session, report, target, body, now, "addition")
            return
        if target is None:
            log.warning("report %s: no partner chat to pass a photo to", reference)
            return
        caption = (
            t(
                T.P_FOLLOWUP_ADDITION,
                PARTNER_LANGUAGE,
                reference=reference,
                text=text[:MAX_CAPTION_CHARS],
            )
            if text
            else t(T.P_FOLLOWUP_ADDITION_PHOTO, PARTNER_LANGUAGE, reference=reference)
        )
        params: dict[str, Any] = {"photo": photo, "caption": caption, "parse_mode": "HTML"}
        if target.reply_to is not None:
            params["reply_parameters"] = {
                "message_id": target.reply_to,
                "allow_sending_without_reply": True,
            }
        row = await self.svc.outbox.enqueue(
            session,
            OutgoingMessage(
                chat_id=target.chat_id,
                method="sendPhoto",
                params=params,
                priority=Priority.NOTIFICATION,
                due_at=now,
                kind="relay.followup.photo",
                report_id=report.id,
            ),
            now=now,
        )
        await self._remember(session, report, target, row, now)

    async def _remember(
        self,
        session: Session,
        report: Report,
        target: PartnerTarget,
        row: int | None,
        now: datetime,
    ) -> None:
        """Let a caseworker's reply to the message reach the resident, like one to the report."""
        if row is not None:
            await add_case_message(
                session,
                report.id,
                target.partner_id,
                "followup",
                target.chat_id,
                now,
                outbox_id=row,
            )

    # --- rendering -------------------------------------------------------------------------

    def local_date(self, moment: datetime) -> str:
        """Return a date as residents read it: "01-12-2026"."""
        return f"{moment.astimezone(self.zone):%d-%m-%Y}"

    def category(self, report: Report, language: Language) -> str:
        """Return the report's category name."""
        category = self.config.category(report.category_id)
        return category.name(language) if category else report.category_id

    def partner_name(self, report: Report, language: Language) -> str:
        """Return the name of the partner handling the report."""
        partner = self.config.partner(report.lead_partner or self.config.routing.fallback)
        return partner.name(language) if partner else ""


def fits(followup: Followup | None) -> bool:
    """Return whether a follow-up can be answered now: delivered and not answered yet."""
    return followup is not None and followup.delivered and followup.answer is None


@one_at_a_time
async def followup_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a press on a follow-up; presses by others, on closed reports or twice are refused."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    if chat is None:
        await query.answer()
        return
    reply = await Followups(services(context)).on_press(query, chat.id)
    if reply:
        await send(context, chat.id, reply)
