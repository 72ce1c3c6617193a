"""Answer presses on "is it still going on?", and take what residents add after "add information".

The use cases are in services/followups.py; see followup.mmd for a follow-up's life. A press
counts only from the resident who made the report, in their private chat, on an open report,
on a question that was delivered and not answered yet; any other press gets an alert and
changes nothing.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import resident_press
from handlers.proactive.codecs import decode_followup
from handlers.proactive.keyboards import FOLLOWUP_LABELS
from handlers.proactive.messages import proactive_messages
from handlers.services import Services
from handlers.texts import Html, T, plain, t
from reports.models import Language
from services import followups
from services.followups import FollowupOutcome, FollowupResult

_REFUSALS = {
    FollowupOutcome.UNKNOWN: T.UNKNOWN_BUTTON,
    FollowupOutcome.CLOSED: T.FOLLOWUP_CLOSED,
    FollowupOutcome.STALE: T.FOLLOWUP_STALE,
}
_REPLIES = {
    FollowupOutcome.ONGOING: T.R_FOLLOWUP_ONGOING,
    FollowupOutcome.SOLVED: T.R_FOLLOWUP_SOLVED,
    FollowupOutcome.MORE: T.R_FOLLOWUP_MORE,
}


@one_at_a_time
async def followup_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a press on a follow-up; presses by others, on closed reports or twice are refused."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    query, svc, language = pressed.query, pressed.svc, pressed.language
    press = decode_followup(query.data)
    if press is None:
        await pressed.refuse()
        return
    result = await followups.answer(
        svc, pressed.user_id, press.report_id, press.number, press.answer
    )
    refusal = _REFUSALS.get(result.outcome)
    if refusal is not None:
        await query.answer(plain(refusal, language), show_alert=True)
        if result.outcome is not FollowupOutcome.UNKNOWN:
            await close_question(query)
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message) and message.text:
        label = plain(FOLLOWUP_LABELS[press.answer], language)
        await close_question(
            query, t(T.CHOSEN, language, question=Html(message.text_html), answer=label)
        )
    await send(context, pressed.user_id, reply(svc, result, language))


def reply(svc: Services, result: FollowupResult, language: Language) -> str:
    """Tell the resident what became of their answer, and when they are asked again."""
    assert result.report is not None
    names = proactive_messages(svc)
    reference = result.report.reference
    partner = names.partner_name(result.report.lead_partner, language)
    lines = [t(_REPLIES[result.outcome], language, partner=partner, reference=reference)]
    if result.asked_again_at is not None:
        date = names.local_date(result.asked_again_at)
        lines.append(t(T.R_FOLLOWUP_ASK_AGAIN, language, date=date))
    return "\n\n".join(lines)


async def take_addition(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Add the resident's text or photo to the report that awaits it; None when none does."""
    text = message.text or message.caption or ""
    photo = (
        max(message.photo, key=lambda size: size.width * size.height).file_id
        if message.photo
        else None
    )
    report = await followups.add_information(svc, user_id, text, photo)
    if report is None:
        return None
    partner = proactive_messages(svc).partner_name(report.lead_partner, language)
    return t(T.R_FOLLOWUP_ADDED, language, reference=report.reference, partner=partner)
