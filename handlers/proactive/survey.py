"""Answer presses on the survey after a resolved report, and take its optional free text.

The use cases are in services/surveys.py. A press counts only from the resident who made the
report, in their private chat, on a delivered survey, in the state that asks for it, before
the survey expires; any other press gets an alert and changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import resident_press
from handlers.proactive.codecs import SurveyPress, decode_survey
from handlers.proactive.keyboards import (
    UNSAFE_LABELS,
    reasons_keyboard,
    skip_keyboard,
    unsafe_keyboard,
)
from handlers.proactive.messages import proactive_messages
from handlers.services import Services
from handlers.texts import Html, T, plain, t
from reports.models import Language
from reports.survey import MAX_COMMENT_CHARS, SurveyState
from services import surveys
from services.surveys import CommentOutcome, NextStep, SurveyOutcome, SurveyResult

Reply = tuple[str, InlineKeyboardMarkup | None]


@one_at_a_time
async def survey_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a press on a survey button; stale, expired and others' presses are refused."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    query, svc, language = pressed.query, pressed.svc, pressed.language
    press = decode_survey(query.data)
    if press is None:
        await pressed.refuse()
        return
    result = await surveys.answer_step(svc, pressed.user_id, press.report_id, press.answer)
    if result.outcome is SurveyOutcome.UNKNOWN:
        await pressed.refuse()
        return
    if result.outcome is SurveyOutcome.EXPIRED:
        await pressed.refuse(T.SURVEY_EXPIRED)
        await close_question(query)
        return
    if result.outcome is SurveyOutcome.STALE:
        await pressed.refuse(T.SURVEY_STALE)
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text:
        answer = label(press, result, language)
        await close_question(
            query, t(T.CHOSEN, language, question=Html(message.text_html), answer=answer)
        )
    for text, markup in replies(svc, result, language):
        await send(context, pressed.user_id, text, markup)


def label(press: SurveyPress, result: SurveyResult, language: Language) -> str:
    """Return the label of the button the resident pressed."""
    if press.satisfied is not None:
        return plain(T.BTN_SURVEY_YES if press.satisfied else T.BTN_SURVEY_NO, language)
    if result.reason is not None:
        return result.reason.text(language)
    if press.unsafe is not None:
        return plain(UNSAFE_LABELS[press.unsafe], language)
    return plain(T.BTN_SURVEY_SKIP, language)


def replies(svc: Services, result: SurveyResult, language: Language) -> list[Reply]:
    """Return what the resident hears after an answer: a reopening, then the next question."""
    report = result.report
    assert report is not None and result.next_step is not None
    said: list[Reply] = []
    if result.reopened:
        partner = proactive_messages(svc).partner_name(report.lead_partner, language)
        text = t(T.R_SURVEY_REOPENED, language, reference=report.reference, partner=partner)
        said.append((text, None))
    said.append(question(report.id, result.next_step, language))
    return said


def question(report_id: int, step: NextStep, language: Language) -> Reply:
    """Return the question of a survey step with its buttons; thanks when none is left."""
    if step.state is SurveyState.REASONS:
        key = T.R_SURVEY_REASON_GOOD if step.satisfied else T.R_SURVEY_REASON_BAD
        return t(key, language), reasons_keyboard(report_id, step.reasons, language)
    if step.state is SurveyState.UNSAFE:
        return t(T.R_SURVEY_UNSAFE, language), unsafe_keyboard(report_id, language)
    if step.state is SurveyState.COMMENT:
        text = t(T.R_SURVEY_COMMENT, language, max=MAX_COMMENT_CHARS)
        return text, skip_keyboard(report_id, language)
    return t(T.R_SURVEY_THANKS, language), None


async def take_comment(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Store the resident's free text for the survey that awaits it; None when none does."""
    text = (message.text or "").strip()
    outcome = await surveys.take_comment(svc, user_id, text)
    if outcome is CommentOutcome.TOO_LONG:
        return t(T.R_SURVEY_COMMENT_TOO_LONG, language, max=MAX_COMMENT_CHARS, length=len(text))
    if outcome is CommentOutcome.STORED:
        return t(T.R_SURVEY_THANKS_COMMENT, language, comment=text)
    return None
