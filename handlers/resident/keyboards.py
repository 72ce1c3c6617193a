"""Build the buttons residents tap."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from handlers.naming import TIMING_TEXTS
from handlers.resident.callbacks import Action, Button
from handlers.texts import T, plain
from reports.categories import Category
from reports.models import Language, Neighbourhood, Step
from reports.neighbourhoods import Wijk

CHANGEABLE_STEPS = (
    (Step.CATEGORY, T.FIELD_CATEGORY),
    (Step.LOCATION, T.FIELD_LOCATION),
    (Step.DESCRIPTION, T.FIELD_DESCRIPTION),
    (Step.PHOTOS, T.FIELD_PHOTOS),
    (Step.TIMING, T.FIELD_TIMING),
    (Step.CONTACT, T.FIELD_CONTACT),
)


def _button(label: str, action: Action, value: str = "", token: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=Button(action, value, token).encode())


def _pairs(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def _cancel_row(language: Language, token: str) -> list[InlineKeyboardButton]:
    return [_button(plain(T.BTN_CANCEL, language), Action.CANCEL, token=token)]


def start_menu(language: Language) -> InlineKeyboardMarkup:
    """Offer a new report and the list of the resident's reports."""
    return InlineKeyboardMarkup(
        [
            [_button(plain(T.BTN_NEW_REPORT, language), Action.NEW_REPORT)],
            [_button(plain(T.BTN_MY_REPORTS, language), Action.MY_REPORTS)],
        ]
    )


def duplicates(report_ids: Sequence[int], language: Language, token: str) -> InlineKeyboardMarkup:
    """Offer "this is it" for each card, and "no, something else"."""
    rows = [
        [_button(plain(T.BTN_DUP_SAME, language, n=n), Action.SAME, str(report_id), token)]
        for n, report_id in enumerate(report_ids, start=1)
    ]
    rows.append([_button(plain(T.BTN_DUP_OTHER, language), Action.NOT_SAME, token=token)])
    return InlineKeyboardMarkup(rows)


def new_report(language: Language) -> InlineKeyboardMarkup:
    """Offer to start a report."""
    return InlineKeyboardMarkup([[_button(plain(T.BTN_NEW_REPORT, language), Action.NEW_REPORT)]])


def category_label(category: Category, language: Language) -> str:
    """Return a category's key as the resident sees (and, tapping it, sends) it."""
    return f"{category.emoji} {category.name(language)}".strip()


def categories(items: Sequence[Category], language: Language) -> ReplyKeyboardMarkup:
    """List the categories on the reply keyboard, one a row so long names stay readable on a
    phone: a tap is the resident's message, so the answer is one Bot API call (the next
    question), and the chat shows the choice as the resident's own words."""
    rows = [[KeyboardButton(category_label(c, language))] for c in items]
    return ReplyKeyboardMarkup(
        [*rows, [KeyboardButton(plain(T.BTN_CANCEL, language))]],
        resize_keyboard=True,
        one_time_keyboard=False,
        is_persistent=False,
    )


def _bare(text: str) -> str:
    """Return a label or typed text without its emoji, spaces and case, for comparing."""
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch == " ").strip()


def category_key(items: Sequence[Category], text: str, language: Language) -> Category | None:
    """Return the category whose key, in the resident's language, the text is exactly."""
    typed = text.strip()
    return next((c for c in items if typed == category_label(c, language)), None)


def category_of(items: Sequence[Category], text: str, language: Language) -> Category | None:
    """Return the category whose key the text is: the tapped key in the resident's language,
    or its name typed without the emoji or in another language Meldbot speaks."""
    tapped = category_key(items, text, language)
    if tapped is not None:
        return tapped
    bare = _bare(text)
    if not bare:
        return None
    for category in items:
        names = {category.name_nl, category.name_en, *category.names.values()}
        if any(_bare(name) == bare for name in names):
            return category
    return None


