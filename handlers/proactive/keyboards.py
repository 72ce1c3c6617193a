"""Lay out the buttons of proactive messages and of the questions that follow them."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from config.localized import SurveyReason
from handlers.proactive.codecs import STOP_DATA, FollowupPress, SurveyPress, wijk_data
from handlers.texts import T, plain
from reports.followup import FollowupAnswer
from reports.models import Language
from reports.neighbourhoods import Wijk
from reports.survey import FeelsUnsafe

FOLLOWUP_LABELS = {
    FollowupAnswer.ONGOING: T.BTN_FOLLOWUP_ONGOING,
    FollowupAnswer.SOLVED: T.BTN_FOLLOWUP_SOLVED,
    FollowupAnswer.MORE: T.BTN_FOLLOWUP_MORE,
}
UNSAFE_LABELS = {
    FeelsUnsafe.OFTEN: T.BTN_UNSAFE_OFTEN,
    FeelsUnsafe.SOMETIMES: T.BTN_UNSAFE_SOMETIMES,
    FeelsUnsafe.NEVER: T.BTN_UNSAFE_NEVER,
}


def stop_row(language: Language) -> list[InlineKeyboardButton]:
    """Return the keyboard row with the stop button, for under a proactive message."""
    return [InlineKeyboardButton(plain(T.BTN_PROACTIVE_STOP, language), callback_data=STOP_DATA)]


def followup_keyboard(report_id: int, number: int, language: Language) -> InlineKeyboardMarkup:
    """Offer still going on, solved, add information, and stop these messages."""

    def button(answer: FollowupAnswer) -> InlineKeyboardButton:
        data = FollowupPress(report_id, number, answer).encode()
        return InlineKeyboardButton(plain(FOLLOWUP_LABELS[answer], language), callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button(FollowupAnswer.ONGOING), button(FollowupAnswer.SOLVED)],
            [button(FollowupAnswer.MORE)],
            stop_row(language),
        ]
    )


def survey_keyboard(
    buttons: Iterable[tuple[str, SurveyPress]], language: Language, *, per_row: int = 1
) -> InlineKeyboardMarkup:
    """Return survey answer buttons, `per_row` to a row, with the stop button below them."""
    made = [InlineKeyboardButton(label, callback_data=p.encode()) for label, p in buttons]
    rows = [made[i : i + per_row] for i in range(0, len(made), per_row)]
    return InlineKeyboardMarkup([*rows, stop_row(language)])


def satisfied_keyboard(report_id: int, language: Language) -> InlineKeyboardMarkup:
    """Offer satisfied or not, side by side."""
    answers = [
        (plain(T.BTN_SURVEY_YES, language), SurveyPress(report_id, satisfied=True)),
        (plain(T.BTN_SURVEY_NO, language), SurveyPress(report_id, satisfied=False)),
    ]
    return survey_keyboard(answers, language, per_row=2)


def reasons_keyboard(
    report_id: int, reasons: Iterable[tuple[int, SurveyReason]], language: Language
) -> InlineKeyboardMarkup:
    """Offer the reasons that fit the first answer, one to a row."""
    buttons = [(r.text(language), SurveyPress(report_id, reason=i)) for i, r in reasons]
    return survey_keyboard(buttons, language)


def unsafe_keyboard(report_id: int, language: Language) -> InlineKeyboardMarkup:
    """Offer often, sometimes and (almost) never."""
    buttons = [
        (plain(label, language), SurveyPress(report_id, unsafe=value))
        for value, label in UNSAFE_LABELS.items()
    ]
    return survey_keyboard(buttons, language)


def skip_keyboard(report_id: int, language: Language) -> InlineKeyboardMarkup:
    """Offer to skip the free text."""
    return survey_keyboard(
        [(plain(T.BTN_SURVEY_SKIP, language), SurveyPress(report_id, skip=True))], language
    )


def wijk_keyboard(wijken: Iterable[Wijk]) -> InlineKeyboardMarkup:
    """List the wijken to subscribe to, two to a row."""
    buttons = [InlineKeyboardButton(w.short_name, callback_data=wijk_data(w.code)) for w in wijken]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
