"""The buttons under a hotspot message and their callback data: `h:<id>:<button>:<reason>`.

Kept free of `handlers.messages` and `handlers.services` (the message renderers use it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.texts import T, plain
from reports.models import Language


class HotspotButton(StrEnum):
    """What a button under a hotspot message does."""

    SEEN = "se"
    JOINT = "jo"
    DISMISS_MENU = "dm"
    DISMISS = "di"
    BACK = "bk"
    MAP = "mp"


class DismissReason(StrEnum):
    """Why the coordinator found a hotspot not relevant (stored as the reason)."""

    KNOWN = "known"
    EVENT = "event"
    UNRELATED = "unrelated"


REASON_TEXTS = {
    DismissReason.KNOWN: T.P_HOTSPOT_REASON_KNOWN,
    DismissReason.EVENT: T.P_HOTSPOT_REASON_EVENT,
    DismissReason.UNRELATED: T.P_HOTSPOT_REASON_UNRELATED,
}


@dataclass(frozen=True)
class HotspotPress:
    """A decoded press on a hotspot button.

    The reason menu and its "Back" carry whether the hotspot was marked seen, so that "Back"
    restores the buttons the message had.
    """

    hotspot_id: int
    button: HotspotButton
    reason: DismissReason | None = None
    seen: bool = False

    def encode(self) -> str:
        """Return the callback data (well under Telegram's 64 bytes)."""
        value = self.reason.value if self.reason is not None else "seen" if self.seen else ""
        return f"h:{self.hotspot_id}:{self.button.value}:{value}"


_PRESS = re.compile(
    r"h:(?P<id>[1-9][0-9]{0,11}):(?P<button>[a-z]{2}):(?P<value>[a-z]{0,12})", re.ASCII
)
"""Hotspot ids are ASCII digits that fit in SQLite's integers; nothing else decodes."""
_MENUS = frozenset({HotspotButton.DISMISS_MENU, HotspotButton.BACK})


def decode_hotspot_press(data: str | None) -> HotspotPress | None:
    """Return the press behind callback data, or None when it is not a valid one."""
    match = _PRESS.fullmatch(data or "")
    if match is None:
        return None
    try:
        button = HotspotButton(match["button"])
        value = match["value"]
        if button is HotspotButton.DISMISS:
            return HotspotPress(int(match["id"]), button, DismissReason(value))
    except ValueError:
        return None
    if value not in (("", "seen") if button in _MENUS else ("",)):
        return None
    return HotspotPress(int(match["id"]), button, seen=value == "seen")


def _button(text: T, press: HotspotPress, language: Language) -> InlineKeyboardButton:
    return InlineKeyboardButton(plain(text, language), callback_data=press.encode())


def hotspot_buttons(
    hotspot_id: int, language: Language, *, seen: bool = False, with_map: bool = True
) -> InlineKeyboardMarkup:
    """Return "Seen" (until pressed), "Map" (under a message without its picture), "Joint
    approach" and "Not relevant"."""
    row = [
        _button(T.P_HOTSPOT_JOINT_BUTTON, HotspotPress(hotspot_id, HotspotButton.JOINT), language),
        _button(
            T.P_HOTSPOT_DISMISS_BUTTON,
            HotspotPress(hotspot_id, HotspotButton.DISMISS_MENU, seen=seen),
            language,
        ),
    ]
    map_press = HotspotPress(hotspot_id, HotspotButton.MAP)
    first = [_button(T.P_HOTSPOT_MAP_BUTTON, map_press, language)] if with_map else []
    if not seen:
        seen_button = HotspotPress(hotspot_id, HotspotButton.SEEN)
        first.insert(0, _button(T.P_HOTSPOT_SEEN_BUTTON, seen_button, language))
    return InlineKeyboardMarkup([first, row] if first else [row])


def map_button(hotspot_id: int, language: Language) -> InlineKeyboardMarkup:
    """Return only "Map": what stays under a hotspot once it was decided on finally."""
    press = HotspotPress(hotspot_id, HotspotButton.MAP)
    return InlineKeyboardMarkup([[_button(T.P_HOTSPOT_MAP_BUTTON, press, language)]])


def reason_buttons(hotspot_id: int, language: Language, *, seen: bool) -> InlineKeyboardMarkup:
    """Return one button per reason to find a hotspot not relevant, and "Back"."""
    rows = [
        [_button(text, HotspotPress(hotspot_id, HotspotButton.DISMISS, reason), language)]
        for reason, text in REASON_TEXTS.items()
    ]
    back = HotspotPress(hotspot_id, HotspotButton.BACK, seen=seen)
    rows.append([_button(T.P_HOTSPOT_BACK_BUTTON, back, language)])
    return InlineKeyboardMarkup(rows)
