"""Let caseworkers claim, resolve, forward and ask from the notification in their group chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.chain import Chain, partner_label
from handlers.chain_view import (
    PARTNER_LANGUAGE,
    CaseButton,
    CasePress,
    case_buttons,
    closing_buttons,
    decode_press,
    notification_text,
    partner_buttons,
    status_line,
)
from handlers.common import one_at_a_time
from handlers.services import Services, services
from handlers.texts import Html, T, plain, t
from reports.kinds import ActorKind
from reports.models import Report, ReportStatus
from reports.workflow import CaseAction
from services.scheduling import Scheduler
from storage.cases import Actor, CaseConflict, CaseStore, linked_chats
from storage.database import Session
from storage.outbox import OutboxStore
from storage.uow import Work

log = logging.getLogger(__name__)

MAX_CASEWORKER_TEXT = 1000
PROMPT_ACTIONS = {
    CaseButton.RESOLVE_OWN: (T.P_PROMPT_RESOLVE, "resolve"),
    CaseButton.ASK: (T.P_PROMPT_ASK, "ask"),
    CaseButton.NOT_OURS: (T.P_PROMPT_NOT_OURS, "not_ours"),
}


def _mention(user: User) -> Html:
    return Html(f'<a href="tg://user?id={user.id}">{_escape(user.first_name)}</a>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Casework:
    """One caseworker's press or reply in a partner chat."""

    def __init__(self, context: ContextTypes.DEFAULT_TYPE, user: User, chat_id: int) -> None:
        self.context = context
        self.svc: Services = services(context)
        self.chain = Chain(self.svc)
        self.user = user
        self.chat_id = chat_id

    @property
    def now(self) -> datetime:
        return self.svc.clock.now()

    def actor(self, partner_id: str | None) -> Actor:
        """Describe the caseworker for the audit trail."""
        return Actor(ActorKind.CASEWORKER, self.user.id, self.user.first_name, partner_id)

    async def partner_here(self) -> str | None:
        """Return the partner whose chat this is."""
        links = await self.svc.cases.links()
        for partner in self.svc.config.partners:
            where = self.chain.destination(partner.id, links)
            if where is not None and not where.stand_in and where.chat_id == self.chat_id:
                return partner.id
        return None

    async def refusal(self, report: Report, message_id: int | None) -> str | None:
        """Return why this person may not act on this report here, or None when they may."""
        lang = PARTNER_LANGUAGE
        if message_id is not None:
            belongs = await self.svc.cases.message(self.chat_id, message_id)
            if belongs is None or belongs.report_id != report.id or belongs.role == "inform":
                return plain(T.P_ALERT_NOT_HERE, lang)
        if self.chat_id not in await self.chain.acting_chats(report):
            return plain(T.P_ALERT_NOT_HERE, lang)
        partner_id = await self.partner_here()
        partner = self.svc.config.partner(partner_id or "")
        if partner is not None and not partner.may_act(self.user.id):
            return plain(T.P_ALERT_NOT_CASEWORKER, lang, partner=partner.name(lang))
        return None

    def conflict_text(self, report: Report) -> str:
        """Say why a press came too late."""
        lang = PARTNER_LANGUAGE
        if report.status is ReportStatus.IN_PROGRESS and report.claimed_by != self.user.id:
            return plain(T.P_ALERT_CLAIMED_BY, lang, name=report.claimed_by_name or "?")
        return plain(T.P_ALERT_STALE, lang, status=status_line(report, self.svc.config))

    # --- buttons ----------------------------------------------------------------------

    async def on_press(self, query: CallbackQuery, press: CasePress) -> None:
        """Check the press, then apply it."""
        message = query.message
        report = await self.svc.cases.get(press.report_id)
        message_id = message.message_id if isinstance(message, Message) else None
        if report is None:
            await query.answer(plain(T.UNKNOWN_BUTTON, PARTNER_LANGUAGE), show_alert=True)
            return
        refused = await self.refusal(report, message_id)
        if refused is not None:
            await query.answer(refused, show_alert=True)
            return
        handler = {
            CaseButton.CLAIM: self.claim,
            CaseButton.RESOLVE_MENU: self.resolve_menu,
            CaseButton.RESOLVE_WITH: self.resolve_with,
            CaseButton.FORWARD_MENU: self.forward_menu,
            CaseButton.FORWARD_TO: self.forward_to,
            CaseButton.BACK: self.back,
            CaseButton.RESOLVE_OWN: self.prompt,
            CaseButton.ASK: self.prompt,
            CaseButton.NOT_OURS: self.prompt,
        }[press.button]
        await handler(query, report, press)

    async def _act(
        self,
        query: CallbackQuery,
        report: Report,
        action: CaseAction,
        *,
        changes: dict[str, object] | None = None,
        detail: str | None = None,
        after: Callable[[Session, Report], Awaitable[None]] | None = None,
    ) -> Report | None:
        try:
            updated = await self.svc.cases.act(
                report.id,
                action,
                self.actor(report.lead_partner),
                self.now,
                changes=changes,
                detail=detail,
                after=after,
            )
        except CaseConflict as conflict:
            # Whoever changed the report first has already refreshed the notification.
            await query.answer(self.conflict_text(conflict.report), show_alert=True)
            return None
        self.svc.wake_sender()
        return updated

    async def claim(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Take the report: exactly one caseworker wins, the resident is told."""

        async def tell(session: Session, updated: Report) -> None:
            await self.chain.tell_resident(session, updated, T.R_CLAIMED, self.now)

        changes: dict[str, object] = {
            "claimed_by": self.user.id,
            "claimed_by_name": self.user.first_name,
            "claimed_at": self.now,
        }
        updated = await self._act(query, report, CaseAction.CLAIM, changes=changes, after=tell)
        if updated is not None:
            await query.answer(plain(T.P_ALERT_DONE, PARTNER_LANGUAGE))
            await self.refresh(query, updated)

    async def resolve_menu(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Show the closing texts."""
        await query.answer()
        await self._edit_markup(query, closing_buttons(report, self.svc.config))

    async def back(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Show the report's own buttons again."""
        await query.answer()
        await self._edit_markup(query, case_buttons(report))

    async def resolve_with(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Resolve with a standard closing text, or ask for the reason it needs."""
        closing = self.svc.config.closing_text(press.value)
        if closing is None:
            await query.answer(plain(T.UNKNOWN_BUTTON, PARTNER_LANGUAGE), show_alert=True)
            return
        if closing.needs_reason:
            await self.prompt(query, report, press, action=f"resolve:{closing.id}")
            return
        updated = await self.resolve(query, report, closing.text(report.language))
        if updated is not None:
            await query.answer(plain(T.P_ALERT_DONE, PARTNER_LANGUAGE))
            await self.refresh(query, updated)

    async def resolve(
        self, query: CallbackQuery | None, report: Report, closing: str
    ) -> Report | None:
        """Resolve a report and tell the resident the closing text."""

        async def tell(session: Session, updated: Report) -> None:
            await self.chain.tell_resident(
                session, updated, T.R_RESOLVED, self.now, closing=closing
            )
            work = Work(session, CaseStore(session), OutboxStore(session))  # transitional
            await Scheduler(self.svc.config, self.svc.messages).survey(work, updated, self.now)

        changes: dict[str, object] = {"resolved_at": self.now, "closing_text": closing}
        if report.claimed_by is None:
            changes |= {"claimed_by": self.user.id, "claimed_by_name": self.user.first_name}
        if query is None:
            try:
                updated = await self.svc.cases.act(
                    report.id,
                    CaseAction.RESOLVE,
                    self.actor(report.lead_partner),
                    self.now,
                    changes=changes,
                    detail=closing,
                    after=tell,
                )
            except CaseConflict:
                return None
            self.svc.wake_sender()
            return updated
        return await self._act(
            query, report, CaseAction.RESOLVE, changes=changes, detail=closing, after=tell
        )

    async def forward_menu(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Show the partners to forward to."""
        await query.answer()
        await self._edit_markup(query, partner_buttons(report, self.svc.config))

    async def forward_to(self, query: CallbackQuery, report: Report, press: CasePress) -> None:
        """Hand the report to another lead partner, who gets a fresh notification."""
        target = self.svc.config.partner(press.value)
        if target is None or target.id == report.lead_partner:
            await query.answer(plain(T.UNKNOWN_BUTTON, PARTNER_LANGUAGE), show_alert=True)
            return
        previous = report.lead_partner or self.svc.config.routing.fallback
        due = self.svc.config.working_calendar().deadline(
            self.now, target.response_target(report.category_id)
        )

        async def hand_over(session: Session, updated: Report) -> None:
            links = await linked_chats(session)
            badge = t(
                T.P_BADGE_FORWARDED, PARTNER_LANGUAGE, partner=partner_label(self.svc, previous)
            )
            await self.chain.notify_lead(session, updated, links, self.now, badge=badge)
            await self.chain.tell_resident(session, updated, T.R_FORWARDED, self.now)

        changes: dict[str, object] = {
            "lead_partner": target.id,
            "claimed_by": None,
            "claimed_by_name": None,
            "claimed_at": None,
            "due_at": due,
            "reminded_at": None,
            "escalated_at": None,
        }
        updated = await self._act(
            query, report, CaseAction.FORWARD, changes=changes, detail=target.id, after=hand_over
        )
        if updated is not None:
            await query.answer(plain(T.P_ALERT_DONE, PARTNER_LANGUAGE))
            shown = report.model_copy(update={"claimed_by_name": self.user.first_name})
            await self.refresh(query, shown, forwarded_to=target.id)

    async def prompt(
        self,
        query: CallbackQuery,
        report: Report,
        press: CasePress,
        *,
        action: str | None = None,
    ) -> None:
        """Ask the caseworker to type a text as a reply (a question, a reason, a closing text)."""
        key, default_action = PROMPT_ACTIONS.get(press.button, (T.P_PROMPT_REASON, "resolve"))
        if action is not None:
            key = T.P_PROMPT_REASON
        await query.answer()
        message = query.message
        text = t(key, PARTNER_LANGUAGE, name=_mention(self.user), reference=report.reference)
        sent = await self.context.bot.send_message(
            chat_id=self.chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True),
            reply_to_message_id=message.message_id if isinstance(message, Message) else None,
        )
        await self.svc.cases.add_message(
            report.id,
            report.lead_partner or "",
            "prompt",
            self.chat_id,
            sent.message_id,
            self.now,
            action=action or default_action,
            user_id=self.user.id,
        )

    # --- typed replies -------------------------------------------------------------------

    async def on_reply(self, message: Message) -> bool:
        """Complete a prompt, or relay a reply to a notification; return whether it was ours."""
        replied = message.reply_to_message
        if replied is None or not message.text:
            return False
        belongs = await self.svc.cases.message(self.chat_id, replied.message_id)
        if belongs is None:
            return False
        report = await self.svc.cases.get(belongs.report_id)
        if report is None:
            return False
        refused = await self.refusal(report, None)
        if refused is not None:
            await message.reply_text(refused)
            return True
        text = message.text.strip()
        if len(text) > MAX_CASEWORKER_TEXT:
            await message.reply_text(
                plain(
                    T.P_TEXT_TOO_LONG, PARTNER_LANGUAGE, length=len(text), max=MAX_CASEWORKER_TEXT
                )
            )
            return True
        action = belongs.action if belongs.role == "prompt" else "ask"
        await self.complete(message, report, action or "ask", text)
        return True

    async def complete(self, message: Message, report: Report, action: str, text: str) -> None:
        """Carry out what a typed text was for."""
        if action == "ask":
            await self.ask(message, report, text)
        elif action == "not_ours":
            await self.not_ours(message, report, text)
        elif action.startswith("resolve"):
            _, _, closing_id = action.partition(":")
            closing = self.svc.config.closing_text(closing_id) if closing_id else None
            full = f"{closing.text(report.language)}\n{text}" if closing else text
            updated = await self.resolve(None, report, full)
            if updated is None:
                await message.reply_text(self.conflict_text(await self._current(report)))
                return
            await self.refresh_notifications(updated)

    async def _current(self, report: Report) -> Report:
        return await self.svc.cases.get(report.id) or report

    async def ask(self, message: Message, report: Report, question: str) -> None:
        """Relay a caseworker's question to the resident without names."""

        async def relay(session: Session, updated: Report) -> None:
            await self.chain.tell_resident(
                session, updated, T.R_QUESTION, self.now, question=question
            )

        try:
            updated = await self.svc.cases.act(
                report.id,
                CaseAction.ASK_RESIDENT,
                self.actor(report.lead_partner),
                self.now,
                detail="question",
                after=relay,
            )
        except CaseConflict as conflict:
            await message.reply_text(self.conflict_text(conflict.report))
            return
        self.svc.wake_sender()
        await message.reply_html(
            t(
                T.P_RELAYED_QUESTION_SENT,
                PARTNER_LANGUAGE,
                name=self.user.first_name,
                reference=report.reference,
                text=question,
            )
        )
        await self.refresh_notifications(updated)

    async def not_ours(self, message: Message, report: Report, reason: str) -> None:
        """Hand the report back to the coordinator with the caseworker's reason."""
        partner = report.lead_partner or ""

        async def back_to_coordinator(session: Session, updated: Report) -> None:
            links = await linked_chats(session)
            badge = t(
                T.P_BADGE_REJECTED,
                PARTNER_LANGUAGE,
                partner=partner_label(self.svc, partner),
                reason=reason,
            )
            coordinator = updated.model_copy(
                update={"lead_partner": self.svc.config.routing.fallback}
            )
            await self.chain.notify_lead(session, coordinator, links, self.now, badge=badge)

        try:
            updated = await self.svc.cases.act(
                report.id,
                CaseAction.NOT_OURS,
                self.actor(partner),
                self.now,
                changes={"claimed_by_name": self.user.first_name},
                detail=reason,
                after=back_to_coordinator,
            )
        except CaseConflict as conflict:
            await message.reply_text(self.conflict_text(conflict.report))
            return
        self.svc.wake_sender()
        await self.refresh_notifications(updated)

    # --- showing the state ------------------------------------------------------------------

    async def refresh(
        self, query: CallbackQuery, report: Report, *, forwarded_to: str | None = None
    ) -> None:
        """Show the report's state and buttons in the pressed notification."""
        message = query.message
        if not isinstance(message, Message):
            return
        keyboard = None if forwarded_to else case_buttons(report)
        text = notification_text(report, self.svc.config, forwarded_to=forwarded_to)
        await self._edit(message.chat.id, message.message_id, text, keyboard)

    async def refresh_notifications(self, report: Report) -> None:
        """Show the report's state in every lead notification in this chat."""
        for _, chat_id, message_id in await self.svc.cases.messages(report.id, ["lead"]):
            if chat_id == self.chat_id:
                text = notification_text(report, self.svc.config)
                await self._edit(chat_id, message_id, text, case_buttons(report))

    async def _edit(
        self, chat_id: int, message_id: int, text: str, keyboard: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self.context.bot.edit_message_text(
                chat_id=chat_id,
                message_id=message_id,
                text=text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
        except BadRequest as exc:
            log.info("notification %s/%s not edited: %s", chat_id, message_id, exc.message)

    async def _edit_markup(
        self, query: CallbackQuery, keyboard: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await query.edit_message_reply_markup(reply_markup=keyboard)
        except BadRequest as exc:
            log.info("buttons not edited: %s", exc.message)


@one_at_a_time
async def case_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a caseworker's press; outsiders, forged data and stale buttons change nothing."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    press = decode_press(query.data)
    if press is None or chat is None or query.from_user is None:
        await query.answer(plain(T.UNKNOWN_BUTTON, PARTNER_LANGUAGE), show_alert=True)
        return
    await Casework(context, query.from_user, chat.id).on_press(query, press)


async def case_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take a caseworker's typed reply to a prompt or to a notification."""
    message = update.message
    chat = update.effective_chat
    if message is None or chat is None or message.from_user is None:
        return
    await Casework(context, message.from_user, chat.id).on_reply(message)
