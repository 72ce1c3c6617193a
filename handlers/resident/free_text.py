"""Decide who gets a resident's message when no report is in progress: one ordered list.

A resident's text or photo outside a draft can be, in this order: the answer to a caseworker's
question, what a follow-up asked them to add, what a new co-reporter adds, the comment a
survey invited, the cause a panel member chose to type, or nothing we expect (then the
resident is reminded how to report). The first taker that accepts the message answers it;
the order is this list, nowhere else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import Message

from handlers.partner.relay import relay_answer
from handlers.proactive.followup import take_addition
from handlers.proactive.panel_answers import take_cause
from handlers.proactive.survey import take_comment
from handlers.services import Services
from handlers.texts import T, t
from reports.models import Language
from services import followers

Taker = Callable[[Services, int, Message, Language], Awaitable[str | None]]
"""Take a resident's message if it is for this purpose; return what to answer, else None."""


async def answer_to_question(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Relay the text as the answer to a caseworker's open question."""
    relayed = await relay_answer(svc, user_id, message)
    if relayed is None:
        return None
    return t(T.R_ANSWER_RELAYED, language, reference=relayed.reference)


async def addition_to_report(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Add the text or photo to the report whose follow-up asked for more."""
    return await take_addition(svc, user_id, message, language)


async def survey_comment(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Store the text as the comment a survey invited."""
    return await take_comment(svc, user_id, message, language)


async def panel_cause(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Store the text as the cause a panel member chose to type."""
    return await take_cause(svc, user_id, message, language)


async def co_reporter_addition(
    svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Relay the text or photo of a resident who just joined a report as a co-reporter."""
    photo = message.photo[-1].file_id if message.photo else None
    text = message.text or message.caption or ""
    report = await followers.add_information(svc, user_id, text, photo)
    return None if report is None else t(T.DUP_ADDED, language, reference=report.reference)


TEXT_TAKERS: Sequence[Taker] = (
    answer_to_question,
    addition_to_report,
    co_reporter_addition,
    survey_comment,
    panel_cause,
)
"""Who gets a free text, in order."""
PHOTO_TAKERS: Sequence[Taker] = (addition_to_report, co_reporter_addition)
"""Who gets a photo sent outside a draft, in order."""


async def take(
    takers: Sequence[Taker], svc: Services, user_id: int, message: Message, language: Language
) -> str | None:
    """Give the message to the first taker that accepts it; return its answer, else None."""
    for taker in takers:
        answer = await taker(svc, user_id, message, language)
        if answer is not None:
            return answer
    return None
