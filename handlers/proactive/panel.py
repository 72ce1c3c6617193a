"""Let residents join and leave the neighbourhood panel, and answer its question per round.

`/panel` explains the panel and lists the wijken (or takes a pin, used only to find the buurt);
a buurt is chosen, then agreed to; a member sees their buurt and can change it or leave.
`/panel uit` (`/panel off`) leaves. Under each round's question: three answers and "leave";
after "often" or "sometimes" one optional follow-up (a cause, typed or skipped). The use cases
are in services/panel.py; button data in panel_keys.py. Any press that does not fit (a forged
buurt, a closed round, a second answer, a former member) gets an alert and changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.common import close_question, one_at_a_time, send
from handlers.presses import ResidentPress, resident_press
from handlers.proactive.panel_answers import close_with
from handlers.proactive.panel_keys import (
    MenuPress,
    buurten_keyboard,
    confirm_keyboard,
    decode_menu,
    member_keyboard,
    wijken_keyboard,
)
from handlers.services import Services, language_of, services
from handlers.texts import T, plain, t
from reports.models import Language
from services import panel
from services.panel import JoinOutcome

OFF_WORDS = frozenset({"uit", "off"})

Reply = tuple[str, InlineKeyboardMarkup | None]


@one_at_a_time
async def panel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the panel (join, or a member's buurt); leave after /panel uit."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    svc = services(context)
    language = await language_of(svc, user)
    words = (message.text or "").split()[1:]
    if words and words[0].lower() in OFF_WORDS:
        left = await panel.leave(svc, user.id)
        await send(context, chat.id, t(T.PANEL_LEFT if left else T.PANEL_NOT_MEMBER, language))
        return
    text, markup = await overview(svc, user.id, language)
    await send(context, chat.id, text, markup)


async def overview(svc: Services, user_id: int, language: Language) -> Reply:
    """Return what /panel shows: a member's buurt, or the invitation with the wijk list."""
    if not svc.config.panel.enabled:
        return t(T.PANEL_OFF, language), None
    status = await panel.status(svc, user_id)
    if status is not None:
        text = t(
            T.PANEL_STATUS,
            language,
            buurt=status.buurt,
            wijk=status.wijk,
            round=status.next_round.label,
        )
        return text, member_keyboard(language)
    if await panel.stopped(svc, user_id):
        return t(T.PANEL_STOPPED, language), None
    await panel.open_join(svc, user_id)
    text = t(T.PANEL_INTRO, language, rounds=svc.config.panel.rounds_per_year)
    return text, wijken_keyboard(svc.locations.neighbourhoods.wijken())


@one_at_a_time
async def menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Walk the join menu (wijk, buurt, agree), leave, or answer the offer."""
    pressed = await resident_press(update, context)
    if pressed is None:
        return
    press = decode_menu(pressed.query.data)
    if press is None:
        await pressed.refuse()
        return
    if press.offer is not None:
        await _offer(context, pressed, accepted=press.offer)
    elif press.leave:
        left = await panel.leave(pressed.svc, pressed.user_id)
        await pressed.query.answer()
        await close_question(pressed.query)
        key = T.PANEL_LEFT if left else T.PANEL_NOT_MEMBER
        await send(context, pressed.user_id, t(key, pressed.language))
    elif press.join is not None:
        await _join(context, pressed, press.join)
    else:
        await _choose(context, pressed, press)


async def _offer(
    context: ContextTypes.DEFAULT_TYPE, pressed: ResidentPress, *, accepted: bool
) -> None:
    query, language = pressed.query, pressed.language
    await query.answer()
    label = T.BTN_PANEL_OFFER_YES if accepted else T.BTN_PANEL_OFFER_NO
    await close_with(pressed, plain(label, language))
    if not accepted:
        await panel.decline_offer(pressed.svc, pressed.user_id)
        await send(context, pressed.user_id, t(T.PANEL_OFFER_DECLINED, language))
        return
    text, markup = await overview(pressed.svc, pressed.user_id, language)
    await send(context, pressed.user_id, text, markup)


async def _choose(
    context: ContextTypes.DEFAULT_TYPE, pressed: ResidentPress, press: MenuPress
) -> None:
    """Show the wijken, a wijk's buurten, or ask to agree to the chosen buurt."""
    query, svc, language = pressed.query, pressed.svc, pressed.language
    hoods = svc.locations.neighbourhoods
    if press.wijk is not None:
        wijk = hoods.wijk(press.wijk)
        if wijk is None:
            await pressed.refuse()
            return
        await query.answer()
        await query.edit_message_reply_markup(buurten_keyboard(hoods.buurten(wijk.code), language))
        return
    if press.confirm is not None:
        buurt = hoods.buurt(press.confirm)
        if buurt is None:
            await pressed.refuse()
            return
        await query.answer()
        await close_with(pressed, buurt.buurt_name)
        await send(context, pressed.user_id, *confirm(svc, buurt.buurt_code, language))
        return
    await query.answer()
    if _shows_buurten(query.message):
        await query.edit_message_reply_markup(wijken_keyboard(hoods.wijken()))
        return
    await close_question(query)
    await panel.open_join(svc, pressed.user_id)  # a pin works here too
    await send(
        context, pressed.user_id, t(T.PANEL_CHOOSE_WIJK, language), wijken_keyboard(hoods.wijken())
    )


