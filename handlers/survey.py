"""Ask residents how a resolved report was handled and how safe they feel, one tap per step.

`survey_after_resolution` after a caseworker resolves a report (out of the quiet hours) the
resident gets the survey: satisfied or not; one reason (the positive reasons after yes, the
negative ones after no, from `[[survey.reasons]]`); how often they feel unsafe in their own
neighbourhood; an optional free text (or skip). The first question is an outbox row queued
in the transaction that resolves the report, under the dedupe key `survey:<report>`; the
answers are stored in the `surveys` row with the report's buurt and wijk. A reason with
`reopen = true` reopens the report (a new due time from the lead partner's response target,
unclaimed, no reminder or escalation yet) and tells the lead partner's chat.

A press counts only from the resident who made the report, on a delivered survey, in the
state that asks for it, before the survey expires (`survey_window` after it fell due); any
other press gets an alert and changes nothing. The sweep marks unfinished surveys expired.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from config.municipality import SurveyReason
from handlers.chain import Chain
from handlers.chain_view import PARTNER_LANGUAGE
from handlers.common import close_question, one_at_a_time, send
from handlers.followup import RESIDENT, Followups, PartnerTarget
from handlers.proactive import queue_proactive, stop_row
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, plain, t
from reports.models import Language, Report, ReportStatus
from reports.survey import (
    MAX_COMMENT_CHARS,
    FeelsUnsafe,
    SurveyPress,
    SurveyState,
    decode_survey,
    survey_key,
)
from reports.workflow import CaseAction
from storage.cases import CaseConflict, add_case_message
from storage.database import Session
from storage.surveys import Survey, add_survey, answer_survey

log = logging.getLogger(__name__)

SURVEY_KIND = "survey.question"
UNSAFE_LABELS = {
    FeelsUnsafe.OFTEN: T.BTN_UNSAFE_OFTEN,
    FeelsUnsafe.SOMETIMES: T.BTN_UNSAFE_SOMETIMES,
    FeelsUnsafe.NEVER: T.BTN_UNSAFE_NEVER,
}

Reply = tuple[str, InlineKeyboardMarkup | None]


class Surveys:
    """Schedule the survey after a resolved report and carry out the resident's answers."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.config = svc.config
        self.zone = svc.config.municipality.zone

    # --- scheduling ------------------------------------------------------------------------

    async def schedule(self, session: Session, report: Report, now: datetime) -> bool:
        """Queue the report's survey; False for an erased or opted-out resident, or a repeat."""
        if not report.user_id or not report.chat_id:
            return False
        schedule = self.config.schedule
        policy = schedule.send_policy(self.zone)
        due = policy.deliverable_at(schedule.survey_after_resolution.after(now, self.zone))
        language = report.language
        category = self.config.category(report.category_id)
        text = t(
            T.R_SURVEY_QUESTION,
            language,
            reference=report.reference,
            category=category.name(language) if category else report.category_id,
            buurt=report.location.neighbourhood.buurt_name,
        )
        keyboard = self.keyboard(
            [
                (plain(T.BTN_SURVEY_YES, language), SurveyPress(report.id, satisfied=True)),
                (plain(T.BTN_SURVEY_NO, language), SurveyPress(report.id, satisfied=False)),
            ],
            language,
            per_row=2,
        )
        row = await queue_proactive(
            self.svc,
            session,
            user_id=report.user_id,
            kind=SURVEY_KIND,
            params={"text": text, "parse_mode": "HTML", "reply_markup": keyboard.to_dict()},
            due=due,
            now=now,
            report_id=report.id,
            dedupe_key=survey_key(report.id),
        )
        if row is None:
            return False
        neighbourhood = report.location.neighbourhood
        await add_survey(
            session,
            report.id,
            row,
            buurt_code=neighbourhood.buurt_code,
            wijk_code=neighbourhood.wijk_code,
            due_at=due,
            expires_at=schedule.survey_window.after(due, self.zone),
        )
        return True

    # --- questions -------------------------------------------------------------------------

    @staticmethod
    def keyboard(
        buttons: list[tuple[str, SurveyPress]], language: Language, *, per_row: int = 1
    ) -> InlineKeyboardMarkup:
        """Return the answer buttons, `per_row` to a row, with the stop button below them."""
        made = [InlineKeyboardButton(label, callback_data=p.encode()) for label, p in buttons]
        rows = [made[i : i + per_row] for i in range(0, len(made), per_row)]
        return InlineKeyboardMarkup([*rows, stop_row(language)])

    def reasons_question(self, report_id: int, satisfied: bool, language: Language) -> Reply:
        """Return the question for a reason, with the reasons that fit the first answer."""
        choices = self.config.survey.choices(satisfied)
        buttons = [(r.text(language), SurveyPress(report_id, reason=i)) for i, r in choices]
        key = T.R_SURVEY_REASON_GOOD if satisfied else T.R_SURVEY_REASON_BAD
        return t(key, language), self.keyboard(buttons, language)

    def unsafe_question(self, report_id: int, language: Language) -> Reply:
        """Return the policy's question how often the resident feels unsafe."""
        buttons = [
            (plain(label, language), SurveyPress(report_id, unsafe=value))
            for value, label in UNSAFE_LABELS.items()
        ]
        return t(T.R_SURVEY_UNSAFE, language), self.keyboard(buttons, language)

    def comment_question(self, report_id: int, language: Language) -> Reply:
        """Return the invitation to add a free text, with a skip button."""
        skip = [(plain(T.BTN_SURVEY_SKIP, language), SurveyPress(report_id, skip=True))]
        return t(T.R_SURVEY_COMMENT, language, max=MAX_COMMENT_CHARS), self.keyboard(skip, language)

    # --- answers ---------------------------------------------------------------------------

    async def on_press(self, query: CallbackQuery, chat_id: int) -> list[Reply]:
        """Apply a press on a survey button; return what to send next (empty when refused)."""
        user = query.from_user
        language = await language_of(self.svc, user)
        press = decode_survey(query.data)
        report = None if press is None else await self.svc.cases.get(press.report_id)
        if press is None or report is None or report.user_id != user.id or chat_id != user.id:
            await query.answer(plain(T.UNKNOWN_BUTTON, language), show_alert=True)
            return []
        survey = await self.svc.surveys.get(report.id)
        now = self.svc.clock.now()
        if expired(survey, now):
            await query.answer(plain(T.SURVEY_EXPIRED, language), show_alert=True)
            await close_question(query)
            return []
        label, replies = None, None
        if survey is not None and survey.delivered and survey.state is press.state:
            label, replies = await self.answer(report, survey, press, language, now)
        if label is None or replies is None:
            await query.answer(plain(T.SURVEY_STALE, language), show_alert=True)
            return []
        self.svc.wake_sender()
        await query.answer()
        message = query.message
        if isinstance(message, Message) and message.text:
            await close_question(
                query, t(T.CHOSEN, language, question=Html(message.text_html), answer=label)
            )
        return replies

    async def answer(
        self,
        report: Report,
        survey: Survey,
        press: SurveyPress,
        language: Language,
        now: datetime,
    ) -> tuple[str | None, list[Reply] | None]:
        """Store one answer in the report's transaction; return its label and what comes next."""
        if press.satisfied is not None:
            has_reasons = bool(self.config.survey.choices(press.satisfied))
            next_state = SurveyState.REASONS if has_reasons else SurveyState.UNSAFE
            label = plain(T.BTN_SURVEY_YES if press.satisfied else T.BTN_SURVEY_NO, language)
            following = (
                self.reasons_question(report.id, press.satisfied, language)
                if has_reasons
                else self.unsafe_question(report.id, language)
            )
            stored = await self.store(
                report, press.state, next_state, now, "survey_satisfied", satisfied=press.satisfied
            )
            return label, [following] if stored else None
        if press.reason is not None:
            reason = self.reason(survey, press.reason)
            if reason is None:
                return None, None
            reopened = await self.store_reason(report, reason, now)
            if reopened is None:
                return None, None
            replies: list[Reply] = []
            if reopened:
                replies.append(
                    (
                        t(
                            T.R_SURVEY_REOPENED,
                            language,
                            reference=report.reference,
                            partner=self.partner_name(report, language),
                        ),
                        None,
                    )
                )
            replies.append(self.unsafe_question(report.id, language))
            return reason.text(language), replies
        if press.unsafe is not None:
            stored = await self.store(
                report,
                press.state,
                SurveyState.COMMENT,
                now,
                "survey_unsafe",
                feels_unsafe=press.unsafe,
            )
            label = plain(UNSAFE_LABELS[press.unsafe], language)
            return label, [self.comment_question(report.id, language)] if stored else None
        stored = await self.store(report, press.state, SurveyState.DONE, now, "survey_done")
        label = plain(T.BTN_SURVEY_SKIP, language)
        return label, [(t(T.R_SURVEY_THANKS, language), None)] if stored else None

    def reason(self, survey: Survey, index: int) -> SurveyReason | None:
        """Return the reason behind a button when it fits the survey's first answer."""
        if survey.satisfied is None:
            return None
        choices = dict(self.config.survey.choices(survey.satisfied))
        return choices.get(index)

    async def store(
        self,
        report: Report,
        expected: SurveyState,
        next_state: SurveyState,
        now: datetime,
        action: str,
        *,
        satisfied: bool | None = None,
        feels_unsafe: FeelsUnsafe | None = None,
        comment: str | None = None,
    ) -> bool:
        """Store an answer that changes nothing else; False when it no longer fits."""

        async def apply(session: Session, updated: Report) -> None:
            if not await answer_survey(
                session,
                updated.id,
                expected,
                next_state,
                now,
                satisfied=satisfied,
                feels_unsafe=feels_unsafe,
                comment=comment,
            ):
                raise CaseConflict(updated)

        try:
            await self.svc.cases.note(report.id, RESIDENT, action, now, after=apply)
        except CaseConflict:
            return False
        return True

    async def store_reason(
        self, report: Report, reason: SurveyReason, now: datetime
    ) -> bool | None:
        """Store a reason, reopening a resolved report for it; True when it was reopened."""
        target = await Followups(self.svc).partner_target(report)
        reopen = reason.reopen and report.status is ReportStatus.RESOLVED

        async def apply(session: Session, updated: Report) -> None:
            if not await answer_survey(
                session,
                updated.id,
                SurveyState.REASONS,
                SurveyState.UNSAFE,
                now,
                reason=reason.id,
            ):
                raise CaseConflict(updated)
            if reopen:
                await self.tell_partner(session, updated, target, reason, now)

        try:
            if reopen:
                await self.svc.cases.act(
                    report.id,
                    CaseAction.REOPEN,
                    RESIDENT,
                    now,
                    changes=self.reopen_changes(report, now),
                    detail=reason.id,
                    allowed_from=[ReportStatus.RESOLVED],
                    after=apply,
                )
                log.info("report %s reopened by its survey", report.reference)
            else:
                await self.svc.cases.note(
                    report.id, RESIDENT, "survey_reason", now, detail=reason.id, after=apply
                )
        except CaseConflict:
            return None
        return reopen

    def reopen_changes(self, report: Report, now: datetime) -> dict[str, object]:
        """Return a reopened report's new deadline, unclaimed and without reminder marks."""
        lead = self.config.partner(report.lead_partner or self.config.routing.fallback)
        due = (
            self.config.working_calendar().deadline(now, lead.response_target(report.category_id))
            if lead
            else report.due_at
        )
        return {
            "due_at": due,
            "reminded_at": None,
            "escalated_at": None,
            "claimed_by": None,
            "claimed_by_name": None,
            "claimed_at": None,
        }

    async def tell_partner(
        self,
        session: Session,
        report: Report,
        target: PartnerTarget | None,
        reason: SurveyReason,
        now: datetime,
    ) -> None:
        """Tell the lead partner's chat that the resident reopened the report, as a reply."""
        if target is None:
            log.warning("report %s: no partner chat to tell about the reopening", report.reference)
            return
        due = report.due_at.astimezone(self.zone) if report.due_at else now.astimezone(self.zone)
        text = t(
            T.P_SURVEY_REOPENED,
            PARTNER_LANGUAGE,
            reference=report.reference,
            reason=reason.text(PARTNER_LANGUAGE),
            due=f"{due:%d-%m-%Y %H:%M}",
        )
        row = await Chain(self.svc).tell_chat(
            session,
            report,
            target.chat_id,
            text,
            now,
            kind="relay.survey.reopen",
            reply_to_message=target.reply_to,
        )
        if row is not None:
            await add_case_message(
                session, report.id, target.partner_id, "survey", target.chat_id, now, outbox_id=row
            )

    async def take_comment(self, user_id: int, message: Message, language: Language) -> str | None:
        """Store the resident's free text for the survey that awaits it; None when none does."""
        now = self.svc.clock.now()
        survey = await self.svc.surveys.awaiting_comment(user_id, now)
        text = (message.text or "").strip()
        if survey is None or not text:
            return None
        if len(text) > MAX_COMMENT_CHARS:
            return t(T.R_SURVEY_COMMENT_TOO_LONG, language, max=MAX_COMMENT_CHARS, length=len(text))
        report = await self.svc.cases.get(survey.report_id)
        if report is None or not await self.store(
            report, SurveyState.COMMENT, SurveyState.DONE, now, "survey_comment", comment=text
        ):
            return None
        return t(T.R_SURVEY_THANKS_COMMENT, language, comment=text)

    def partner_name(self, report: Report, language: Language) -> str:
        """Return the name of the partner handling the report."""
        partner = self.config.partner(report.lead_partner or self.config.routing.fallback)
        return partner.name(language) if partner else ""


def expired(survey: Survey | None, now: datetime) -> bool:
    """Return whether a delivered, unfinished survey is past its window."""
    if survey is None or not survey.delivered or survey.state is SurveyState.DONE:
        return False
    return survey.state is SurveyState.EXPIRED or survey.expires_at <= now


@one_at_a_time
async def survey_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a press on a survey button; stale, expired and others' presses are refused."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    if chat is None:
        await query.answer()
        return
    for text, markup in await Surveys(services(context)).on_press(query, chat.id):
        await send(context, chat.id, text, markup)


async def expire_surveys(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the surveys whose window passed unfinished as expired."""
    svc = services(context)
    expired = await svc.surveys.expire(svc.clock.now())
    if expired:
        log.info("%d surveys expired unfinished", expired)
