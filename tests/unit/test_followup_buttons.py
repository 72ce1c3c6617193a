"""Follow-up buttons carry short, checkable data, and anything else is not taken for one."""

from __future__ import annotations

import pytest

from handlers.proactive import STOP_DATA
from handlers.proactive.codecs import FollowupPress, decode_followup
from handlers.proactive.keyboards import followup_keyboard
from handlers.texts import languages
from reports.followup import FollowupAnswer
from reports.models import Language


@pytest.mark.parametrize("answer", list(FollowupAnswer))
def test_a_press_survives_the_round_trip(answer: FollowupAnswer) -> None:
    press = FollowupPress(123456789012, 20, answer)
    assert decode_followup(press.encode()) == press
    assert len(press.encode().encode()) <= 64


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "f:1:1:yes",
        "f:0:1:on",
        "f:1:0:on",
        "f:-1:1:on",
        "f:1:1:on:x",
        "p:1:cl:",
        "f:1:100:ok",
    ],
)
def test_forged_or_foreign_data_is_not_a_follow_up_press(data: str | None) -> None:
    assert decode_followup(data) is None


@pytest.mark.parametrize("language", languages())
def test_the_keyboard_offers_three_answers_and_the_stop_button(language: Language) -> None:
    rows = followup_keyboard(7, 2, language).inline_keyboard
    data = [button.callback_data for row in rows for button in row]
    assert data == ["f:7:2:on", "f:7:2:ok", "f:7:2:add", STOP_DATA]
