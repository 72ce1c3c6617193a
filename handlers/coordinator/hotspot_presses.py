"""The coordinator's presses on a hotspot message: seen, joint approach, not relevant, map.

Only presses in the coordinator's own chat count; anywhere else, and for forged data, the
press gets an alert and nothing changes. A decision is stored (and a joint approach's
messages to the partner groups queued) before the press is answered; the message then shows
who decided what, and keeps only the buttons that still mean something.
"""

from __future__ import annotations

import asyncio
import io

from telegram import CallbackQuery, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes
from telegram.helpers import mention_html

from council.hotspot_picture import hotspot_picture
from council.maps import load_maps
from handlers.coordinator.hotspot_keys import (
    REASON_TEXTS,
    DismissReason,
    HotspotButton,
    decode_hotspot_press,
    hotspot_buttons,
    map_button,
    reason_buttons,
)
from handlers.coordinator.views import coordinator_language, texts_of
from handlers.services import Services, services
from handlers.texts import Html, T, plain, t
from reports.models import Language
from services.coordination import is_coordinator_chat
from services.hotspots import HotspotDecision, decide_hotspot, hotspot_area

DECISIONS = {
    HotspotButton.SEEN: "seen",
    HotspotButton.JOINT: "joint",
    HotspotButton.DISMISS: "dismissed",
}


async def hotspot_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply a press on a hotspot message's buttons, or refuse it with an alert."""
    query = update.callback_query
    assert query is not None
    svc = services(context)
    lang = coordinator_language(svc)
    press = decode_hotspot_press(query.data)
    chat = update.effective_chat
    message = query.message
    if (
        press is None
        or chat is None
        or not isinstance(message, Message)
        or not await is_coordinator_chat(svc, chat.id)
    ):
        await query.answer(plain(T.UNKNOWN_BUTTON, lang), show_alert=True)
        return
    if press.button is HotspotButton.MAP:
        await _send_map(svc, query, message, press.hotspot_id, lang)
        return
    if press.button in (HotspotButton.DISMISS_MENU, HotspotButton.BACK):
        # The reason menu, or back from it to the buttons the message had.
        await query.answer()
        if press.button is HotspotButton.DISMISS_MENU:
            menu = reason_buttons(press.hotspot_id, lang, seen=press.seen)
        else:
            pictured = bool(message.photo)
            menu = hotspot_buttons(press.hotspot_id, lang, seen=press.seen, with_map=not pictured)
        await query.edit_message_reply_markup(menu)
        return
    reason = press.reason.value if press.reason is not None else None
    decided = await decide_hotspot(svc, press.hotspot_id, DECISIONS[press.button], reason)
    if decided is None:
        await query.answer(plain(T.P_HOTSPOT_STALE, lang), show_alert=True)
        return
    await query.answer()
    name = Html(mention_html(query.from_user.id, query.from_user.full_name))
    line = _decision_line(svc, decided, lang, name)
    pictured = bool(message.photo)  # the map is the message itself: no "Map" button
    keyboard = None if pictured else map_button(press.hotspot_id, lang)
    if decided.decision == "seen":
        keyboard = hotspot_buttons(press.hotspot_id, lang, seen=True, with_map=not pictured)
    if pictured:
        await query.edit_message_caption(
            caption=f"{message.caption_html}\n\n{line}",
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
        return
    await query.edit_message_text(
        f"{message.text_html}\n\n{line}", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def _send_map(
    svc: Services, query: CallbackQuery, message: Message, hotspot_id: int, lang: Language
) -> None:
    """Answer "Map" with the picture of the hotspot's buurt and its reports as density."""
    area = await hotspot_area(svc, hotspot_id)
    if area is None:
        await query.answer(plain(T.P_HOTSPOT_STALE, lang), show_alert=True)
        return
    await query.answer()
    category = texts_of(svc).category_name(area.category_id, lang)
    title = f"{category}: {area.place}"
    buurten, _ = load_maps(svc.config.neighbourhoods.buurten)
    picture = await asyncio.to_thread(hotspot_picture, area.buurt_code, area.points, title, buurten)
    caption = t(
        T.P_HOTSPOT_MAP,
        lang,
        category=category,
        place=area.place,
        reports=area.reports,
        located=len(area.points),
    )
    await message.reply_photo(
        InputFile(io.BytesIO(picture), filename="meldbot-hotspot.png"),
        caption=caption,
        parse_mode=ParseMode.HTML,
    )


def _decision_line(svc: Services, decided: HotspotDecision, lang: Language, name: Html) -> str:
    """Render who decided what, in the coordinator's language."""
    at = svc.clock.now().astimezone(svc.config.municipality.zone)
    time = f"{at:%d-%m-%Y %H:%M}"
    if decided.decision == "joint":
        texts = texts_of(svc)
        told = ", ".join(texts.partner_name(p, lang) for p in decided.told)
        return t(T.P_HOTSPOT_JOINT, lang, name=name, time=time, partners=told or "-")
    if decided.decision == "dismissed":
        assert decided.until is not None and decided.reason is not None
        until = decided.until.astimezone(svc.config.municipality.zone)
        return t(
            T.P_HOTSPOT_DISMISSED,
            lang,
            name=name,
            time=time,
            reason=plain(REASON_TEXTS[DismissReason(decided.reason)], lang),
            until=f"{until:%d-%m-%Y}",
        )
    return t(T.P_HOTSPOT_SEEN, lang, name=name, time=time)