def confirm(svc: Services, buurt_code: str, language: Language) -> Reply:
    """Return the request to agree to join for this buurt, with its buttons."""
    hoods = svc.locations.neighbourhoods
    buurt = hoods.buurt(buurt_code)
    assert buurt is not None
    wijk = hoods.wijk(buurt.wijk_code)
    text = t(
        T.PANEL_CONFIRM,
        language,
        buurt=buurt.buurt_name,
        wijk=wijk.short_name if wijk else buurt.wijk_code,
        rounds=svc.config.panel.rounds_per_year,
    )
    return text, confirm_keyboard(buurt_code, language)


def _shows_buurten(message: object) -> bool:
    """Return whether the pressed message lists buurten (its Back button goes to the wijken)."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    return any(
        str(button.callback_data or "").startswith("pn:b:")
        for row in message.reply_markup.inline_keyboard
        for button in row
    )


async def _join(
    context: ContextTypes.DEFAULT_TYPE, pressed: ResidentPress, buurt_code: str
) -> None:
    svc, language = pressed.svc, pressed.language
    outcome = await panel.join(svc, pressed.user_id, buurt_code, language)
    if outcome is JoinOutcome.STOPPED:
        await pressed.query.answer()
        await send(context, pressed.user_id, t(T.PANEL_STOPPED, language))
        return
    if outcome is JoinOutcome.UNKNOWN:
        await pressed.refuse()
        return
    if outcome is JoinOutcome.OFF:
        await pressed.refuse(T.PANEL_OFF)
        return
    await pressed.query.answer()
    await close_with(pressed, plain(T.BTN_PANEL_JOIN, language))
    status = await panel.status(svc, pressed.user_id)
    assert status is not None
    key = T.PANEL_JOINED if outcome is JoinOutcome.JOINED else T.PANEL_MOVED
    text = t(key, language, buurt=status.buurt, wijk=status.wijk, round=status.next_round.label)
    await send(context, pressed.user_id, text)


async def take_pin(
    svc: Services, user_id: int, latitude: float, longitude: float, language: Language
) -> Reply | None:
    """Find the buurt of a pin shared after /panel and ask to agree; None: not for the panel."""
    found = await panel.buurt_from_pin(svc, user_id, latitude, longitude)
    if not found.for_panel:
        return None
    if found.buurt is None:
        municipality = svc.config.municipality.name
        hoods = svc.locations.neighbourhoods
        text = t(T.PANEL_PIN_OUTSIDE, language, municipality=municipality)
        return text, wijken_keyboard(hoods.wijken())
    return confirm(svc, found.buurt.buurt_code, language)
