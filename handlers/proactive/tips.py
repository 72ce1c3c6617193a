"""Subscribe residents to their wijk's digest with /tips, or stop it with /tips uit.

`/tips` subscribes to the digest of the wijk of the resident's latest report; without one,
the resident picks a wijk from the list (`tw:` buttons). `/tips uit` (or `/tips off`)
unsubscribes. The use cases, and the sweep that queues the digests, are in services/tips.py.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import resident_press
from handlers.proactive.codecs import decode_wijk
from handlers.proactive.keyboards import wijk_keyboard
from handlers.proactive.messages import proactive_messages
from handlers.services import Services, language_of, services
from handlers.texts import Html, T, t
from reports.models import Language
from reports.records import Subscription
from services import tips

OFF_WORDS = frozenset({"uit", "off"})


@one_at_a_time
async def tips_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe to the digest of the resident's wijk after /tips; unsubscribe after /tips uit."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    svc = services(context)
    language = await language_of(svc, user)
    words = (message.text or "").split()[1:]
    if words and words[0].lower() in OFF_WORDS:
        stopped = await tips.unsubscribe_from(svc, user.id)
        text = t(T.TIPS_UNSUBSCRIBED if stopped else T.TIPS_NOT_SUBSCRIBED, language)
        await send(context, chat.id, text)
        return
    subscription = await tips.subscribe_to_latest(svc, user.id)
    if subscription is None:
        keyboard = wijk_keyboard(svc.locations.neighbourhoods.wijken())
        await send(context, chat.id, t(T.TIPS_ASK_WIJK, language), keyboard)
        return
    await send(context, chat.id, subscribed(svc, subscription, language))


@one_at_a_time
async def wijk_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe to the wijk the resident picked from the list."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    query, svc, language = pressed.query, pressed.svc, pressed.language
    code = decode_wijk(query.data)
    subscription = None if code is None else await tips.subscribe_to(svc, pressed.user_id, code)
    if subscription is None:
        await pressed.refuse()
        return
    await query.answer()
    question = Html(t(T.TIPS_ASK_WIJK, language))
    answer = wijk_name(svc, subscription.wijk_code)
    await close_question(query, t(T.CHOSEN, language, question=question, answer=answer))
    await send(context, pressed.user_id, subscribed(svc, subscription, language))


def subscribed(svc: Services, subscription: Subscription, language: Language) -> str:
    """Tell the resident which wijk's digest they get, and when the first comes."""
    date = proactive_messages(svc).local_date(subscription.next_at)
    wijk = wijk_name(svc, subscription.wijk_code)
    return t(T.TIPS_SUBSCRIBED, language, wijk=wijk, date=date)


def wijk_name(svc: Services, code: str) -> str:
    """Return the short name residents know a wijk by."""
    wijk = svc.locations.neighbourhoods.wijk(code)
    return wijk.short_name if wijk else code
