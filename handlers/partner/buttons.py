"""Answer caseworkers' presses on a report's notification in their partner chat.

Claim, resolve (a standard closing text, or one typed after a prompt), forward, ask the
reporter, "not ours" and "duplicate" (merge into an older open report nearby). Outsiders,
other chats, forged data and stale buttons get an alert and change nothing. Alerts, prompts
and menus are in the language of the chat pressed in.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ForceReply, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes
from telegram.helpers import mention_html

from handlers.common import one_at_a_time
from handlers.partner.answers import refusal_text, show
from handlers.partner.codec import CaseButton, CasePress, decode_press
from handlers.partner.view import (
    case_buttons,
    closing_buttons,
    duplicate_buttons,
    partner_buttons,
)
from handlers.services import services
from handlers.texts import Html, T, plain, t
from reports.models import Language, Report
from reports.workflow import CaseAction
from services import merging
from services.casework import (
    Casework,
    Caseworker,
    Conflict,
    Done,
    Forwarded,
    Purpose,
    Refused,
    TextFor,
    TextWanted,
)
from services.casework_texts import CaseworkTexts
from services.chain import chat_language

log = logging.getLogger(__name__)

PURPOSES = {
    CaseButton.RESOLVE_OWN: Purpose(TextFor.RESOLVE),
    CaseButton.ASK: Purpose(TextFor.ASK),
    CaseButton.NOT_OURS: Purpose(TextFor.NOT_OURS),
}
PROMPTS = {
    TextFor.RESOLVE: T.P_PROMPT_RESOLVE,
    TextFor.ASK: T.P_PROMPT_ASK,
    TextFor.NOT_OURS: T.P_PROMPT_NOT_OURS,
}
MENUS = {
    CaseButton.RESOLVE_MENU: CaseAction.RESOLVE,
    CaseButton.FORWARD_MENU: CaseAction.FORWARD,
    CaseButton.BACK: None,
}


class Press:
    """One caseworker's press on a button of a report's notification."""

    def __init__(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        query: CallbackQuery,
        press: CasePress,
        lang: Language,
    ) -> None:
        assert query.message is not None and query.from_user is not None
        self.context = context
        self.svc = services(context)
        self.query = query
        self.press = press
        self.lang = lang
        self.message_id = query.message.message_id
        user = query.from_user
        self.who = Caseworker(user.id, user.first_name, query.message.chat.id)
        self.casework = Casework(self.svc, self.who)

    async def handle(self) -> None:
        """Carry out the press and show its outcome."""
        press, casework, message_id = self.press, self.casework, self.message_id
        if press.button is CaseButton.CLAIM:
            await self.outcome(await casework.claim(press.report_id, message_id))
        elif press.button is CaseButton.RESOLVE_WITH:
            await self.outcome(await casework.resolve(press.report_id, message_id, press.value))
        elif press.button is CaseButton.FORWARD_TO:
            await self.outcome(await casework.forward(press.report_id, message_id, press.value))
        elif press.button is CaseButton.DUPLICATE_OF:
            if not press.value.isdigit():
                await self.query.answer(plain(T.UNKNOWN_BUTTON, self.lang), show_alert=True)
                return
            older = int(press.value)
            await self.outcome(
                await merging.merge(self.svc, casework, press.report_id, message_id, older)
            )
        elif press.button is CaseButton.DUPLICATE_MENU:
            await self.duplicates(await casework.check(press.report_id, message_id, None))
        elif press.button in PURPOSES:
            purpose = PURPOSES[press.button]
            await self.outcome(await casework.want_text(press.report_id, message_id, purpose))
        else:
            checked = await casework.check(press.report_id, message_id, MENUS[press.button])
            await self.menu(checked)

    async def outcome(self, outcome: Done | Forwarded | TextWanted | Refused | Conflict) -> None:
        """Confirm and refresh the notification, ask for a text, or say why nothing changed."""
        config, bot, chat_id, lang = self.svc.config, self.context.bot, self.who.chat_id, self.lang
        if isinstance(outcome, Refused | Conflict):
            # Whoever changed the report first has already refreshed the notification.
            await self.query.answer(refusal_text(outcome, config, lang), show_alert=True)
        elif isinstance(outcome, TextWanted):
            await self.query.answer()
            await self.prompt(outcome.report, outcome.purpose)
        elif isinstance(outcome, Forwarded):
            await self.query.answer(plain(T.P_ALERT_DONE, lang))
            await show(
                bot,
                chat_id,
                self.message_id,
                outcome.before,
                config,
                lang,
                forwarded_to=outcome.to,
                forwarded_by=self.who.name,
            )
        else:
            await self.query.answer(plain(T.P_ALERT_DONE, lang))
            await show(bot, chat_id, self.message_id, outcome.report, config, lang)

    async def menu(self, checked: Report | Refused | Conflict) -> None:
        """Show the closing texts, the partners to forward to, or the report's own buttons."""
        config, lang = self.svc.config, self.lang
        if not isinstance(checked, Report):
            await self.query.answer(refusal_text(checked, config, lang), show_alert=True)
            return
        await self.query.answer()
        keyboard: InlineKeyboardMarkup | None
        if self.press.button is CaseButton.RESOLVE_MENU:
            keyboard = closing_buttons(checked, config, lang)
        elif self.press.button is CaseButton.FORWARD_MENU:
            keyboard = partner_buttons(checked, config, lang)
        else:
            keyboard = case_buttons(checked, lang)
        try:
            await self.query.edit_message_reply_markup(reply_markup=keyboard)
        except BadRequest as exc:
            log.info("buttons not edited: %s", exc.message)

    async def duplicates(self, checked: Report | Refused | Conflict) -> None:
        """Show the older open reports nearby this one may duplicate, or say there is none."""
        config, lang = self.svc.config, self.lang
        if not isinstance(checked, Report):
            await self.query.answer(refusal_text(checked, config, lang), show_alert=True)
            return
        older = await merging.merge_candidates(self.svc, checked)
        if not older:
            await self.query.answer(plain(T.P_ALERT_NO_DUPLICATES, lang), show_alert=True)
            return
        await self.query.answer()
        try:
            keyboard = duplicate_buttons(checked, older, config, lang)
            await self.query.edit_message_reply_markup(reply_markup=keyboard)
        except BadRequest as exc:
            log.info("buttons not edited: %s", exc.message)

    async def prompt(self, report: Report, purpose: Purpose) -> None:
        """Ask the caseworker to type a text as a reply (a question, a reason, a closing text)."""
        key = T.P_PROMPT_REASON if purpose.closing_id else PROMPTS[purpose.text_for]
        name = Html(mention_html(self.who.user_id, self.who.name))
        sent = await self.context.bot.send_message(
            chat_id=self.who.chat_id,
            text=t(key, self.lang, name=name, reference=report.reference),
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True),
            reply_to_message_id=self.message_id,
        )
        await CaseworkTexts(self.svc, self.who).record_prompt(report.id, purpose, sent.message_id)


@one_at_a_time
async def case_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a caseworker's press; outsiders, forged data and stale buttons change nothing."""
    query = update.callback_query
    assert query is not None
    chat = update.effective_chat
    lang = await chat_language(services(context), chat.id) if chat else Language.NL
    press = decode_press(query.data)
    if press is None or query.message is None or query.from_user is None:
        await query.answer(plain(T.UNKNOWN_BUTTON, lang), show_alert=True)
        return
    await Press(context, query, press, lang).handle()