def location_request(language: Language) -> ReplyKeyboardMarkup:
    """Offer to share the location, or to choose a district, on the reply keyboard."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(plain(T.BTN_SHARE_LOCATION, language), request_location=True)],
            [KeyboardButton(plain(T.BTN_CHOOSE_WIJK, language))],
            [KeyboardButton(plain(T.BTN_CANCEL, language))],
        ],
        resize_keyboard=True,
        one_time_keyboard=False,
        is_persistent=False,
    )


def choose_wijk_button(language: Language, token: str) -> InlineKeyboardMarkup:
    """Offer the district list under an answer that could not place the report."""
    return InlineKeyboardMarkup(
        [[_button(plain(T.BTN_CHOOSE_WIJK, language), Action.WIJK_LIST, token=token)]]
    )


def wijken(items: Sequence[Wijk], language: Language, token: str) -> InlineKeyboardMarkup:
    """List the districts."""
    buttons = [_button(w.short_name, Action.WIJK, w.code, token) for w in items]
    return InlineKeyboardMarkup([*_pairs(buttons), _cancel_row(language, token)])


def buurten(
    items: Sequence[Neighbourhood], language: Language, token: str, *, back: bool = True
) -> InlineKeyboardMarkup:
    """List the neighbourhoods to choose from."""
    buttons = [_button(b.buurt_name, Action.BUURT, b.buurt_code, token) for b in items]
    last = [_button(plain(T.BTN_BACK, language), Action.WIJK_LIST, token=token)] if back else []
    return InlineKeyboardMarkup([*_pairs(buttons), [*last, *_cancel_row(language, token)]])


def photos(language: Language, token: str, *, received: int) -> InlineKeyboardMarkup:
    """Offer to skip photos, or to finish once some arrived."""
    label = T.BTN_PHOTOS_DONE if received else T.BTN_NO_PHOTOS
    return InlineKeyboardMarkup(
        [[_button(plain(label, language), Action.PHOTOS_DONE, token=token)]]
    )


def timing(language: Language, token: str) -> InlineKeyboardMarkup:
    """Offer now, earlier and recurring."""
    return InlineKeyboardMarkup(
        [
            [_button(plain(text, language), Action.TIMING, value.value, token)]
            for value, text in TIMING_TEXTS.items()
        ]
    )


def contact(language: Language, token: str) -> InlineKeyboardMarkup:
    """Offer yes or no to being contacted."""
    return InlineKeyboardMarkup(
        [
            [
                _button(plain(T.BTN_CONTACT_YES, language), Action.CONTACT, "yes", token),
                _button(plain(T.BTN_CONTACT_NO, language), Action.CONTACT, "no", token),
            ]
        ]
    )


def summary(language: Language, token: str) -> InlineKeyboardMarkup:
    """Offer to send, change or cancel the report."""
    return InlineKeyboardMarkup(
        [
            [_button(plain(T.BTN_CONFIRM, language), Action.CONFIRM, token=token)],
            [
                _button(plain(T.BTN_CHANGE, language), Action.CHANGE_MENU, token=token),
                _button(plain(T.BTN_CANCEL, language), Action.CANCEL, token=token),
            ],
        ]
    )


def change_menu(language: Language, token: str) -> InlineKeyboardMarkup:
    """List the answers that can be changed."""
    buttons = [
        _button(plain(text, language), Action.CHANGE_FIELD, step.value, token)
        for step, text in CHANGEABLE_STEPS
    ]
    return InlineKeyboardMarkup([*_pairs(buttons), _cancel_row(language, token)])


def languages(available: Sequence[Language]) -> InlineKeyboardMarkup:
    """Offer every language Meldbot speaks, each named in itself, two to a row."""
    return InlineKeyboardMarkup(
        _pairs(
            [
                _button(plain(T.LANGUAGE_NAME, language), Action.LANGUAGE, language.value)
                for language in available
            ]
        )
    )


def forget(language: Language) -> InlineKeyboardMarkup:
    """Ask to confirm erasure."""
    return InlineKeyboardMarkup(
        [
            [_button(plain(T.BTN_FORGET_YES, language), Action.FORGET, "yes")],
            [_button(plain(T.BTN_FORGET_NO, language), Action.FORGET, "no")],
        ]
    )
