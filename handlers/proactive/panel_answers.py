"""Take a panel member's answer to a round's question, and the optional follow-up's cause.

Under each round's question: three answers (and "leave", in panel.py); after "often" or
"sometimes" one follow-up: a cause from a short list, a typed one (the next text they send),
or skip. Answers are stored without anything that identifies the member (services/panel.py).
A press on a closed round, a second answer or a former member's press gets an alert.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import ResidentPress, resident_press
from handlers.proactive.keyboards import UNSAFE_LABELS
from handlers.proactive.panel_keys import (
    CAUSE_LABELS,
    cause_keyboard,
    decode_cause,
    decode_question,
)
from handlers.services import Services
from handlers.texts import Html, T, plain, t
from reports.models import Language
from reports.panel import MAX_TYPED_CAUSE
from services import panel, panel_answers
from services.panel_answers import AnswerOutcome, TypedOutcome


async def close_with(pressed: ResidentPress, answer: str) -> None:
    """Take the buttons off the pressed message, showing what was chosen."""
    message = pressed.query.message
    if isinstance(message, Message) and message.text:
        question = Html(message.text_html)
        await close_question(
            pressed.query, t(T.CHOSEN, pressed.language, question=question, answer=answer)
        )
    else:
        await close_question(pressed.query)


_REFUSALS = {
    AnswerOutcome.CLOSED: T.PANEL_CLOSED,
    AnswerOutcome.STALE: T.PANEL_STALE,
    AnswerOutcome.NOT_MEMBER: T.PANEL_NOT_MEMBER,
}


@one_at_a_time
async def question_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the answer to a round's question; ask the follow-up after often or sometimes."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    decoded = decode_question(pressed.query.data)
    if decoded is None:
        await pressed.refuse()
        return
    round_key, given = decoded
    outcome = await panel_answers.answer(pressed.svc, pressed.user_id, round_key, given)
    if outcome in _REFUSALS:
        await pressed.refuse(_REFUSALS[outcome])
        if outcome is not AnswerOutcome.STALE:
            await close_question(pressed.query)
        return
    language = pressed.language
    await pressed.query.answer()
    await close_with(pressed, plain(UNSAFE_LABELS[given], language))
    if outcome is AnswerOutcome.ASK_CAUSE:
        text = t(T.PANEL_CAUSE_QUESTION, language)
        await send(context, pressed.user_id, text, cause_keyboard(round_key, language))
        return
    await send(context, pressed.user_id, thanks(pressed.svc, language))


@one_at_a_time
async def cause_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the cause picked in the follow-up, or invite a typed one, or skip."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    decoded = decode_cause(pressed.query.data)
    if decoded is None:
        await pressed.refuse()
        return
    round_key, cause = decoded
    outcome = await panel_answers.give_cause(pressed.svc, pressed.user_id, round_key, cause)
    if outcome in _REFUSALS:
        await pressed.refuse(_REFUSALS[outcome])
        return
    language = pressed.language
    await pressed.query.answer()
    label = T.BTN_PANEL_SKIP if cause is None else CAUSE_LABELS[cause]
    await close_with(pressed, plain(label, language))
    if outcome is AnswerOutcome.TYPE_CAUSE:
        await send(context, pressed.user_id, t(T.PANEL_CAUSE_TYPE, language, max=MAX_TYPED_CAUSE))
        return
    await send(context, pressed.user_id, thanks(pressed.svc, language))


def thanks(svc: Services, language: Language) -> str:
    """Thank a member for their answer and say when the next question comes."""
    return t(T.PANEL_THANKS, language, round=panel.current_round(svc).next().label)


async def take_cause(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Take a text as the cause a member chose to type; None when none is awaited."""
    text = (message.text or "").strip()
    if not text:
        return None
    outcome = await panel_answers.take_typed_cause(svc, user_id, text)
    if outcome is TypedOutcome.TOO_LONG:
        return t(T.PANEL_CAUSE_TOO_LONG, language, max=MAX_TYPED_CAUSE, length=len(text))
    if outcome is TypedOutcome.STORED:
        return thanks(svc, language)
    return None
