"""Encode and decode the neighbourhood panel's buttons, and build its keyboards.

Every press carries at most 64 bytes, checked on the way in:

- `pn:w` (the wijk list), `pn:w:<wijk>` (its buurten), `pn:b:<buurt>` (confirm this buurt),
  `pn:j:<buurt>` (join with it), `pn:x` (leave), `pn:o:y` / `pn:o:n` (the offer: tell me
  more / no thanks);
- `pq:<round>:<o|s|n>`: the answer to a round's question (round: its first day);
- `pc:<round>:<cause|->`: the follow-up's cause, `-` to skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.proactive.keyboards import UNSAFE_LABELS
from handlers.texts import T, plain
from reports.models import Language, Neighbourhood
from reports.neighbourhoods import Wijk
from reports.panel import Cause
from reports.survey import FeelsUnsafe

_UNSAFE_CODES = {FeelsUnsafe.OFTEN: "o", FeelsUnsafe.SOMETIMES: "s", FeelsUnsafe.NEVER: "n"}
_UNSAFE_BY_CODE = {code: value for value, code in _UNSAFE_CODES.items()}
CAUSE_LABELS = {
    Cause.DARK: T.BTN_CAUSE_DARK,
    Cause.YOUTH: T.BTN_CAUSE_YOUTH,
    Cause.DRUGS: T.BTN_CAUSE_DRUGS,
    Cause.TRAFFIC: T.BTN_CAUSE_TRAFFIC,
    Cause.BURGLARY: T.BTN_CAUSE_BURGLARY,
    Cause.OTHER: T.BTN_CAUSE_OTHER,
}
SKIP = "-"

_ROUND = r"(?P<round>20[0-9]{2}-[01][0-9]-01)"
_QUESTION = re.compile(rf"pq:{_ROUND}:(?P<code>[osn])", re.ASCII)
_CAUSE = re.compile(rf"pc:{_ROUND}:(?P<code>[a-z]{{3,10}}|-)", re.ASCII)
_MENU = re.compile(
    r"pn:(?:(?P<wijk>w)(?::(?P<wijk_code>WK[0-9]{6}))?|(?P<act>[bj]):(?P<buurt>BU[0-9]{8})"
    r"|(?P<leave>x)|o:(?P<offer>[yn]))",
    re.ASCII,
)


@dataclass(frozen=True)
class MenuPress:
    """A press in the join and leave menus: exactly one field tells what."""

    wijk_list: bool = False
    wijk: str | None = None
    confirm: str | None = None
    join: str | None = None
    leave: bool = False
    offer: bool | None = None


def decode_menu(data: str | None) -> MenuPress | None:
    """Return the menu press, or None for data that is no such press."""
    found = _MENU.fullmatch(data or "")
    if found is None:
        return None
    if found["wijk"]:
        code = found["wijk_code"]
        return MenuPress(wijk=code) if code else MenuPress(wijk_list=True)
    if found["act"] == "b":
        return MenuPress(confirm=found["buurt"])
    if found["act"] == "j":
        return MenuPress(join=found["buurt"])
    if found["leave"]:
        return MenuPress(leave=True)
    return MenuPress(offer=found["offer"] == "y")


def decode_question(data: str | None) -> tuple[str, FeelsUnsafe] | None:
    """Return (round, answer) of a press on a round's question, or None."""
    found = _QUESTION.fullmatch(data or "")
    return None if found is None else (found["round"], _UNSAFE_BY_CODE[found["code"]])


def decode_cause(data: str | None) -> tuple[str, Cause | None] | None:
    """Return (round, cause) of a press on the follow-up (cause None: skipped), or None."""
    found = _CAUSE.fullmatch(data or "")
    if found is None:
        return None
    code = found["code"]
    if code == SKIP:
        return found["round"], None
    try:
        return found["round"], Cause(code)
    except ValueError:
        return None


def _rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def wijken_keyboard(wijken: Iterable[Wijk]) -> InlineKeyboardMarkup:
    """List the wijken to choose one's own from, two to a row."""
    return InlineKeyboardMarkup(
        _rows([InlineKeyboardButton(w.short_name, callback_data=f"pn:w:{w.code}") for w in wijken])
    )


def buurten_keyboard(buurten: Iterable[Neighbourhood], language: Language) -> InlineKeyboardMarkup:
    """List a wijk's buurten, with a way back to the wijken."""
    buttons = [
        InlineKeyboardButton(b.buurt_name, callback_data=f"pn:b:{b.buurt_code}") for b in buurten
    ]
    back = InlineKeyboardButton(plain(T.BTN_BACK, language), callback_data="pn:w")
    return InlineKeyboardMarkup([*_rows(buttons), [back]])


def confirm_keyboard(buurt_code: str, language: Language) -> InlineKeyboardMarkup:
    """Ask to join with this buurt, or to choose another."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(T.BTN_PANEL_JOIN, language), callback_data=f"pn:j:{buurt_code}"
                )
            ],
            [InlineKeyboardButton(plain(T.BTN_PANEL_OTHER_BUURT, language), callback_data="pn:w")],
        ]
    )


def member_keyboard(language: Language) -> InlineKeyboardMarkup:
    """Offer a member to change their buurt or to leave."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(plain(T.BTN_PANEL_CHANGE, language), callback_data="pn:w")],
            [InlineKeyboardButton(plain(T.BTN_PANEL_LEAVE, language), callback_data="pn:x")],
        ]
    )


def offer_keyboard(language: Language) -> InlineKeyboardMarkup:
    """The offer's two answers."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(T.BTN_PANEL_OFFER_YES, language), callback_data="pn:o:y"
                ),
                InlineKeyboardButton(plain(T.BTN_PANEL_OFFER_NO, language), callback_data="pn:o:n"),
            ]
        ]
    )


def question_keyboard(round_key: str, language: Language) -> InlineKeyboardMarkup:
    """The round's three answers, one to a row, and a way to leave the panel."""
    rows = [
        [
            InlineKeyboardButton(
                plain(label, language), callback_data=f"pq:{round_key}:{_UNSAFE_CODES[value]}"
            )
        ]
        for value, label in UNSAFE_LABELS.items()
    ]
    rows.append([InlineKeyboardButton(plain(T.BTN_PANEL_LEAVE, language), callback_data="pn:x")])
    return InlineKeyboardMarkup(rows)


def cause_keyboard(round_key: str, language: Language) -> InlineKeyboardMarkup:
    """The follow-up's causes, two to a row, and skip."""
    buttons = [
        InlineKeyboardButton(plain(label, language), callback_data=f"pc:{round_key}:{cause.value}")
        for cause, label in CAUSE_LABELS.items()
    ]
    skip = InlineKeyboardButton(
        plain(T.BTN_PANEL_SKIP, language), callback_data=f"pc:{round_key}:{SKIP}"
    )
    return InlineKeyboardMarkup([*_rows(buttons), [skip]])
